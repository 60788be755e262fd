//! End-to-end over HTTP: the walking skeleton's flows, the tenant wall, tokens, errors.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use e2e::{ADMIN_EMAIL, ADMIN_PASSWORD, Options, TestServer, answer, assert_error, csrf_of};
use serde_json::{Value, json};

#[tokio::test]
async fn admin_creates_a_vendor_and_its_owner_signs_in_as_owner() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let created = s
        .create_vendor(&admin, "luxtech", "Marie@LuxTech.test")
        .await;
    assert_eq!(created["vendor"]["code"], "luxtech");
    assert_eq!(created["vendor"]["is_active"], true);
    assert_eq!(created["owner"]["email"], "marie@luxtech.test");
    let password = created["temporary_password"]
        .as_str()
        .expect("temporary password shown once");

    let (status, login) = s
        .post(
            "/api/v1/vendor/auth/login",
            None,
            json!({"email": "marie@luxtech.test", "password": password, "vendor_code": "luxtech"}),
        )
        .await;
    assert_eq!(status, 200, "{login}");
    assert_eq!(login["vendor"]["code"], "luxtech");
    assert_eq!(login["role"], "Owner");
    let token = login["access_token"].as_str().unwrap();

    let (status, me) = s.get("/api/v1/auth/me", Some(token)).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["kind"], "vendor");
    assert_eq!(me["vendor"]["code"], "luxtech");
    assert_eq!(me["vendor"]["name"], "Vendor luxtech");
    assert_eq!(me["role"], "Owner");
    assert_eq!(me["user"]["email"], "marie@luxtech.test");
    assert!(
        me["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "team.manage")
    );

    let (status, detail) = s
        .get(
            &format!("/api/v1/admin/vendors/{}", created["vendor"]["id"]),
            Some(&admin),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(detail["owner"]["email"], "marie@luxtech.test");
    assert_eq!(detail["counts"]["members"], 1);
    assert!(
        detail.get("temporary_password").is_none(),
        "the password is never shown again"
    );

    let (status, me) = s.get("/api/v1/auth/me", Some(&admin)).await;
    assert_eq!(
        (status, me["kind"].as_str(), me["user"]["email"].as_str()),
        (200, Some("admin"), Some(ADMIN_EMAIL))
    );
}

#[tokio::test]
async fn admin_vendor_management_round_trip() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    for code in ["alpha", "beta"] {
        s.create_vendor(&admin, code, &format!("{code}@x.test"))
            .await;
    }
    let (_, page) = s
        .get("/api/v1/admin/vendors?q=alp&per_page=10", Some(&admin))
        .await;
    assert_eq!(
        (
            page["total"].as_i64(),
            page["page"].as_i64(),
            page["per_page"].as_i64()
        ),
        (Some(1), Some(1), Some(10))
    );
    let id = page["items"][0]["id"].as_i64().unwrap();
    let vendor = format!("/api/v1/admin/vendors/{id}");
    let (status, v) = s
        .put(
            &format!("{vendor}/verify"),
            Some(&admin),
            json!({"is_verified": true}),
        )
        .await;
    assert_eq!((status, v["is_verified"].as_bool()), (200, Some(true)));
    let (status, v) = s
        .put(
            &format!("{vendor}/status"),
            Some(&admin),
            json!({"is_active": false}),
        )
        .await;
    assert_eq!((status, v["is_active"].as_bool()), (200, Some(false)));
    let (status, v) = s
        .put(&vendor, Some(&admin), json!({"name": "Alpha Store"}))
        .await;
    assert_eq!((status, v["name"].as_str()), (200, Some("Alpha Store")));
    let (_, inactive) = s
        .get("/api/v1/admin/vendors?is_active=false", Some(&admin))
        .await;
    assert_eq!(inactive["items"][0]["code"], "alpha");
    let (_, stats) = s.get("/api/v1/admin/dashboard/stats", Some(&admin)).await;
    assert_eq!(
        (
            stats["vendors_total"].as_i64(),
            stats["vendors_active"].as_i64(),
            stats["vendors_verified"].as_i64()
        ),
        (Some(2), Some(1), Some(1))
    );

    let (status, _) = s
        .send(reqwest::Method::DELETE, &vendor, Some(&admin), None)
        .await;
    assert_eq!(status, 204);
    let (status, body) = s
        .get(&format!("/api/v1/admin/vendors/{id}"), Some(&admin))
        .await;
    assert_error(status, &body, 404, "VENDOR_NOT_FOUND");

    let (status, body) = s
        .post(
            "/api/v1/admin/vendors",
            Some(&admin),
            json!({"code": "beta", "name": "Again",
        "owner_email": "x@x.test", "owner_first_name": "X", "owner_last_name": "Y"}),
        )
        .await;
    assert_error(status, &body, 409, "VENDOR_CODE_TAKEN");

    let audit: i64 = {
        use db::schema::audit_logs as a;
        use diesel::prelude::*;
        a::table
            .filter(a::action.not_like("auth.%"))
            .count()
            .get_result(&mut s.db.owner_conn())
            .unwrap()
    };
    assert_eq!(
        audit, 6,
        "2 creates, verify, status, update, delete: every admin action is audited (sign-ins aside)"
    );
}

