//! A shop's customer accounts over HTTP: register and sign in per shop, the profile and
//! address book behind a customer token, and the wall between shops and between customers.

use e2e::{TestServer, assert_error};
use serde_json::{Value, json};

/// Registers `email` at `shop` and signs in: the customer's access token.
async fn customer(s: &TestServer, shop: &str, email: &str) -> String {
    let base = format!("/api/v1/public/vendors/{shop}");
    let (status, body) = s
        .post(
            &format!("{base}/auth/register"),
            None,
            json!({"email": email, "password": "shopper-password", "first_name": "Léa", "last_name": "Schmit"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["customer"]["email"], email.to_lowercase());
    let (status, body) = s
        .post(
            &format!("{base}/auth/login"),
            None,
            json!({"email": email, "password": "shopper-password"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

fn home() -> Value {
    json!({"label": "Home", "name": "Léa Schmit", "street": "1 rue du Fort", "postal_code": "L-1234",
           "city": "Luxembourg", "country": "LU"})
}

#[tokio::test]
async fn a_customer_registers_signs_in_and_keeps_an_address_book() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    s.vendor_with_owner(&admin, "alpha").await;
    let token = customer(&s, "alpha", "Lea@Example.lu").await;
    let me = "/api/v1/public/vendors/alpha/customers/me";

    let (status, body) = s.get("/api/v1/auth/me", Some(&token)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["kind"].as_str(), body["vendor"]["code"].as_str()),
        (Some("customer"), Some("alpha"))
    );
    assert!(body.get("user").is_none(), "{body}");

    let (status, body) = s
        .put(me, Some(&token), json!({"phone": "+352 621 123 456"}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["first_name"].as_str(), body["phone"].as_str()),
        (Some("Léa"), Some("+352 621 123 456"))
    );

    let (status, first) = s
        .post(&format!("{me}/addresses"), Some(&token), home())
        .await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["is_default_shipping"], true);
    let mut office = home();
    office["name"] = json!("Bureau");
    office["is_default_shipping"] = json!(true);
    let (status, second) = s
        .post(&format!("{me}/addresses"), Some(&token), office)
        .await;
    assert_eq!(status, 201, "{second}");
    let (_, book) = s.get(&format!("{me}/addresses"), Some(&token)).await;
    let defaults: Vec<(String, bool, bool)> = book
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["name"].as_str().unwrap().to_owned(),
                a["is_default_shipping"].as_bool().unwrap(),
                a["is_default_billing"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        defaults,
        vec![
            ("Léa Schmit".into(), false, true),
            ("Bureau".into(), true, false)
        ]
    );

    // Bad input: a field report, nothing stored.
    let (status, body) = s
        .post(
            &format!("{me}/addresses"),
            Some(&token),
            json!({"name": " ", "street": "x", "postal_code": "1", "city": "y", "country": "lux"}),
        )
        .await;
    assert_error(status, &body, 422, "VALIDATION_ERROR");
    assert!(
        body["fields"]["name"].is_array() && body["fields"]["country"].is_array(),
        "{body}"
    );

    // The password changes only with the current one, and the old one stops working.
    let (status, body) = s
        .post(
            &format!("{me}/password"),
            Some(&token),
            json!({"current_password": "wrong-password", "new_password": "a new password"}),
        )
        .await;
    assert_error(status, &body, 403, "WRONG_PASSWORD");
    let (status, _) = s
        .post(
            &format!("{me}/password"),
            Some(&token),
            json!({"current_password": "shopper-password", "new_password": "a new password"}),
        )
        .await;
    assert_eq!(status, 204);
    let (status, body) = s
        .post(
            "/api/v1/public/vendors/alpha/auth/login",
            None,
            json!({"email": "lea@example.lu", "password": "shopper-password"}),
        )
        .await;
    assert_error(status, &body, 401, "INVALID_CREDENTIALS");
}

#[tokio::test]
async fn accounts_stay_in_their_shop_and_with_their_customer() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    s.vendor_with_owner(&admin, "alpha").await;
    let (_, beta_owner) = s.vendor_with_owner(&admin, "beta").await;
    let lea_alpha = customer(&s, "alpha", "lea@example.lu").await;
    // The same e-mail at beta is another account, with its own password.
    let lea_beta = customer(&s, "beta", "lea@example.lu").await;
    let (status, body) = s
        .post(
            "/api/v1/public/vendors/alpha/auth/register",
            None,
            json!({"email": "LEA@example.lu", "password": "another-password", "first_name": "L", "last_name": "S"}),
        )
        .await;
    assert_error(status, &body, 409, "EMAIL_TAKEN");

    let (status, address) = s
        .post(
            "/api/v1/public/vendors/alpha/customers/me/addresses",
            Some(&lea_alpha),
            home(),
        )
        .await;
    assert_eq!(status, 201, "{address}");
    let id = address["id"].as_i64().unwrap();

    // Alpha's token at beta's shop, beta's token at alpha's, and a team member's token.
    for (token, shop) in [
        (&lea_alpha, "beta"),
        (&lea_beta, "alpha"),
        (&beta_owner, "beta"),
    ] {
        let (status, body) = s
            .get(
                &format!("/api/v1/public/vendors/{shop}/customers/me/addresses"),
                Some(token),
            )
            .await;
        assert_error(status, &body, 401, "TOKEN_INVALID");
    }
    // Another customer of the same shop cannot change or delete the address.
    let mia = customer(&s, "alpha", "mia@example.lu").await;
    let path = format!("/api/v1/public/vendors/alpha/customers/me/addresses/{id}");
    let (status, body) = s.put(&path, Some(&mia), home()).await;
    assert_error(status, &body, 404, "ADDRESS_NOT_FOUND");
    let (status, body) = s
        .send(reqwest::Method::DELETE, &path, Some(&mia), None)
        .await;
    assert_error(status, &body, 404, "ADDRESS_NOT_FOUND");
    let (_, book) = s
        .get(
            "/api/v1/public/vendors/alpha/customers/me/addresses",
            Some(&lea_alpha),
        )
        .await;
    assert_eq!(book.as_array().unwrap().len(), 1, "{book}");
    // A customer token opens nothing of the vendor's dashboard API.
    let (status, body) = s.get("/api/v1/vendor/products", Some(&lea_alpha)).await;
    assert_error(status, &body, 401, "TOKEN_INVALID");
    // Without a token: 401.
    let (status, body) = s
        .get("/api/v1/public/vendors/alpha/customers/me", None)
        .await;
    assert_error(status, &body, 401, "TOKEN_INVALID");
}
