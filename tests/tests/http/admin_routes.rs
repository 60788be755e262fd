//! Every admin route, as the OpenAPI document lists them, refuses a vendor's Owner, a customer
//! and a caller without a token — in the one error shape, changing nothing.

use e2e::TestServer;
use serde_json::{Value, json};

#[tokio::test]
async fn every_admin_route_refuses_owners_customers_and_strangers() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (alpha, owner) = s.vendor_with_owner(&admin, "alpha").await;
    let customer = s.customer_token("alpha", "lea@example.lu").await;
    let (status, spec) = s.get("/api/openapi.json", None).await;
    assert_eq!(status, 200);

    let mut tried = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1/admin/") || path.starts_with("/api/v1/admin/auth/") {
            continue;
        }
        // Path parameters name the real vendor (or a plausible id), so a missing check
        // would reach real data.
        let url = path
            .replace("{id}", &alpha.to_string())
            .replace("{key}", "platform_name")
            .replace("{user_id}", "1");
        for method in item.as_object().unwrap().keys() {
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let body = (method != reqwest::Method::GET).then(|| json!({}));
            for (who, token) in [
                ("owner", Some(owner.as_str())),
                ("customer", Some(customer.as_str())),
                ("nobody", None),
            ] {
                let (status, answer) = s.send(method.clone(), &url, token, body.clone()).await;
                assert!(
                    status == 401 || status == 403,
                    "{method} {url} as {who}: {status} {answer}"
                );
                assert!(
                    answer["error_code"].is_string(),
                    "{method} {url} as {who}: {answer}"
                );
                tried += 1;
            }
        }
    }
    assert!(
        tried >= 3 * 14,
        "only {tried} attempts: the spec lost admin routes"
    );
    // Nothing changed: the vendor is still there, open and unverified.
    let (status, vendor) = s
        .get(&format!("/api/v1/admin/vendors/{alpha}"), Some(&admin))
        .await;
    assert_eq!(status, 200, "{vendor}");
    assert_eq!(vendor["is_active"], Value::Bool(true));
    assert_eq!(vendor["is_verified"], Value::Bool(false));
    assert_eq!(vendor["deleted_at"], Value::Null);
}

#[tokio::test]
async fn every_admin_page_renders_for_an_admin_and_sends_others_to_sign_in() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (alpha, _) = s.vendor_with_owner(&admin, "alpha").await;
    let browser = s.admin_browser().await;
    let stranger = s.client();
    for path in [
        "/admin".to_owned(),
        "/admin/vendors".to_owned(),
        format!("/admin/vendors/{alpha}"),
        "/admin/users".to_owned(),
        "/admin/domains".to_owned(),
        "/admin/imports".to_owned(),
        "/admin/jobs".to_owned(),
        "/admin/audit".to_owned(),
        "/admin/settings".to_owned(),
    ] {
        let page = browser.get(s.url(&path)).send().await.unwrap();
        assert_eq!(page.status(), 200, "{path}");
        let html = page.text().await.unwrap();
        assert!(
            html.contains("Wizamart <span class=\"muted\">admin</span>"),
            "{path}"
        );
        let away = stranger.get(s.url(&path)).send().await.unwrap();
        assert_eq!(away.status(), 303, "{path}");
        assert_eq!(away.headers()["location"], "/admin/login", "{path}");
    }
}
