//! A vendor's orders over HTTP: the list and its filters, one order with its open moves, moves
//! through the table (a delivery ships with its tracking, which the customer then sees), a
//! refused move, a Viewer who may read but not move, and another vendor who finds nothing.

use e2e::{TestServer, assert_error};
use serde_json::json;

#[tokio::test]
async fn the_vendor_confirms_ships_and_delivers_and_the_customer_follows_the_parcel() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (alpha, owner) = s.vendor_with_owner(&admin, "alpha").await;
    let (_, beta_owner) = s.vendor_with_owner(&admin, "beta").await;
    let lamp = s
        .product_with_stock(
            &owner,
            json!({"sku": "LAMP", "title": "Lampe", "price_cents": 2500}),
            5,
        )
        .await;
    let shop = "/api/v1/public/vendors/alpha";
    let customer = s.customer_token("alpha", "lea@example.lu").await;
    let number = s
        .customer_order("alpha", &customer, lamp, 2, "vendor-orders-a")
        .await;

    let (_, list) = s
        .get(
            "/api/v1/vendor/orders?status=pending&q=ALP-0000",
            Some(&owner),
        )
        .await;
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(
        (
            list["items"][0]["order_number"].as_str(),
            list["items"][0]["email"].as_str(),
            list["items"][0]["item_count"].as_i64()
        ),
        (Some(number.as_str()), Some("lea@example.lu"), Some(2))
    );
    let (_, none) = s
        .get("/api/v1/vendor/orders?status=shipped", Some(&owner))
        .await;
    assert_eq!(none["total"], 0, "{none}");
    let order_path = format!("/api/v1/vendor/orders/{number}");
    let (_, detail) = s.get(&order_path, Some(&owner)).await;
    assert_eq!(
        detail["allowed_next"],
        json!(["confirmed", "cancelled"]),
        "{detail}"
    );
    assert!(detail["customer_id"].is_i64());

    // A Viewer reads but does not move; another vendor finds nothing.
    let viewer = s
        .member_token(alpha, "alpha", "viewer@alpha.test", "Viewer")
        .await;
    let (status, _) = s.get(&order_path, Some(&viewer)).await;
    assert_eq!(status, 200);
    let status_path = format!("{order_path}/status");
    let (status, body) = s
        .post(&status_path, Some(&viewer), json!({"status": "confirmed"}))
        .await;
    assert_error(status, &body, 403, "PERMISSION_DENIED");
    for (method, path) in [
        (reqwest::Method::GET, order_path.clone()),
        (reqwest::Method::POST, status_path.clone()),
    ] {
        let body = (method == reqwest::Method::POST).then(|| json!({"status": "confirmed"}));
        let (status, answer) = s.send(method, &path, Some(&beta_owner), body).await;
        assert_error(status, &answer, 404, "ORDER_NOT_FOUND");
    }
    let (_, beta_list) = s.get("/api/v1/vendor/orders", Some(&beta_owner)).await;
    assert_eq!(beta_list["total"], 0);

    // Through the table; a move it does not have is refused.
    let (status, body) = s
        .post(&status_path, Some(&owner), json!({"status": "delivered"}))
        .await;
    assert_error(status, &body, 409, "INVALID_ORDER_STATUS");
    for to in ["confirmed", "processing"] {
        let (status, moved) = s
            .post(
                &status_path,
                Some(&owner),
                json!({"status": to, "note": "ok"}),
            )
            .await;
        assert_eq!(
            (status, moved["status"].as_str()),
            (200, Some(to)),
            "{moved}"
        );
    }
    let (status, body) = s
        .post(&status_path, Some(&owner), json!({"status": "shipped"}))
        .await;
    assert_error(status, &body, 409, "SHIPMENT_REQUIRED");
    let (status, shipped) = s
        .post(
            &status_path,
            Some(&owner),
            json!({"status": "shipped", "carrier": "dhl", "tracking_number": "JD0123456789"}),
        )
        .await;
    assert_eq!(status, 200, "{shipped}");
    assert_eq!(shipped["allowed_next"], json!(["delivered"]));
    let (_, rows) = s
        .get(
            &format!("/api/v1/vendor/inventory?product_id={lamp}"),
            Some(&owner),
        )
        .await;
    assert_eq!(
        (
            rows["items"][0]["quantity"].as_i64(),
            rows["items"][0]["reserved_quantity"].as_i64()
        ),
        (Some(3), Some(0)),
        "the two reserved units are sold: {rows}"
    );

    // The customer sees the parcel's tracking and the whole history.
    let (_, mine) = s
        .get(
            &format!("{shop}/customers/me/orders/{number}"),
            Some(&customer),
        )
        .await;
    assert_eq!(
        mine["tracking_url"],
        "https://www.dhl.com/lu-en/home/tracking.html?tracking-id=JD0123456789"
    );
    let moves: Vec<&str> = mine["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["to_status"].as_str().unwrap())
        .collect();
    assert_eq!(moves, ["pending", "confirmed", "processing", "shipped"]);
}

