//! A vendor's customers over HTTP: the list with what each bought, the detail, closing an
//! account (the customer is signed out at once), the GDPR export with the orders, and
//! erasure — each refused to a Viewer where it changes something, to another vendor (404)
//! and to customers' tokens (401).

use e2e::{TestServer, assert_error};
use serde_json::json;

#[tokio::test]
async fn the_vendor_sees_closes_exports_and_erases_its_own_customers_only() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (alpha, owner) = s.vendor_with_owner(&admin, "alpha").await;
    let (_, beta_owner) = s.vendor_with_owner(&admin, "beta").await;
    let lamp = s
        .product_with_stock(
            &owner,
            json!({"sku": "LAMP", "title": "Lampe", "price_cents": 2500}),
            10,
        )
        .await;
    let lea = s.customer_token("alpha", "lea@example.lu").await;
    let beta_customer = s.customer_token("beta", "lea@example.lu").await;
    let shop = "/api/v1/public/vendors/alpha";
    let number = s
        .customer_order("alpha", &lea, lamp, 2, "customers-a")
        .await;

    let (_, list) = s
        .get("/api/v1/vendor/customers?q=schmit", Some(&owner))
        .await;
    assert_eq!(list["total"], 1, "{list}");
    let row = &list["items"][0];
    assert_eq!(
        (
            row["email"].as_str(),
            row["order_count"].as_i64(),
            row["total_spent_cents"].as_i64()
        ),
        (Some("lea@example.lu"), Some(1), Some(5000)),
        "{row}"
    );
    let id = row["id"].as_i64().unwrap();
    let path = format!("/api/v1/vendor/customers/{id}");
    let (status, detail) = s.get(&path, Some(&owner)).await;
    assert_eq!(
        (status, detail["first_name"].as_str()),
        (200, Some("Léa")),
        "{detail}"
    );
    let (_, theirs) = s
        .get(
            &format!("/api/v1/vendor/orders?customer_id={id}"),
            Some(&owner),
        )
        .await;
    assert_eq!(theirs["items"][0]["order_number"], number.as_str());

    // Out of reach: another vendor (404), a customer's token (401), a Viewer's changes (403).
    let viewer = s
        .member_token(alpha, "alpha", "viewer@alpha.test", "Viewer")
        .await;
    let (_, beta_list) = s.get("/api/v1/vendor/customers", Some(&beta_owner)).await;
    assert_eq!(
        beta_list["total"], 1,
        "beta sees its own Léa only: {beta_list}"
    );
    assert_ne!(beta_list["items"][0]["id"].as_i64(), Some(id));
    let routes = [
        (reqwest::Method::GET, path.clone(), None),
        (reqwest::Method::GET, format!("{path}/export"), None),
        (
            reqwest::Method::PUT,
            format!("{path}/active"),
            Some(json!({"is_active": false})),
        ),
        (reqwest::Method::POST, format!("{path}/erase"), None),
    ];
    for (method, route, body) in &routes {
        let (status, answer) = s
            .send(method.clone(), route, Some(&beta_owner), body.clone())
            .await;
        assert_error(status, &answer, 404, "CUSTOMER_NOT_FOUND");
        for token in [&lea, &beta_customer] {
            let (status, answer) = s
                .send(method.clone(), route, Some(token), body.clone())
                .await;
            assert_eq!(
                status, 401,
                "{method} {route} with a customer's token: {answer}"
            );
        }
    }
    let (status, _) = s.get(&path, Some(&viewer)).await;
    assert_eq!(status, 200, "a Viewer reads");
    for (method, route, body) in &routes[2..] {
        let (status, answer) = s
            .send(method.clone(), route, Some(&viewer), body.clone())
            .await;
        assert_error(status, &answer, 403, "PERMISSION_DENIED");
    }

    // Closing signs the customer out at once; reopening lets them back in.
    let me = format!("{shop}/customers/me");
    let (status, closed) = s
        .put(
            &format!("{path}/active"),
            Some(&owner),
            json!({"is_active": false}),
        )
        .await;
    assert_eq!(
        (status, closed["is_active"].as_bool()),
        (200, Some(false)),
        "{closed}"
    );
    let (status, body) = s.get(&me, Some(&lea)).await;
    assert_error(status, &body, 403, "ACCOUNT_INACTIVE");
    let (status, _) = s
        .post(
            &format!("{shop}/auth/login"),
            None,
            json!({"email": "lea@example.lu", "password": "shopper-password"}),
        )
        .await;
    assert_eq!(status, 403, "nor can it sign in");
    s.put(
        &format!("{path}/active"),
        Some(&owner),
        json!({"is_active": true}),
    )
    .await;
    let (status, _) = s
        .post(
            &format!("{shop}/auth/login"),
            None,
            json!({"email": "lea@example.lu", "password": "shopper-password"}),
        )
        .await;
    assert_eq!(status, 200);

    // The export holds the account and its orders with their items.
    let response = s
        .client()
        .get(s.url(&format!("{path}/export")))
        .bearer_auth(&owner)
        .send()
        .await
        .unwrap();
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(&format!("customer-{id}.json"))
    );
    let export: serde_json::Value = response.json().await.unwrap();
    assert_eq!(export["customer"]["email"], "lea@example.lu");
    assert_eq!(export["orders"][0]["order_number"], number.as_str());
    assert_eq!(export["orders"][0]["items"][0]["sku"], "LAMP");

    // Erased: nothing names her, the order keeps its amount; not twice.
    let (status, erased) = s
        .send(
            reqwest::Method::POST,
            &format!("{path}/erase"),
            Some(&owner),
            None,
        )
        .await;
    assert_eq!(status, 200, "{erased}");
    assert_eq!(erased["email"], format!("erased-{id}@erased.invalid"));
    assert_eq!(erased["total_spent_cents"], 5000);
    let (_, order) = s
        .get(&format!("/api/v1/vendor/orders/{number}"), Some(&owner))
        .await;
    assert_eq!(
        (
            order["email"].as_str(),
            order["shipping_address"]["name"].as_str(),
            order["total_cents"].as_i64()
        ),
        (
            Some(format!("erased-{id}@erased.invalid").as_str()),
            Some("Erased"),
            Some(5000)
        )
    );
    let (status, body) = s
        .send(
            reqwest::Method::POST,
            &format!("{path}/erase"),
            Some(&owner),
            None,
        )
        .await;
    assert_error(status, &body, 409, "CUSTOMER_ERASED");
    let (_, beta_list) = s.get("/api/v1/vendor/customers", Some(&beta_owner)).await;
    assert_eq!(
        beta_list["items"][0]["email"], "lea@example.lu",
        "beta's Léa is untouched"
    );
}