#[tokio::test]
async fn a_vendor_token_is_refused_on_another_vendors_data_and_reveals_nothing() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (_alpha_id, alpha) = s.vendor_with_owner(&admin, "alpha").await;
    let (beta_id, _beta) = s.vendor_with_owner(&admin, "beta").await;

    // Attack 1: vendor A reads vendor B through the admin API.
    let (status, body) = s
        .get(&format!("/api/v1/admin/vendors/{beta_id}"), Some(&alpha))
        .await;
    assert_error(status, &body, 401, "TOKEN_INVALID");
    assert!(
        !body.to_string().contains("beta"),
        "nothing about vendor B leaks: {body}"
    );

    // Attack 2: vendor A lists "the team" hoping to see other vendors' members.
    let (status, members) = s.get("/api/v1/vendor/team/members", Some(&alpha)).await;
    assert_eq!(status, 200);
    let emails: Vec<&str> = members
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["email"].as_str())
        .collect();
    assert_eq!(emails, ["owner@alpha.test"]);

    // Attack 3: vendor A's owner switches to vendor B.
    let (status, body) = s
        .post(
            "/api/v1/vendor/auth/switch",
            Some(&alpha),
            json!({"vendor_code": "beta"}),
        )
        .await;
    assert_error(status, &body, 403, "NOT_A_MEMBER");
    assert!(body.get("access_token").is_none());

    // Attack 4: vendor A's owner signs in to vendor B with A's valid credentials.
    let alpha_password = owner_password(&s, "alpha").await;
    let (status, body) = s
        .post(
            "/api/v1/vendor/auth/login",
            None,
            json!({"email": "owner@alpha.test", "password": alpha_password, "vendor_code": "beta"}),
        )
        .await;
    assert_error(status, &body, 403, "NOT_A_MEMBER");
    assert!(body.get("access_token").is_none());

    // Attack 5: vendor A's browser session opens vendor B's dashboard page.
    let browser = s.client();
    let csrf = csrf_of(&browser, &s.url("/vendor/alpha/login")).await;
    let signed_in = browser
        .post(s.url("/vendor/alpha/login"))
        .header("X-CSRF-Token", &csrf)
        .json(&json!({"email": "owner@alpha.test", "password": alpha_password}))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status().as_u16(), 200);
    let own = browser.get(s.url("/vendor/alpha/")).send().await.unwrap();
    assert_eq!(own.status().as_u16(), 200);
    let other = browser.get(s.url("/vendor/beta/")).send().await.unwrap();
    assert_eq!(
        other.status().as_u16(),
        303,
        "no dashboard for another vendor"
    );
    assert_eq!(other.headers()["location"], "/vendor/beta/login");
    let text = other.text().await.unwrap();
    assert!(!text.contains("owner@beta.test"));
}

async fn refresh(s: &TestServer, token: &str) -> (u16, Value) {
    s.post(
        "/api/v1/auth/refresh",
        None,
        json!({ "refresh_token": token }),
    )
    .await
}

async fn admin_login(s: &TestServer) -> (u16, Value) {
    s.post(
        "/api/v1/admin/auth/login",
        None,
        json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}),
    )
    .await
}

/// The seeded temporary password is unknown here, so tests set a known one.
async fn owner_password(s: &TestServer, code: &str) -> String {
    use diesel::connection::SimpleConnection;
    let hash = e2e::password_hash("known-password-1");
    s.db.owner_conn()
        .batch_execute(&format!(
            "UPDATE users SET password_hash = '{hash}' WHERE email = 'owner@{code}.test'"
        ))
        .unwrap();
    "known-password-1".to_owned()
}