#[tokio::test]
async fn payments_refunds_bulk_moves_and_the_export_stay_within_the_vendor() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (alpha, owner) = s.vendor_with_owner(&admin, "alpha").await;
    let (_, beta_owner) = s.vendor_with_owner(&admin, "beta").await;
    let lamp = s
        .product_with_stock(
            &owner,
            json!({"sku": "LAMP", "title": "=Lampe, \"rouge\"", "price_cents": 2500}),
            20,
        )
        .await;
    let first = s.guest_order("alpha", lamp, 3, "payments-a").await;
    let second = s.guest_order("alpha", lamp, 1, "payments-b").await;
    let third = s.guest_order("alpha", lamp, 1, "payments-c").await;
    let viewer = s
        .member_token(alpha, "alpha", "viewer@alpha.test", "Viewer")
        .await;
    let path = |number: &str, action: &str| format!("/api/v1/vendor/orders/{number}/{action}");

    // The bank transfer arrived: paid and confirmed at once; not twice, not by a Viewer or
    // another vendor.
    let paid_path = path(&first, "mark-paid");
    let (status, body) = s.post(&paid_path, Some(&viewer), json!({})).await;
    assert_error(status, &body, 403, "PERMISSION_DENIED");
    let (status, body) = s.post(&paid_path, Some(&beta_owner), json!({})).await;
    assert_error(status, &body, 404, "ORDER_NOT_FOUND");
    let (status, paid) = s
        .post(&paid_path, Some(&owner), json!({"note": "VIR 2026-12-01"}))
        .await;
    assert_eq!(status, 200, "{paid}");
    assert_eq!(
        (paid["status"].as_str(), paid["payment_status"].as_str()),
        (Some("confirmed"), Some("paid"))
    );
    assert!(paid["paid_at"].is_string());
    let (status, body) = s.post(&paid_path, Some(&owner), json!({})).await;
    assert_error(status, &body, 409, "PAYMENT_CLOSED");

    // Bulk: the first two to processing; the second is still pending, so it is refused alone.
    let (status, outcomes) = s
        .post(
            "/api/v1/vendor/orders/bulk-status",
            Some(&owner),
            json!({"status": "processing", "orders": [{"order_number": first}, {"order_number": second}]}),
        )
        .await;
    assert_eq!(status, 200, "{outcomes}");
    assert_eq!(outcomes[0]["status"], "processing", "{outcomes}");
    assert!(outcomes[0]["error"].is_null());
    assert!(outcomes[1]["status"].is_null());
    assert_eq!(outcomes[1]["error"]["error_code"], "INVALID_ORDER_STATUS");
    let (status, outcomes) = s
        .post(
            "/api/v1/vendor/orders/bulk-status",
            Some(&beta_owner),
            json!({"status": "cancelled", "orders": [{"order_number": third}]}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        outcomes[0]["error"]["error_code"], "ORDER_NOT_FOUND",
        "another vendor's bulk move finds nothing: {outcomes}"
    );
    let (status, body) = s
        .post(
            "/api/v1/vendor/orders/bulk-status",
            Some(&viewer),
            json!({"status": "cancelled", "orders": [{"order_number": third}]}),
        )
        .await;
    assert_error(status, &body, 403, "PERMISSION_DENIED");
    let (status, body) = s
        .post(
            "/api/v1/vendor/orders/bulk-status",
            Some(&owner),
            json!({"status": "processing", "orders": []}),
        )
        .await;
    assert_error(status, &body, 422, "VALIDATION_ERROR");
    let (status, outcomes) = s
        .post(
            "/api/v1/vendor/orders/bulk-status",
            Some(&owner),
            json!({"status": "shipped", "orders": [{"order_number": first, "carrier": "post_lu", "tracking_number": "LU1"}]}),
        )
        .await;
    assert_eq!(
        (status, outcomes[0]["status"].as_str()),
        (200, Some("shipped")),
        "{outcomes}"
    );
    s.post(
        &path(&first, "status"),
        Some(&owner),
        json!({"status": "delivered"}),
    )
    .await;

    // One lamp comes back: refunded at its price, back on the shelf.
    let refund_path = path(&first, "refunds");
    let one = json!({"items": [{"sku": "LAMP", "quantity": 1}]});
    let (status, body) = s.post(&refund_path, Some(&viewer), one.clone()).await;
    assert_error(status, &body, 403, "PERMISSION_DENIED");
    let (status, body) = s.post(&refund_path, Some(&beta_owner), one.clone()).await;
    assert_error(status, &body, 404, "ORDER_NOT_FOUND");
    let (status, body) = s
        .post(&path(&second, "refunds"), Some(&owner), one.clone())
        .await;
    assert_error(status, &body, 409, "NOT_REFUNDABLE");
    let (status, body) = s
        .post(
            &refund_path,
            Some(&owner),
            json!({"items": [{"sku": "LAMP", "quantity": 4}]}),
        )
        .await;
    assert_error(status, &body, 422, "VALIDATION_ERROR");
    let (status, refunded) = s.post(&refund_path, Some(&owner), one).await;
    assert_eq!(status, 200, "{refunded}");
    assert_eq!(
        (
            refunded["payment_status"].as_str(),
            refunded["refunded_cents"].as_i64(),
            refunded["items"][0]["refunded_quantity"].as_i64()
        ),
        (Some("partially_refunded"), Some(2500), Some(1))
    );
    let (_, rows) = s
        .get(
            &format!("/api/v1/vendor/inventory?product_id={lamp}"),
            Some(&owner),
        )
        .await;
    assert_eq!(
        (
            rows["items"][0]["quantity"].as_i64(),
            rows["items"][0]["reserved_quantity"].as_i64()
        ),
        (Some(18), Some(2)),
        "20 - 3 sold + 1 back; the two pending orders hold 2: {rows}"
    );

    // The export: every matching order, formula-safe; the filters apply; nothing of beta's.
    let response = s
        .client()
        .get(s.url("/api/v1/vendor/orders/export?payment_status=partially_refunded"))
        .bearer_auth(&owner)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("alpha-orders.csv")
    );
    let csv = response.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[0].starts_with("order_number,placed_at,status,payment_status"));
    assert!(
        lines[1].starts_with(&format!("{first},")) && lines[1].contains(",delivered,partially_refunded,bank_transfer,delivery,guest@example.lu,Guest,LU,3,EUR,75.00,0.00,10.90,75.00,25.00,post_lu,LU1"),
        "{csv}"
    );
    let all = s
        .client()
        .get(s.url("/api/v1/vendor/orders/export"))
        .bearer_auth(&owner)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(all.lines().count(), 4, "three orders and the header: {all}");
    let theirs = s
        .client()
        .get(s.url("/api/v1/vendor/orders/export"))
        .bearer_auth(&beta_owner)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        theirs.lines().count(),
        1,
        "beta has only the header: {theirs}"
    );
}
