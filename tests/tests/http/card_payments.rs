//! Card payments against a stand-in for Stripe's API: a vendor connects its account (keys
//! sealed, never shown), checkout opens a Checkout Session for the order's total, and the
//! webhook — signed as Stripe signs — marks the order paid and confirmed exactly once however
//! often the event comes; a wrongly signed, replayed-too-late or other shop's event changes
//! nothing.

use diesel::RunQueryDsl;
use e2e::{FakeStripe, Options, TestServer, assert_error};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

const ALPHA_HOOK: &str = "whsec_alphaendpointsecret";
const BETA_HOOK: &str = "whsec_betaendpointsecret01";

fn signature(secret: &str, at: i64, body: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{at}.{body}").as_bytes());
    format!("t={at},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// A paid `checkout.session.completed` event for `order` opened as `session`.
fn completed(event: &str, session: &str, order: &str) -> String {
    json!({"id": event, "object": "event", "type": "checkout.session.completed",
           "data": {"object": {"id": session, "object": "checkout.session", "payment_status": "paid",
                               "client_reference_id": order, "metadata": {"order_number": order}}}})
    .to_string()
}

async fn deliver(s: &TestServer, shop: &str, body: &str, signature: &str) -> (u16, Value) {
    let response = s
        .client()
        .post(s.url(&format!("/api/v1/webhooks/stripe/{shop}")))
        .header("Content-Type", "application/json")
        .header("Stripe-Signature", signature)
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    e2e::answer(response).await
}

async fn connect(s: &TestServer, owner: &str, key: &str, hook: &str) -> Value {
    let (status, body) = s
        .put(
            "/api/v1/vendor/settings/card-payments",
            Some(owner),
            json!({"secret_key": key, "webhook_secret": hook}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn take_cards(s: &TestServer, owner: &str) -> (u16, Value) {
    s.put(
        "/api/v1/vendor/settings/checkout",
        Some(owner),
        json!({"shipping_flat_cents": 490, "free_shipping_from_cents": 5000, "pickup_enabled": true,
               "vat_rate_basis_points": 1700, "payment_methods": ["bank_transfer", "card"]}),
    )
    .await
}

/// A guest's card order of `quantity` units: the checkout's answer.
async fn card_order(s: &TestServer, shop: &str, product: i64, quantity: i64, cart: &str) -> Value {
    let base = format!("/api/v1/public/vendors/{shop}");
    let cart = format!("{cart:-<32}");
    s.post(
        &format!("{base}/cart/{cart}/items"),
        None,
        json!({"product_id": product, "quantity": quantity}),
    )
    .await;
    let (status, placed) = s
        .post(
            &format!("{base}/orders"),
            None,
            json!({"cart_session": cart, "email": "card@example.lu", "payment_method": "card",
                   "shipping_address": {"name": "Léa", "street": "1 rue", "postal_code": "L-1", "city": "Lux", "country": "LU"}}),
        )
        .await;
    assert_eq!(status, 201, "{placed}");
    placed
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn count(s: &TestServer, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Count>(&mut s.db.owner_conn())
        .unwrap()
        .n
}

#[tokio::test]
async fn a_card_order_is_paid_once_by_a_correctly_signed_webhook() {
    let stripe = FakeStripe::start();
    let s = TestServer::start_with(Options {
        stripe_api_base: Some(stripe.url.clone()),
        ..Options::default()
    })
    .await;
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
    let beta_lamp = s
        .product_with_stock(
            &beta_owner,
            json!({"sku": "LAMP", "title": "Lampe", "price_cents": 2500}),
            10,
        )
        .await;

    // Cards need a connected account; the keys are checked, sealed and never answered.
    let (status, body) = take_cards(&s, &owner).await;
    assert_error(status, &body, 409, "METHOD_UNAVAILABLE");
    let (status, body) = s
        .put(
            "/api/v1/vendor/settings/card-payments",
            Some(&owner),
            json!({"secret_key": "pk_test_not_a_secret_key", "webhook_secret": ALPHA_HOOK}),
        )
        .await;
    assert_error(status, &body, 422, "VALIDATION_ERROR");
    let editor = s
        .member_token(alpha, "alpha", "editor@alpha.test", "Editor")
        .await;
    let (status, body) = s
        .get("/api/v1/vendor/settings/card-payments", Some(&editor))
        .await;
    assert_error(status, &body, 403, "PERMISSION_DENIED");
    let connected = connect(&s, &owner, "sk_test_alphasecretkey1234", ALPHA_HOOK).await;
    assert_eq!(
        (
            connected["connected"].as_bool(),
            connected["key_hint"].as_str(),
            connected["live_mode"].as_bool()
        ),
        (Some(true), Some("1234"), Some(false))
    );
    assert!(
        connected["webhook_url"]
            .as_str()
            .unwrap()
            .ends_with("/api/v1/webhooks/stripe/alpha")
    );
    assert!(
        !connected.to_string().contains("alphasecretkey"),
        "never answered: {connected}"
    );
    let stored = count(
        &s,
        "SELECT count(*)::bigint AS n FROM payment_accounts WHERE position('alphasecretkey' in encode(secret_key_sealed, 'escape')) > 0",
    );
    assert_eq!(stored, 0, "sealed at rest");
    connect(&s, &beta_owner, "sk_test_betasecretkey56789", BETA_HOOK).await;
    for owner in [&owner, &beta_owner] {
        let (status, _) = take_cards(&s, owner).await;
        assert_eq!(status, 200);
    }
    let (_, options) = s.get("/api/v1/public/vendors/alpha/checkout", None).await;
    assert_eq!(
        options["payment_methods"],
        json!(["bank_transfer", "card"]),
        "{options}"
    );

    // Checkout opens a session for the order's total under the shop's own key.
    let placed = card_order(&s, "alpha", lamp, 2, "card-a").await;
    let number = placed["order_number"].as_str().unwrap().to_owned();
    assert_eq!(
        placed["payment_url"],
        "https://checkout.stripe.test/c/pay/cs_test_1"
    );
    let (auth, form) = stripe.requests.lock().unwrap()[0].clone();
    assert_eq!(auth, "Bearer sk_test_alphasecretkey1234");
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        (
            field("line_items[0][price_data][unit_amount]"),
            field("line_items[0][price_data][currency]"),
            field("metadata[order_number]"),
            field("customer_email"),
            field("mode")
        ),
        (
            "5000".to_owned(),
            "eur".to_owned(),
            number.clone(),
            "card@example.lu".to_owned(),
            "payment".to_owned()
        )
    );
    let beta_placed = card_order(&s, "beta", beta_lamp, 1, "card-b").await;
    let beta_number = beta_placed["order_number"].as_str().unwrap().to_owned();

    // Refused: a wrong signature, beta's secret, a replay from ten minutes ago.
    let now = chrono::Utc::now().timestamp();
    let event = completed("evt_1", "cs_test_1", &number);
    for (header, code) in [
        (
            format!("t={now},v1={}", "ab".repeat(32)),
            "SIGNATURE_INVALID",
        ),
        (signature(BETA_HOOK, now, &event), "SIGNATURE_INVALID"),
        (String::new(), "SIGNATURE_INVALID"),
        (
            signature(ALPHA_HOOK, now - 600, &event),
            "SIGNATURE_EXPIRED",
        ),
    ] {
        let (status, body) = deliver(&s, "alpha", &event, &header).await;
        assert_error(status, &body, 401, code);
    }
    let (_, order) = s
        .get(&format!("/api/v1/vendor/orders/{number}"), Some(&owner))
        .await;
    assert_eq!(order["payment_status"], "unpaid", "nothing changed yet");

    // Delivered three times: paid and confirmed once, one e-mail, one history row.
    let mut outcomes = Vec::new();
    for _ in 0..3 {
        let (status, answer) =
            deliver(&s, "alpha", &event, &signature(ALPHA_HOOK, now, &event)).await;
        assert_eq!(status, 200, "{answer}");
        outcomes.push(answer["outcome"].as_str().unwrap().to_owned());
    }
    assert_eq!(outcomes, ["paid", "duplicate", "duplicate"]);
    let (_, order) = s
        .get(&format!("/api/v1/vendor/orders/{number}"), Some(&owner))
        .await;
    assert_eq!(
        (order["status"].as_str(), order["payment_status"].as_str()),
        (Some("confirmed"), Some("paid"))
    );
    assert_eq!(order["history"].as_array().unwrap().len(), 2, "{order}");
    let told = count(
        &s,
        &format!(
            "SELECT count(*)::bigint AS n FROM outbound_emails WHERE template = 'order_status' AND context->'order'->>'order_number' = '{number}'"
        ),
    );
    assert_eq!(told, 1);
    // A second event for the same session finds it paid already.
    let again = completed("evt_2", "cs_test_1", &number);
    let (_, answer) = deliver(&s, "alpha", &again, &signature(ALPHA_HOOK, now, &again)).await;
    assert_eq!(answer["outcome"], "already_paid");

    // Beta's order named in an event signed for alpha: alpha finds no such order, beta's
    // stays unpaid; so does an event naming the right order with another session.
    let theirs = completed("evt_3", "cs_test_2", &beta_number);
    let (_, answer) = deliver(&s, "alpha", &theirs, &signature(ALPHA_HOOK, now, &theirs)).await;
    assert_eq!(answer["outcome"], "ignored");
    let wrong_session = completed("evt_4", "cs_test_999", &beta_number);
    let (_, answer) = deliver(
        &s,
        "beta",
        &wrong_session,
        &signature(BETA_HOOK, now, &wrong_session),
    )
    .await;
    assert_eq!(answer["outcome"], "ignored");
    let (_, beta_order) = s
        .get(
            &format!("/api/v1/vendor/orders/{beta_number}"),
            Some(&beta_owner),
        )
        .await;
    assert_eq!(beta_order["payment_status"], "unpaid");
    let (status, body) = deliver(&s, "nosuchshop", &theirs, "t=1,v1=00").await;
    assert_error(status, &body, 404, "VENDOR_NOT_FOUND");

    // A signed-in customer opens the payment of their own unpaid card order again; another
    // customer of the shop, or one of another shop, reaches nothing.
    let lea = s.customer_token("alpha", "lea@example.lu").await;
    let cart = format!("{:-<32}", "card-mine");
    s.post(
        &format!("/api/v1/public/vendors/alpha/cart/{cart}/items"),
        None,
        json!({"product_id": lamp, "quantity": 1}),
    )
    .await;
    let (status, mine) = s
        .post(
            "/api/v1/public/vendors/alpha/orders",
            Some(&lea),
            json!({"cart_session": cart, "payment_method": "card",
                   "shipping_address": {"name": "Léa", "street": "1 rue", "postal_code": "L-1", "city": "Lux", "country": "LU"}}),
        )
        .await;
    assert_eq!(status, 201, "{mine}");
    let pay = format!(
        "/api/v1/public/vendors/alpha/customers/me/orders/{}/card-payment",
        mine["order_number"].as_str().unwrap()
    );
    let (status, link) = s.post(&pay, Some(&lea), json!({})).await;
    assert_eq!(status, 200, "{link}");
    assert!(
        link["payment_url"]
            .as_str()
            .unwrap()
            .starts_with("https://checkout.stripe.test/")
    );
    let max = s.customer_token("alpha", "max@example.lu").await;
    let (status, body) = s.post(&pay, Some(&max), json!({})).await;
    assert_error(status, &body, 404, "ORDER_NOT_FOUND");
    let beta_customer = s.customer_token("beta", "lea@example.lu").await;
    let (status, _) = s.post(&pay, Some(&beta_customer), json!({})).await;
    assert_eq!(status, 401, "another shop's customer token");
    let paid_path =
        format!("/api/v1/public/vendors/alpha/customers/me/orders/{number}/card-payment");
    let (status, body) = s.post(&paid_path, Some(&lea), json!({})).await;
    assert_error(status, &body, 404, "ORDER_NOT_FOUND");

    // Disconnected: no more cards at checkout, and the webhook has no account.
    let (status, _) = s
        .send(
            reqwest::Method::DELETE,
            "/api/v1/vendor/settings/card-payments",
            Some(&owner),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (_, options) = s.get("/api/v1/public/vendors/alpha/checkout", None).await;
    assert_eq!(options["payment_methods"], json!(["bank_transfer"]));
    let (status, body) = deliver(&s, "alpha", &event, &signature(ALPHA_HOOK, now, &event)).await;
    assert_error(status, &body, 404, "CARD_ACCOUNT_NOT_FOUND");
}
