//! The foundation's hardening over HTTP: headers, themes, proxies, passwords, sessions.

use diesel::connection::SimpleConnection;
use e2e::{ADMIN_EMAIL, ADMIN_PASSWORD, Options, TestServer, answer, assert_error};
use serde_json::json;

#[tokio::test]
async fn pages_and_api_answers_carry_the_security_headers() {
    let s = TestServer::start().await;
    let page = s.client().get(s.url("/admin/login")).send().await.unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("script-src 'self';"), "{csp}");
    assert!(
        !csp.contains("unsafe-eval") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(page.headers()["x-frame-options"], "DENY");
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.unwrap();
    assert!(
        !html.contains("<script>") && !html.contains("onclick="),
        "no inline script"
    );

    let login = s
        .client()
        .post(s.url("/api/v1/admin/auth/login"))
        .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        login.headers()["cache-control"],
        "no-store",
        "tokens are never cached"
    );
    assert!(login.headers().contains_key("content-security-policy"));
    let (_, body) = answer(login).await;
    let me = s
        .client()
        .get(s.url("/api/v1/auth/me"))
        .bearer_auth(body["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(me.headers()["cache-control"], "no-store");
    assert!(
        !me.headers().contains_key("strict-transport-security"),
        "HSTS only in production"
    );
}

#[tokio::test]
async fn themes_are_validated_when_written_and_rendered_without_injection() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let created = s.create_vendor(&admin, "themed", "o@themed.test").await;
    let vendor = format!("/api/v1/admin/vendors/{}", created["vendor"]["id"]);
    let (status, body) = s
        .put(
            &vendor,
            Some(&admin),
            json!({"theme": {"primary_color": "#fff;} body{display:none} a{color:#000", "font": "serif"}}),
        )
        .await;
    assert_error(status, &body, 422, "VALIDATION_ERROR");
    assert!(body["fields"]["theme.primary_color"].is_array(), "{body}");
    let (status, body) = s
        .put(
            &vendor,
            Some(&admin),
            json!({"theme": {"font": "<script>"}}),
        )
        .await;
    assert_error(status, &body, 422, "INVALID_JSON");

    let (status, v) = s
        .put(
            &vendor,
            Some(&admin),
            json!({"theme": {"primary_color": "#AA3300", "font": "serif"}}),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["theme"]["primary_color"], "#aa3300");
    // A value written before validation existed, straight into the table, is not rendered.
    s.db.owner_conn()
        .batch_execute(
            "UPDATE vendors SET theme = theme || '{\"accent_color\": \"red</style><script>alert(1)</script>\"}' WHERE code = 'themed'",
        )
        .unwrap();
    let page = s
        .client()
        .get(s.url("/vendor/themed/login"))
        .send()
        .await
        .unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = page.text().await.unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("the page policy names a style nonce");
    assert!(
        html.contains(&format!(
            r#"<style nonce="{nonce}">:root {{ --primary: #aa3300; --font: Georgia"#
        )),
        "{html}"
    );
    assert!(!html.contains("alert(1)"), "{html}");
}

#[tokio::test]
async fn a_client_cannot_escape_the_ip_limit_by_varying_x_forwarded_for() {
    let s = TestServer::start_with(Options {
        per_ip_per_minute: 3,
        trusted_proxy_hops: 1,
        ..Options::default()
    })
    .await;
    let attempt = |spoofed: String| {
        let client = s.client();
        let url = s.url("/api/v1/admin/auth/login");
        async move {
            let response = client
                .post(url)
                // The left-most entries are the client's own words; our proxy appended the last.
                .header("X-Forwarded-For", format!("{spoofed}, 203.0.113.9"))
                .json(&json!({"email": format!("{spoofed}@x.test"), "password": "x"}))
                .send()
                .await
                .unwrap();
            answer(response).await
        }
    };
    for n in 0..3 {
        let (status, _) = attempt(format!("10.9.9.{n}")).await;
        assert_eq!(status, 401);
    }
    let (status, body) = attempt("10.9.9.200".into()).await;
    assert_error(status, &body, 429, "RATE_LIMITED");

    let other = s
        .client()
        .post(s.url("/api/v1/admin/auth/login"))
        .header("X-Forwarded-For", "203.0.113.10")
        .json(&json!({"email": "someone@x.test", "password": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        other.status().as_u16(),
        401,
        "another client behind the proxy is not limited"
    );
}

#[tokio::test]
async fn every_character_of_a_long_password_counts_and_over_200_are_refused() {
    let s = TestServer::start().await;
    let password = "é".repeat(36); // 72 bytes: all bcrypt itself would read
    s.db.owner_conn()
        .batch_execute(&format!(
            "UPDATE users SET password_hash = '{}' WHERE email = '{ADMIN_EMAIL}'",
            e2e::password_hash(&password)
        ))
        .unwrap();
    let login = |password: String| {
        s.post(
            "/api/v1/admin/auth/login",
            None,
            json!({"email": ADMIN_EMAIL, "password": password}),
        )
    };
    let (status, body) = login(password.clone()).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = login(format!("{password}x")).await;
    assert_error(status, &body, 401, "INVALID_CREDENTIALS");
    let (status, body) = login("p".repeat(201)).await;
    assert_error(status, &body, 422, "VALIDATION_ERROR");
    assert!(
        body["fields"]["password"][0]
            .as_str()
            .unwrap()
            .contains("200 characters"),
        "{body}"
    );
}

#[tokio::test]
async fn parallel_page_loads_with_only_the_refresh_cookie_all_succeed_and_the_session_lives_on() {
    let s = TestServer::start().await;
    let login = s.admin_session().await;
    let refresh = login["refresh_token"].as_str().unwrap().to_owned();
    let load = |token: String| {
        let client = s.client();
        let url = s.url("/admin/vendors");
        async move {
            client
                .get(url)
                .header("Cookie", format!("wz_admin_rt={token}"))
                .send()
                .await
                .unwrap()
        }
    };
    let pages = futures_join_all((0..5).map(|_| load(refresh.clone()))).await;
    let mut renewed = Vec::new();
    for page in &pages {
        assert_eq!(page.status().as_u16(), 200, "no page was sent to the login");
        let cookie = page
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|c| c.to_str().ok())
            .find_map(|c| c.strip_prefix("wz_admin_rt="))
            .map(|c| c.split(';').next().unwrap().to_owned())
            .expect("a renewed refresh cookie");
        renewed.push(cookie);
    }
    assert!(
        renewed.iter().all(|c| *c == renewed[0]),
        "one successor for all: {renewed:?}"
    );
    let later = load(renewed[0].clone()).await;
    assert_eq!(later.status().as_u16(), 200, "the session keeps working");
}

/// Runs the futures at once (tokio's join for a vector).
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}