#[tokio::test]
async fn forged_expired_unsigned_and_wrong_kind_tokens_answer_401() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (_, vendor) = s.vendor_with_owner(&admin, "alpha").await;

    let parts: Vec<&str> = admin.split('.').collect();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    let mut forged = claims.clone();
    forged["sub"] = json!("999");
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(forged.to_string()),
        parts[2]
    );
    let none = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        parts[1]
    );
    let mut old = claims.clone();
    old["iat"] = json!(claims["iat"].as_i64().unwrap() - 7200);
    old["exp"] = json!(claims["iat"].as_i64().unwrap() - 3600);
    let expired = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &old,
        &jsonwebtoken::EncodingKey::from_secret(e2e::JWT_SECRET.as_bytes()),
    )
    .unwrap();

    for (name, token, code) in [
        ("tampered", tampered.as_str(), "TOKEN_INVALID"),
        ("alg none", none.as_str(), "TOKEN_INVALID"),
        ("expired", expired.as_str(), "TOKEN_EXPIRED"),
        ("garbage", "not-a-jwt", "TOKEN_INVALID"),
    ] {
        let (status, body) = s.get("/api/v1/admin/vendors", Some(token)).await;
        assert_eq!(status, 401, "{name}");
        assert_error(status, &body, 401, code);
    }
    let (status, body) = s.get("/api/v1/admin/vendors", Some(&vendor)).await;
    assert_error(status, &body, 401, "TOKEN_INVALID");
    let (status, body) = s.get("/api/v1/vendor/team/members", Some(&admin)).await;
    assert_error(status, &body, 401, "TOKEN_INVALID");
    let (status, body) = s.get("/api/v1/admin/vendors", None).await;
    assert_error(status, &body, 401, "TOKEN_INVALID");
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_identical_answers() {
    let s = TestServer::start().await;
    let strip = |mut v: Value| {
        v.as_object_mut()
            .unwrap()
            .retain(|k, _| k != "timestamp" && k != "request_id");
        v
    };
    let (s1, unknown) = s
        .post(
            "/api/v1/admin/auth/login",
            None,
            json!({"email": "nobody@x.test", "password": "x"}),
        )
        .await;
    let (s2, wrong) = s
        .post(
            "/api/v1/admin/auth/login",
            None,
            json!({"email": ADMIN_EMAIL, "password": "x"}),
        )
        .await;
    assert_error(s1, &unknown, 401, "INVALID_CREDENTIALS");
    assert_eq!((s1, strip(unknown)), (s2, strip(wrong)));
}

#[tokio::test]
async fn the_sixth_rapid_failed_login_answers_429_with_retry_after() {
    let s = TestServer::start_with(Options {
        per_account_per_minute: 5,
        ..Options::default()
    })
    .await;
    let client = s.client();
    for _ in 0..5 {
        let (status, _) = s
            .post(
                "/api/v1/admin/auth/login",
                None,
                json!({"email": ADMIN_EMAIL, "password": "x"}),
            )
            .await;
        assert_eq!(status, 401);
    }
    let response = client
        .post(s.url("/api/v1/admin/auth/login"))
        .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after >= 1);
    let (status, body) = answer(response).await;
    assert_error(status, &body, 429, "RATE_LIMITED");
}

#[tokio::test]
async fn refresh_rotates_and_logout_revokes_over_http() {
    let s = TestServer::start().await;
    let (_, login) = admin_login(&s).await;
    let first = login["refresh_token"].as_str().unwrap();
    let (status, pair) = refresh(&s, first).await;
    assert_eq!(status, 200, "{pair}");
    let second = pair["refresh_token"].as_str().unwrap();
    let (status, me) = s
        .get("/api/v1/auth/me", pair["access_token"].as_str())
        .await;
    assert_eq!((status, me["kind"].as_str()), (200, Some("admin")));
    let (status, again) = refresh(&s, first).await;
    assert_eq!(
        status, 200,
        "within the grace a spent token answers its successor: {again}"
    );
    assert_eq!(again["refresh_token"].as_str(), Some(second));
    {
        use diesel::connection::SimpleConnection;
        s.db.owner_conn()
            .batch_execute("UPDATE refresh_tokens SET revoked_at = now() - interval '1 minute' WHERE revoked_at IS NOT NULL")
            .unwrap();
    }
    let (status, body) = refresh(&s, first).await;
    assert_error(status, &body, 401, "TOKEN_INVALID");
    let (status, body) = refresh(&s, second).await;
    assert_error(status, &body, 401, "TOKEN_INVALID");

    let (_, login) = admin_login(&s).await;
    let token = login["refresh_token"].as_str().unwrap();
    let (status, _) = s
        .post("/api/v1/auth/logout", None, json!({"refresh_token": token}))
        .await;
    assert_eq!(status, 204);
    let (status, body) = refresh(&s, token).await;
    assert_error(status, &body, 401, "TOKEN_INVALID");
}

