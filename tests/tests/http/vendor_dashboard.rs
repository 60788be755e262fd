//! The vendor's dashboard figures over HTTP: orders by status, revenue over 7/30/90 days less
//! refunds and without cancelled orders, the day series, best sellers, newest orders, low
//! stock and the last import — for the vendor's own orders only, for members who may see
//! analytics only.

use e2e::{TestServer, assert_error};
use serde_json::json;

#[tokio::test]
async fn the_dashboard_sums_the_vendors_own_sales() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (alpha, owner) = s.vendor_with_owner(&admin, "alpha").await;
    let (_, beta_owner) = s.vendor_with_owner(&admin, "beta").await;
    let lamp = s
        .product_with_stock(
            &owner,
            json!({"sku": "LAMP", "title": "Lampe", "price_cents": 2500, "low_inventory_threshold": 5}),
            6,
        )
        .await;
    let chair = s
        .product_with_stock(
            &owner,
            json!({"sku": "CHAIR", "title": "Chaise", "price_cents": 9000}),
            10,
        )
        .await;
    let beta_lamp = s
        .product_with_stock(
            &beta_owner,
            json!({"sku": "LAMP", "title": "Lampe", "price_cents": 100000}),
            10,
        )
        .await;
    let two_lamps = s.guest_order("alpha", lamp, 2, "dash-a").await;
    let chair_order = s.guest_order("alpha", chair, 1, "dash-b").await;
    let cancelled = s.guest_order("alpha", lamp, 1, "dash-c").await;
    s.guest_order("beta", beta_lamp, 3, "dash-d").await;
    s.post(
        &format!("/api/v1/vendor/orders/{cancelled}/status"),
        Some(&owner),
        json!({"status": "cancelled"}),
    )
    .await;

    let (status, dash) = s.get("/api/v1/vendor/dashboard", Some(&owner)).await;
    assert_eq!(status, 200, "{dash}");
    let sales = &dash["sales"];
    // 2 lamps (50.00) and a chair (90.00), both shipped free from 50.00; the cancelled
    // order does not count.
    for period in sales["periods"].as_array().unwrap() {
        assert_eq!(
            (period["orders"].as_i64(), period["revenue_cents"].as_i64()),
            (Some(2), Some(14000)),
            "{period}"
        );
    }
    let days = sales["daily"].as_array().unwrap();
    assert_eq!(days.len(), 30);
    assert_eq!(days[29]["revenue_cents"], 14000, "today is the last day");
    assert_eq!(
        days[..29]
            .iter()
            .map(|d| d["orders"].as_i64().unwrap())
            .sum::<i64>(),
        0
    );
    let by_status: Vec<(String, i64)> = sales["by_status"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["status"].as_str().unwrap().to_owned(),
                s["orders"].as_i64().unwrap(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(
        by_status,
        vec![("pending".to_owned(), 2), ("cancelled".to_owned(), 1)]
    );
    let top: Vec<(&str, i64)> = sales["top_products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["sku"].as_str().unwrap(), t["units"].as_i64().unwrap()))
        .collect();
    assert_eq!(top, vec![("LAMP", 2), ("CHAIR", 1)]);
    let recent: Vec<&str> = dash["recent_orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_number"].as_str().unwrap())
        .collect();
    assert_eq!(
        recent,
        vec![cancelled.as_str(), chair_order.as_str(), two_lamps.as_str()]
    );
    assert_eq!(
        dash["low_inventory"][0]["sku"], "LAMP",
        "6 lamps, 2 held: 4 available, at or below 5: {dash}"
    );
    assert!(dash["last_import"].is_null());

    // Beta sees only its own sale; a Viewer may not see the figures.
    let (_, theirs) = s.get("/api/v1/vendor/dashboard", Some(&beta_owner)).await;
    assert_eq!(theirs["sales"]["periods"][0]["revenue_cents"], 300000);
    assert_eq!(theirs["recent_orders"].as_array().unwrap().len(), 1);
    let viewer = s
        .member_token(alpha, "alpha", "viewer@alpha.test", "Viewer")
        .await;
    let (status, body) = s.get("/api/v1/vendor/dashboard", Some(&viewer)).await;
    assert_error(status, &body, 403, "PERMISSION_DENIED");
}
