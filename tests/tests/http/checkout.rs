//! Shopping over HTTP: a customer registers, browses, searches, fills a cart and checks out;
//! a guest checks out; a guest's cart merges on sign-in; a crowd races for the last units;
//! and no customer, cart or body can reach across to another shop.

use e2e::{TestServer, assert_error};
use serde_json::{Value, json};

/// A new shop with an active product: the shop's owner token and the product's id.
async fn shop_with(
    s: &TestServer,
    code: &str,
    sku: &str,
    title: &str,
    price: i64,
    stock: i64,
) -> (String, i64) {
    let admin = s.admin_token().await;
    let (_, owner) = s.vendor_with_owner(&admin, code).await;
    let id = product(s, &owner, sku, title, price, stock).await;
    (owner, id)
}

async fn product(
    s: &TestServer,
    owner: &str,
    sku: &str,
    title: &str,
    price: i64,
    stock: i64,
) -> i64 {
    s.product_with_stock(
        owner,
        json!({"sku": sku, "title": title, "price_cents": price}),
        stock,
    )
    .await
}

async fn customer(s: &TestServer, shop: &str, email: &str) -> String {
    let base = format!("/api/v1/public/vendors/{shop}/auth");
    let (status, body) = s
        .post(
            &format!("{base}/register"),
            None,
            json!({"email": email, "password": "shopper-password", "first_name": "Léa", "last_name": "Schmit"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = s
        .post(
            &format!("{base}/login"),
            None,
            json!({"email": email, "password": "shopper-password"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

fn session(n: u32) -> String {
    format!("e2e-cart-session-{n:0>24}")
}

fn order_body(session: &str, email: Option<&str>) -> Value {
    let mut body = json!({
        "cart_session": session,
        "shipping_address": {"name": "Léa Schmit", "street": "1 rue du Fort", "postal_code": "L-1234",
                             "city": "Luxembourg", "country": "LU"},
        "payment_method": "bank_transfer"
    });
    if let Some(email) = email {
        body["email"] = json!(email);
    }
    body
}

async fn add(
    s: &TestServer,
    shop: &str,
    session: &str,
    product: i64,
    quantity: i64,
) -> (u16, Value) {
    s.post(
        &format!("/api/v1/public/vendors/{shop}/cart/{session}/items"),
        None,
        json!({"product_id": product, "quantity": quantity}),
    )
    .await
}

#[tokio::test]
async fn a_customer_browses_buys_and_finds_the_order_in_their_history() {
    let s = TestServer::start().await;
    let (owner, scarf) = shop_with(&s, "alpha", "SCARF", "Écharpe en laine", 4990, 5).await;
    let lamp = product(&s, &owner, "LAMP", "Lampe de bureau", 2500, 3).await;
    let token = customer(&s, "alpha", "lea@example.lu").await;

    let (_, listed) = s.get("/api/v1/public/vendors/alpha/products", None).await;
    assert_eq!(listed["total"], 2, "{listed}");
    let (_, found) = s
        .get("/api/v1/public/vendors/alpha/products?q=echarpe", None)
        .await;
    assert_eq!(found["items"][0]["id"], scarf, "{found}");

    let cart = session(1);
    assert_eq!(add(&s, "alpha", &cart, scarf, 1).await.0, 200);
    let (status, view) = add(&s, "alpha", &cart, lamp, 2).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(
        (view["item_count"].as_i64(), view["subtotal_cents"].as_i64()),
        (Some(3), Some(9990))
    );
    // More than there is: refused, the cart unchanged.
    let (status, body) = add(&s, "alpha", &cart, lamp, 5).await;
    assert_error(status, &body, 409, "INSUFFICIENT_INVENTORY");

    let (status, order) = s
        .post(
            "/api/v1/public/vendors/alpha/orders",
            Some(&token),
            order_body(&cart, None),
        )
        .await;
    assert_eq!(status, 201, "{order}");
    let number = order["order_number"].as_str().unwrap().to_owned();
    assert_eq!(number, "ALP-000001");
    assert_eq!(
        (
            order["email"].as_str(),
            order["total_cents"].as_i64(),
            order["tax_cents"].as_i64(),
            order["status"].as_str()
        ),
        (
            Some("lea@example.lu"),
            Some(9990),
            Some(1452),
            Some("pending")
        )
    );

    let (_, history) = s
        .get(
            "/api/v1/public/vendors/alpha/customers/me/orders",
            Some(&token),
        )
        .await;
    assert_eq!(history["items"][0]["order_number"], number, "{history}");
    let (status, detail) = s
        .get(
            &format!("/api/v1/public/vendors/alpha/customers/me/orders/{number}"),
            Some(&token),
        )
        .await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["items"].as_array().unwrap().len(), 2);
    assert_eq!(detail["history"][0]["to_status"], "pending");

    // The vendor sees the units reserved, one movement per item.
    let (_, rows) = s.get("/api/v1/vendor/inventory", Some(&owner)).await;
    let reserved: Vec<(i64, i64)> = rows["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["product_id"].as_i64().unwrap(),
                r["reserved_quantity"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(
        reserved.contains(&(scarf, 1)) && reserved.contains(&(lamp, 2)),
        "{rows}"
    );
    for (id, quantity) in [(scarf, 1), (lamp, 2)] {
        let (_, moves) = s
            .get(
                &format!("/api/v1/vendor/inventory/movements?product_id={id}"),
                Some(&owner),
            )
            .await;
        let reservations: Vec<&Value> = moves["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["kind"] == "reserved")
            .collect();
        assert_eq!(reservations.len(), 1, "{moves}");
        assert_eq!(reservations[0]["reserved_delta"], quantity);
        assert!(reservations[0]["order_id"].is_i64());
    }
}

#[tokio::test]
async fn a_guest_checks_out_and_a_retry_with_its_key_places_nothing_more() {
    let s = TestServer::start().await;
    let (_, lamp) = shop_with(&s, "alpha", "LAMP", "Lampe", 2500, 3).await;
    let cart = session(2);
    add(&s, "alpha", &cart, lamp, 1).await;
    let (status, body) = s
        .post(
            "/api/v1/public/vendors/alpha/orders",
            None,
            order_body(&cart, None),
        )
        .await;
    assert_error(status, &body, 422, "VALIDATION_ERROR");
    assert!(body["fields"]["email"].is_array(), "{body}");

    let send = |key: &'static str| {
        s.client()
            .post(s.url("/api/v1/public/vendors/alpha/orders"))
            .header("Idempotency-Key", key)
            .json(&order_body(&cart, Some("guest@example.lu")))
            .send()
    };
    let (status, first) = e2e::answer(send("retry-1").await.unwrap()).await;
    assert_eq!(status, 201, "{first}");
    // Below the free-shipping threshold: 4.90 delivery.
    assert_eq!(
        (
            first["shipping_cents"].as_i64(),
            first["total_cents"].as_i64()
        ),
        (Some(490), Some(2990))
    );
    let (status, again) = e2e::answer(send("retry-1").await.unwrap()).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["order_number"], first["order_number"]);
    let (status, body) = e2e::answer(send("retry-2").await.unwrap()).await;
    assert_error(status, &body, 409, "CART_EMPTY");
}

#[tokio::test]
async fn a_guest_cart_merges_into_the_customers_on_sign_in() {
    let s = TestServer::start().await;
    let (owner, lamp) = shop_with(&s, "alpha", "LAMP", "Lampe", 2500, 9).await;
    let mug = product(&s, &owner, "MUG", "Tasse", 900, 9).await;
    let token = customer(&s, "alpha", "lea@example.lu").await;
    let laptop = session(3);
    add(&s, "alpha", &laptop, lamp, 1).await;
    let claim = |cart: String| {
        let token = token.clone();
        let s = &s;
        async move {
            s.post(
                &format!("/api/v1/public/vendors/alpha/cart/{cart}/claim"),
                Some(&token),
                json!({}),
            )
            .await
        }
    };
    assert_eq!(claim(laptop.clone()).await.0, 200);
    let phone = session(4);
    add(&s, "alpha", &phone, lamp, 2).await;
    add(&s, "alpha", &phone, mug, 1).await;
    let (status, merged) = claim(phone.clone()).await;
    assert_eq!(status, 200, "{merged}");
    let mut lines: Vec<(i64, i64)> = merged["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["product_id"].as_i64().unwrap(),
                l["quantity"].as_i64().unwrap(),
            )
        })
        .collect();
    lines.sort();
    assert_eq!(lines, vec![(lamp, 3), (mug, 1)]);
    let (_, old) = s
        .get(&format!("/api/v1/public/vendors/alpha/cart/{laptop}"), None)
        .await;
    assert_eq!(old["items"], json!([]), "the earlier cart was merged away");
}

#[tokio::test]
async fn a_hundred_buyers_race_for_the_last_ten_units() {
    let s = TestServer::start().await;
    let (_, lamp) = shop_with(&s, "alpha", "LAMP", "Lampe", 2500, 10).await;
    for n in 0..100 {
        let (status, body) = add(&s, "alpha", &session(100 + n), lamp, 1).await;
        assert_eq!(status, 200, "{body}");
    }
    let mut buyers = tokio::task::JoinSet::new();
    for n in 0..100 {
        let (client, url) = (s.client(), s.url("/api/v1/public/vendors/alpha/orders"));
        buyers.spawn(async move {
            let response = client
                .post(url)
                .json(&order_body(&session(100 + n), Some("buyer@example.lu")))
                .send()
                .await
                .unwrap();
            e2e::answer(response).await
        });
    }
    let answers = buyers.join_all().await;
    let placed = answers.iter().filter(|(status, _)| *status == 201).count();
    let refused: Vec<&Value> = answers
        .iter()
        .filter(|(status, _)| *status != 201)
        .map(|(_, body)| body)
        .collect();
    assert_eq!(placed, 10);
    assert_eq!(refused.len(), 90);
    for body in &refused {
        assert_eq!(body["error_code"], "INSUFFICIENT_INVENTORY", "{body}");
        assert_eq!(body["shortages"][0]["product_id"], lamp, "{body}");
    }
    let (_, product) = s
        .get(
            &format!("/api/v1/public/vendors/alpha/products/{lamp}"),
            None,
        )
        .await;
    assert_eq!(product["available"], false, "all ten reserved: {product}");
}

#[tokio::test]
async fn shops_customers_and_carts_cannot_reach_across() {
    let s = TestServer::start().await;
    let (_, lamp) = shop_with(&s, "alpha", "LAMP", "Lampe", 2500, 5).await;
    let (_, beta_mug) = shop_with(&s, "beta", "MUG", "Tasse", 900, 5).await;
    let lea = customer(&s, "alpha", "lea@example.lu").await;
    let cart = session(5);
    add(&s, "alpha", &cart, lamp, 1).await;
    let (status, order) = s
        .post(
            "/api/v1/public/vendors/alpha/orders",
            Some(&lea),
            order_body(&cart, None),
        )
        .await;
    assert_eq!(status, 201, "{order}");
    let number = order["order_number"].as_str().unwrap();

    // Beta's product cannot be bought through alpha's shop.
    let (status, body) = add(&s, "alpha", &session(6), beta_mug, 1).await;
    assert_error(status, &body, 404, "PRODUCT_NOT_FOUND");
    // Alpha's cart session at beta is another, empty cart.
    let other = session(7);
    add(&s, "alpha", &other, lamp, 1).await;
    let (_, at_beta) = s
        .get(&format!("/api/v1/public/vendors/beta/cart/{other}"), None)
        .await;
    assert_eq!(at_beta["items"], json!([]), "{at_beta}");
    // Alpha's customer has nothing at beta: orders, account, checkout.
    for path in [
        "/api/v1/public/vendors/beta/customers/me".to_owned(),
        "/api/v1/public/vendors/beta/customers/me/orders".to_owned(),
        format!("/api/v1/public/vendors/beta/customers/me/orders/{number}"),
    ] {
        let (status, body) = s.get(&path, Some(&lea)).await;
        assert_error(status, &body, 401, "TOKEN_INVALID");
    }
    let (status, body) = s
        .post(
            "/api/v1/public/vendors/beta/orders",
            Some(&lea),
            order_body(&other, None),
        )
        .await;
    assert_error(status, &body, 401, "TOKEN_INVALID");
    // Another customer of alpha does not see Léa's order.
    let mia = customer(&s, "alpha", "mia@example.lu").await;
    let (status, body) = s
        .get(
            &format!("/api/v1/public/vendors/alpha/customers/me/orders/{number}"),
            Some(&mia),
        )
        .await;
    assert_error(status, &body, 404, "ORDER_NOT_FOUND");
    // A price or a vendor in the body is refused, and nothing is placed.
    for (field, value) in [
        ("unit_price_cents", json!(1)),
        ("vendor_id", json!(2)),
        ("total_cents", json!(0)),
    ] {
        let mut body = order_body(&other, Some("g@example.lu"));
        body[field] = value;
        let (status, answer) = s
            .post("/api/v1/public/vendors/alpha/orders", None, body)
            .await;
        assert_eq!(status, 422, "{field}: {answer}");
    }
    let (_, still) = s
        .get(&format!("/api/v1/public/vendors/alpha/cart/{other}"), None)
        .await;
    assert_eq!(still["item_count"], 1, "{still}");
}

#[tokio::test]
async fn the_shops_checkout_settings_price_the_order() {
    let s = TestServer::start().await;
    let (owner, lamp) = shop_with(&s, "alpha", "LAMP", "Lampe", 2500, 9).await;
    let settings = json!({"shipping_flat_cents": 690, "free_shipping_from_cents": 10000,
                          "pickup_enabled": false, "vat_rate_basis_points": 800,
                          "payment_methods": ["bank_transfer"]});
    let (status, saved) = s
        .put(
            "/api/v1/vendor/settings/checkout",
            Some(&owner),
            settings.clone(),
        )
        .await;
    let mut stored = settings.clone();
    stored["bank_account"] = serde_json::Value::Null;
    assert_eq!(
        (status, &saved),
        (200, &stored),
        "no bank account given: none kept"
    );
    let (status, body) = s
        .put(
            "/api/v1/vendor/settings/checkout",
            Some(&owner),
            json!({"shipping_flat_cents": -1, "free_shipping_from_cents": null, "pickup_enabled": true,
                   "vat_rate_basis_points": 20000, "payment_methods": []}),
        )
        .await;
    assert_error(status, &body, 422, "VALIDATION_ERROR");
    for field in [
        "shipping_flat_cents",
        "vat_rate_basis_points",
        "payment_methods",
    ] {
        assert!(body["fields"][field].is_array(), "{field}: {body}");
    }
    let (_, options) = s.get("/api/v1/public/vendors/alpha/checkout", None).await;
    assert_eq!(
        options["shipping"].as_array().unwrap().len(),
        1,
        "no pickup: {options}"
    );
    assert_eq!(options["payment_methods"], json!(["bank_transfer"]));

    let cart = session(8);
    add(&s, "alpha", &cart, lamp, 3).await;
    let mut pickup = order_body(&cart, Some("g@example.lu"));
    pickup["shipping_method"] = json!("pickup");
    let (status, body) = s
        .post("/api/v1/public/vendors/alpha/orders", None, pickup)
        .await;
    assert_error(status, &body, 409, "METHOD_UNAVAILABLE");
    assert!(body["fields"]["shipping_method"].is_array(), "{body}");
    let (status, order) = s
        .post(
            "/api/v1/public/vendors/alpha/orders",
            None,
            order_body(&cart, Some("g@example.lu")),
        )
        .await;
    assert_eq!(status, 201, "{order}");
    // 75.00 is below the 100.00 threshold: 6.90 delivery; 8 % VAT included in 81.90.
    assert_eq!(
        (
            order["shipping_cents"].as_i64(),
            order["total_cents"].as_i64(),
            order["tax_cents"].as_i64(),
            order["vat_rate_basis_points"].as_i64()
        ),
        (Some(690), Some(8190), Some(607), Some(800))
    );
}