#[tokio::test]
async fn bad_input_answers_the_error_shape_never_500() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let client = s.client();
    let raw = |body: &'static str| {
        client
            .post(s.url("/api/v1/admin/vendors"))
            .bearer_auth(&admin)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let (status, body) = answer(raw("{not json").await.unwrap()).await;
    assert_error(status, &body, 422, "INVALID_JSON");
    let (status, body) = answer(
        raw(r#"{"code":"ok","name":"n","owner_email":"a@b.lu","owner_first_name":"a","owner_last_name":"b","is_platform_admin":true}"#)
            .await
            .unwrap(),
    )
    .await;
    assert_error(status, &body, 422, "INVALID_JSON");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("is_platform_admin"),
        "names the unknown field: {body}"
    );

    let (status, body) = s
        .post(
            "/api/v1/admin/vendors",
            Some(&admin),
            json!({"code": "-bad-", "name": "", "owner_email": "nope",
            "owner_first_name": "a", "owner_last_name": "b"}),
        )
        .await;
    assert_error(status, &body, 422, "VALIDATION_ERROR");
    for field in ["code", "name", "owner_email"] {
        assert!(
            body["fields"][field]
                .as_array()
                .is_some_and(|m| !m.is_empty()),
            "{field}: {body}"
        );
    }

    let (status, body) = s
        .get("/api/v1/admin/vendors?page=first", Some(&admin))
        .await;
    assert_error(status, &body, 422, "INVALID_QUERY");
    let (status, body) = s
        .get("/api/v1/admin/vendors/not-a-number", Some(&admin))
        .await;
    assert_error(status, &body, 404, "NOT_FOUND");
    let (status, body) = s.get("/api/v1/no/such/route", None).await;
    assert_error(status, &body, 404, "NOT_FOUND");
    let text = client
        .post(s.url("/api/v1/admin/auth/login"))
        .body("email=x")
        .send()
        .await
        .unwrap();
    let (status, body) = answer(text).await;
    assert_error(status, &body, 415, "UNSUPPORTED_MEDIA_TYPE");
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_errors_repeat_it() {
    let s = TestServer::start().await;
    let response = s.client().get(s.url("/health")).send().await.unwrap();
    assert!(response.headers().contains_key("x-request-id"));
    let response = s
        .client()
        .get(s.url("/api/v1/auth/me"))
        .header("X-Request-ID", "trace-abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "trace-abc-123");
    let (_, body) = answer(response).await;
    assert_eq!(body["request_id"], "trace-abc-123");
    let response = s
        .client()
        .get(s.url("/health"))
        .header("X-Request-ID", "bad id\twith spaces")
        .send()
        .await
        .unwrap();
    assert_ne!(
        response.headers()["x-request-id"],
        "bad id\twith spaces",
        "an unsafe id is replaced"
    );
}

#[tokio::test]
async fn health_and_openapi() {
    let s = TestServer::start().await;
    let (status, health) = s.get("/health", None).await;
    assert_eq!(
        (
            status,
            health["status"].as_str(),
            health["database"].as_str()
        ),
        (200, Some("ok"), Some("up"))
    );
    let (status, ready) = s.get("/health/ready", None).await;
    assert_eq!((status, ready["database"].as_str()), (200, Some("up")));
    let (status, live) = s.get("/health/live", None).await;
    assert_eq!((status, live["status"].as_str()), (200, Some("ok")));

    let metrics = s.client().get(s.url("/metrics")).send().await.unwrap();
    assert_eq!(metrics.status().as_u16(), 200);
    let text = metrics.text().await.unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("wizamart_http_requests_total{")
                && l.contains(r#"endpoint="/health/live""#)
                && l.ends_with(" 1")),
        "the live probe was counted once: {text}"
    );
    assert!(text.contains("wizamart_db_pool_connections "), "{text}");

    let (status, doc) = s.get("/api/openapi.json", None).await;
    assert_eq!(status, 200);
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/admin/auth/login", "post"),
        ("/api/v1/vendor/auth/login", "post"),
        ("/api/v1/vendor/auth/switch", "post"),
        ("/api/v1/auth/refresh", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/auth/me", "get"),
        ("/api/v1/admin/vendors", "get"),
        ("/api/v1/admin/vendors", "post"),
        ("/api/v1/admin/vendors/bulk-import", "post"),
        ("/api/v1/admin/vendors/{id}", "get"),
        ("/api/v1/admin/vendors/{id}", "put"),
        ("/api/v1/admin/vendors/{id}", "delete"),
        ("/api/v1/admin/vendors/{id}/verify", "put"),
        ("/api/v1/admin/vendors/{id}/status", "put"),
        ("/api/v1/admin/dashboard/stats", "get"),
        ("/api/v1/vendor/team/members", "get"),
        ("/health", "get"),
        ("/health/live", "get"),
        ("/health/ready", "get"),
        ("/metrics", "get"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is missing from OpenAPI"
        );
    }
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    let docs = s.client().get(s.url("/docs/")).send().await.unwrap();
    assert_eq!(docs.status().as_u16(), 200);
    assert!(
        docs.text().await.unwrap().contains("swagger"),
        "the browsable UI is served"
    );
}

