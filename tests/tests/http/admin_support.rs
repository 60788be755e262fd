//! Support sessions ("login as") over HTTP: an admin acts as a team member or a customer with
//! a reason, audited naming both, for one access token's life, never as an admin; in the
//! browser the header says so and one click ends it and returns to the admin pages.

use e2e::{ADMIN_EMAIL, TestServer, assert_error, csrf_of};
use serde_json::{Value, json};

const REASON: &str = "Ticket 4711: cannot find the import button";

async fn login_as(s: &TestServer, admin: &str, body: Value) -> (u16, Value) {
    s.post("/api/v1/admin/login-as", Some(admin), body).await
}

#[tokio::test]
async fn an_admin_acts_as_a_member_or_customer_for_a_while_and_it_is_audited() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (alpha, _) = s.vendor_with_owner(&admin, "alpha").await;
    s.customer_token("alpha", "lea@example.lu").await;

    let (status, support) = login_as(
        &s,
        &admin,
        json!({"vendor_id": alpha, "kind": "member", "email": "OWNER@alpha.test", "reason": REASON}),
    )
    .await;
    assert_eq!(status, 200, "{support}");
    assert_eq!(support["kind"], "vendor");
    assert_eq!(support["vendor_code"], "alpha");
    assert_eq!(support["email"], "owner@alpha.test");
    assert!(support.get("refresh_token").is_none());
    let token = support["access_token"].as_str().unwrap();
    let (status, me) = s.get("/api/v1/auth/me", Some(token)).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["user"]["email"], "owner@alpha.test");
    assert_eq!(me["role"], "Owner");
    let (status, _) = s.get("/api/v1/vendor/products", Some(token)).await;
    assert_eq!(status, 200);
    // What the session does is audited as the member's, naming the admin.
    let response = s
        .client()
        .get(s.url("/api/v1/vendor/orders/export"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let (_, audit) = s
        .get(
            "/api/v1/admin/audit-logs?action=export.orders",
            Some(&admin),
        )
        .await;
    let export = &audit["items"][0];
    assert_eq!(export["actor_email"], "owner@alpha.test");
    let (_, me) = s.get("/api/v1/auth/me", Some(&admin)).await;
    assert_eq!(export["details"]["support_admin"], me["user"]["id"]);
    // It cannot turn itself into a session of the member's own.
    let (status, body) = s
        .post(
            "/api/v1/vendor/auth/switch",
            Some(token),
            json!({"vendor_code": "alpha"}),
        )
        .await;
    assert_error(status, &body, 403, "SUPPORT_SESSION");

    let (status, support) = login_as(
        &s,
        &admin,
        json!({"vendor_id": alpha, "kind": "customer", "email": "lea@example.lu", "reason": REASON}),
    )
    .await;
    assert_eq!(status, 200, "{support}");
    assert_eq!(support["kind"], "customer");
    let (status, me) = s
        .get(
            "/api/v1/auth/me",
            Some(support["access_token"].as_str().unwrap()),
        )
        .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["customer"]["email"], "lea@example.lu");

    let (_, audit) = s
        .get(
            "/api/v1/admin/audit-logs?action=admin.login_as",
            Some(&admin),
        )
        .await;
    let entries = audit["items"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    let member = &entries[1];
    assert_eq!(member["actor_email"], ADMIN_EMAIL);
    assert_eq!(member["vendor_code"], "alpha");
    assert_eq!(member["target_type"], "user");
    assert_eq!(member["details"]["email"], "owner@alpha.test");
    assert_eq!(member["details"]["reason"], REASON);
    assert_eq!(entries[0]["target_type"], "customer");
    assert_eq!(entries[0]["details"]["email"], "lea@example.lu");
}

#[tokio::test]
async fn admins_strangers_and_reasonless_requests_are_refused() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (alpha, _) = s.vendor_with_owner(&admin, "alpha").await;
    let (status, body) = login_as(
        &s,
        &admin,
        json!({"vendor_id": alpha, "kind": "member", "email": ADMIN_EMAIL, "reason": REASON}),
    )
    .await;
    assert_error(status, &body, 403, "CANNOT_IMPERSONATE_ADMIN");
    for (body, status, code) in [
        (
            json!({"vendor_id": alpha, "kind": "member", "email": "ghost@alpha.test", "reason": REASON}),
            404,
            "TARGET_NOT_FOUND",
        ),
        (
            json!({"vendor_id": alpha, "kind": "customer", "email": "ghost@alpha.test", "reason": REASON}),
            404,
            "TARGET_NOT_FOUND",
        ),
        (
            json!({"vendor_id": alpha, "kind": "member", "email": "owner@alpha.test", "reason": "help"}),
            422,
            "VALIDATION_ERROR",
        ),
        (
            json!({"vendor_id": alpha, "kind": "admin", "email": "owner@alpha.test", "reason": REASON}),
            422,
            "INVALID_JSON",
        ),
    ] {
        let (got, answer) = login_as(&s, &admin, body.clone()).await;
        assert_error(got, &answer, status, code);
    }
    let (beta, _) = s.vendor_with_owner(&admin, "beta").await;
    let (status, body) = login_as(
        &s,
        &admin,
        json!({"vendor_id": beta, "kind": "member", "email": "owner@alpha.test", "reason": REASON}),
    )
    .await;
    assert_error(status, &body, 403, "NOT_A_MEMBER");
    let (_, audit) = s
        .get(
            "/api/v1/admin/audit-logs?action=admin.login_as",
            Some(&admin),
        )
        .await;
    assert_eq!(audit["items"], json!([]), "nothing was opened");
}

