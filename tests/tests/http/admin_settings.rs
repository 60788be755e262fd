//! Platform settings over HTTP: typed values (a wrong one refused naming the key), each change
//! audited and seen by the very next request — in the portals' pages, the shop's registration,
//! new products' currency, the VAT of shops without their own rate and the upload limit.

use e2e::{TestServer, assert_error};
use serde_json::{Value, json};

async fn set(s: &TestServer, admin: &str, key: &str, value: Value) -> (u16, Value) {
    s.put(
        &format!("/api/v1/admin/settings/{key}"),
        Some(admin),
        json!({ "value": value }),
    )
    .await
}

#[tokio::test]
async fn settings_are_typed_and_a_wrong_value_is_refused_naming_its_key() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (status, list) = s.get("/api/v1/admin/settings", Some(&admin)).await;
    assert_eq!(status, 200, "{list}");
    let keys: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "platform_name",
            "support_email",
            "default_currency",
            "default_vat_rate_basis_points",
            "registration_open",
            "max_import_file_mb"
        ]
    );
    let vat = &list[3];
    assert_eq!(vat["kind"], "integer");
    assert_eq!(vat["value"], 1700);
    assert_eq!(vat["maximum"], 10_000);
    assert_eq!(vat["updated_at"], Value::Null);
    assert_eq!(list[2]["choices"], json!(["EUR", "CHF", "GBP", "USD"]));

    for (key, value) in [
        ("max_import_file_mb", json!("50")),
        ("max_import_file_mb", json!(0)),
        ("max_import_file_mb", json!(12.5)),
        ("registration_open", json!("no")),
        ("default_currency", json!("BTC")),
        ("support_email", json!("help at wizamart")),
        ("platform_name", json!("   ")),
        ("default_vat_rate_basis_points", json!(-1)),
    ] {
        let (status, body) = set(&s, &admin, key, value.clone()).await;
        assert_error(status, &body, 422, "VALIDATION_ERROR");
        assert!(body["fields"][key].is_array(), "{key} = {value}: {body}");
    }
    let (status, body) = set(&s, &admin, "colour_scheme", json!("dark")).await;
    assert_error(status, &body, 404, "SETTING_NOT_FOUND");
    let (status, body) = s
        .put(
            "/api/v1/admin/settings/platform_name",
            Some(&admin),
            json!({"value": "X", "extra": 1}),
        )
        .await;
    assert_eq!(status, 422, "{body}");

    // Nothing was stored, nothing audited.
    let (_, list) = s.get("/api/v1/admin/settings", Some(&admin)).await;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|s| s["updated_at"].is_null())
    );
    let (_, audit) = s
        .get(
            "/api/v1/admin/audit-logs?action=admin.setting_change",
            Some(&admin),
        )
        .await;
    assert_eq!(audit["items"], json!([]));
}

#[tokio::test]
async fn a_change_is_audited_and_seen_by_the_next_request() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (_, owner) = s.vendor_with_owner(&admin, "alpha").await;

    let (status, changed) = set(&s, &admin, "platform_name", json!("  Lëtzebuerg Shops ")).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["value"], "Lëtzebuerg Shops");
    assert_eq!(changed["updated_by"], e2e::ADMIN_EMAIL);
    let page = s
        .client()
        .get(s.url("/admin/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("<title>Sign in · Lëtzebuerg Shops admin</title>"),
        "{page}"
    );
    assert!(page.contains("support@wizamart.lu"));

    // Registration closed: the API refuses, the page says so; signing in still works.
    let (status, _) = set(&s, &admin, "registration_open", json!(false)).await;
    assert_eq!(status, 200);
    let (status, body) = s
        .post(
            "/api/v1/public/vendors/alpha/auth/register",
            None,
            json!({"email": "lea@example.lu", "password": "shopper-password", "first_name": "Léa", "last_name": "Schmit"}),
        )
        .await;
    assert_error(status, &body, 403, "REGISTRATION_CLOSED");
    let page = s
        .client()
        .get(s.url("/shop/alpha/account/register"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"registration-closed\""), "{page}");
    set(&s, &admin, "registration_open", json!(true)).await;
    s.customer_token("alpha", "lea@example.lu").await;

    // New products take the default currency; a shop without its own VAT rate the default rate.
    set(&s, &admin, "default_currency", json!("CHF")).await;
    let (status, product) = s
        .post(
            "/api/v1/vendor/products",
            Some(&owner),
            json!({"sku": "LAMP", "title": "Lampe", "price_cents": 2500}),
        )
        .await;
    assert_eq!(status, 201, "{product}");
    assert_eq!(product["currency"], "CHF");
    set(&s, &admin, "default_vat_rate_basis_points", json!(800)).await;
    let (status, checkout) = s
        .get("/api/v1/vendor/settings/checkout", Some(&owner))
        .await;
    assert_eq!(status, 200, "{checkout}");
    assert_eq!(checkout["vat_rate_basis_points"], 800);

    // Uploads above the platform's limit are refused.
    set(&s, &admin, "max_import_file_mb", json!(1)).await;
    let big = "id,title\n".to_owned() + &"x,y\n".repeat(300_000);
    let (status, body) = s
        .upload(
            "/api/v1/vendor/marketplace/import/upload?language=fr",
            &owner,
            reqwest::multipart::Part::text(big).file_name("feed.csv"),
        )
        .await;
    assert_error(status, &body, 413, "PAYLOAD_TOO_LARGE");
    assert!(body["detail"].as_str().unwrap().contains("1 MB"), "{body}");

    let (_, audit) = s
        .get(
            "/api/v1/admin/audit-logs?action=admin.setting_change",
            Some(&admin),
        )
        .await;
    let entries = audit["items"].as_array().unwrap();
    assert_eq!(entries.len(), 6);
    let first = entries.last().unwrap();
    assert_eq!(first["target_id"], "platform_name");
    assert_eq!(
        first["details"],
        json!({"from": "Wizamart", "to": "Lëtzebuerg Shops"})
    );
    assert_eq!(first["actor_email"], e2e::ADMIN_EMAIL);
}