#[tokio::test]
async fn browser_sessions_need_the_csrf_token_to_change_anything() {
    let s = TestServer::start().await;
    let browser = s.client();
    let no_token = browser
        .post(s.url("/admin/login"))
        .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    let (status, body) = answer(no_token).await;
    assert_error(status, &body, 403, "CSRF_FAILED");

    let csrf = csrf_of(&browser, &s.url("/admin/login")).await;
    let login = browser
        .post(s.url("/admin/login"))
        .header("X-CSRF-Token", &csrf)
        .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    let cookie = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().to_owned())
        .collect::<Vec<_>>();
    assert!(
        cookie
            .iter()
            .any(|c| c.starts_with("wz_admin=") && c.contains("HttpOnly")),
        "{cookie:?}"
    );
    let (status, body) = answer(login).await;
    assert_eq!((status, body["redirect"].as_str()), (200, Some("/admin")));

    let (status, list) = answer(
        browser
            .get(s.url("/api/v1/admin/vendors"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, list["total"].as_i64()),
        (200, Some(0)),
        "reads need no CSRF token"
    );

    let body = json!({"code": "csrf", "name": "C", "owner_email": "c@x.test", "owner_first_name": "C", "owner_last_name": "D"});
    let forged = browser
        .post(s.url("/api/v1/admin/vendors"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let (status, err) = answer(forged).await;
    assert_error(status, &err, 403, "CSRF_FAILED");
    let real = browser
        .post(s.url("/api/v1/admin/vendors"))
        .header("X-CSRF-Token", &csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(real.status().as_u16(), 201);

    let page = browser.get(s.url("/admin")).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(r#"id="stat-vendors">1<"#),
        "the dashboard counts the new vendor"
    );
    let logout = browser
        .post(s.url("/admin/logout"))
        .header("X-CSRF-Token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status().as_u16(), 200);
    let after = browser.get(s.url("/admin")).send().await.unwrap();
    assert_eq!(
        (
            after.status().as_u16(),
            after.headers()["location"].to_str().unwrap()
        ),
        (303, "/admin/login")
    );
}

#[tokio::test]
async fn pages_of_unknown_or_inactive_vendors_are_not_found() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (id, _) = s.vendor_with_owner(&admin, "closing").await;
    let page = s
        .client()
        .get(s.url("/vendor/closing/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);
    s.client()
        .put(s.url(&format!("/api/v1/admin/vendors/{id}/status")))
        .bearer_auth(&admin)
        .json(&json!({"is_active": false}))
        .send()
        .await
        .unwrap();
    for path in [
        "/vendor/closing/login",
        "/vendor/closing/",
        "/vendor/nobody/login",
    ] {
        let page = s.client().get(s.url(path)).send().await.unwrap();
        assert_eq!(page.status().as_u16(), 404, "{path}");
        assert!(page.text().await.unwrap().contains("Not found"));
    }
}