#[tokio::test]
async fn in_the_browser_the_header_shows_the_session_and_ending_it_returns_to_the_admin() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (alpha, _) = s.vendor_with_owner(&admin, "alpha").await;
    let browser = s.admin_browser().await;
    let csrf = csrf_of(&browser, &s.url("/admin/users")).await;
    let started = browser
        .post(s.url("/admin/login-as"))
        .header("X-CSRF-Token", &csrf)
        .json(&json!({"vendor_id": alpha, "kind": "member", "email": "owner@alpha.test", "reason": REASON}))
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), 200);
    let cookies: Vec<String> = started
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().to_owned())
        .collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("wz_vendor=") && c.contains("Max-Age="))
    );
    assert!(
        cookies.iter().any(|c| c.starts_with("wz_vendor_rt=;")),
        "no refresh cookie: {cookies:?}"
    );
    let started: Value = started.json().await.unwrap();
    assert_eq!(started["redirect"], "/vendor/alpha/");

    let page = browser.get(s.url("/vendor/alpha/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    // The page's own calls work in the support session (nothing makes it reload).
    let vendors = browser
        .get(s.url("/api/v1/vendor/auth/vendors"))
        .send()
        .await
        .unwrap();
    assert_eq!(vendors.status(), 200, "{:?}", vendors.text().await);
    let page = page.text().await.unwrap();
    assert!(page.contains(r#"id="support-banner""#), "{page}");
    assert!(
        page.contains(&format!("{ADMIN_EMAIL} is acting as this")),
        "{page}"
    );
    // The admin pages say so too, while it lasts.
    let admin_page = browser.get(s.url("/admin/users")).send().await.unwrap();
    assert!(admin_page.text().await.unwrap().contains("support-banner"));

    let ended = browser
        .post(s.url("/admin/login-as/end"))
        .header("X-CSRF-Token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status(), 200);
    let ended: Value = ended.json().await.unwrap();
    assert_eq!(ended["redirect"], "/admin/users");
    let after = browser.get(s.url("/vendor/alpha/")).send().await.unwrap();
    assert_eq!(after.status(), 303, "the vendor page wants a sign-in again");
    let admin_page = browser.get(s.url("/admin/users")).send().await.unwrap();
    assert_eq!(admin_page.status(), 200, "the admin is still signed in");
    assert!(!admin_page.text().await.unwrap().contains("support-banner"));
}
