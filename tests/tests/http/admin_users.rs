//! Team accounts managed by the platform admin over HTTP: the list with memberships and
//! filters, switching off (every session ends at once), temporary passwords, admin rights —
//! never the last active admin, never a team member — each audited.

use e2e::{ADMIN_EMAIL, TestServer, assert_error};
use serde_json::{Value, json};

async fn find(s: &TestServer, admin: &str, query: &str) -> Value {
    let (status, page) = s
        .get(&format!("/api/v1/admin/users?{query}"), Some(admin))
        .await;
    assert_eq!(status, 200, "{page}");
    page
}

#[tokio::test]
async fn the_admin_finds_people_with_their_teams() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (alpha, _) = s.vendor_with_owner(&admin, "alpha").await;
    s.vendor_with_owner(&admin, "beta").await;
    s.add_member(alpha, "sam@alpha.test", "member-password-1", "Viewer");

    let all = find(&s, &admin, "").await;
    assert_eq!(all["total"], 4);
    let owner = find(&s, &admin, "q=owner@alpha").await;
    assert_eq!(owner["total"], 1);
    let person = &owner["items"][0];
    assert_eq!(person["email"], "owner@alpha.test");
    assert_eq!(person["memberships"][0]["vendor_code"], "alpha");
    assert_eq!(person["memberships"][0]["role"], "Owner");
    assert_eq!(person["memberships"][0]["is_active"], true);
    assert!(person["last_login_at"].is_string());
    let team = find(&s, &admin, "vendor=alpha").await;
    let emails: Vec<&str> = team["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["sam@alpha.test", "owner@alpha.test"]);
    let admins = find(&s, &admin, "is_platform_admin=true").await;
    assert_eq!(admins["total"], 1);
    assert_eq!(admins["items"][0]["email"], ADMIN_EMAIL);
    assert_eq!(admins["items"][0]["memberships"], json!([]));
    assert_eq!(find(&s, &admin, "vendor=nowhere").await["total"], 0);
}

#[tokio::test]
async fn switching_off_ends_every_session_and_a_temporary_password_works_once_shown() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (alpha, _) = s.vendor_with_owner(&admin, "alpha").await;
    let sam = s
        .member_token(alpha, "alpha", "sam@alpha.test", "Viewer")
        .await;
    let sam_id = find(&s, &admin, "q=sam@").await["items"][0]["id"]
        .as_i64()
        .unwrap();
    let (_, login) = s
        .post(
            "/api/v1/vendor/auth/login",
            None,
            json!({"email": "sam@alpha.test", "password": "member-password-1", "vendor_code": "alpha"}),
        )
        .await;
    let refresh = login["refresh_token"].as_str().unwrap().to_owned();

    let (status, off) = s
        .put(
            &format!("/api/v1/admin/users/{sam_id}/status"),
            Some(&admin),
            json!({"is_active": false}),
        )
        .await;
    assert_eq!(status, 200, "{off}");
    assert_eq!(off["is_active"], false);
    let (status, body) = s.get("/api/v1/vendor/products", Some(&sam)).await;
    assert_error(status, &body, 403, "ACCOUNT_INACTIVE");
    let (status, body) = s
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": refresh}),
        )
        .await;
    assert_error(status, &body, 403, "ACCOUNT_INACTIVE");

    let (status, back) = s
        .put(
            &format!("/api/v1/admin/users/{sam_id}/status"),
            Some(&admin),
            json!({"is_active": true}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(back["is_active"], true);
    // Back on, but the sessions it had stay ended.
    let (status, body) = s
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": refresh}),
        )
        .await;
    assert_eq!(status, 401, "{body}");
    let (status, reset) = s
        .post(
            &format!("/api/v1/admin/users/{sam_id}/password-reset"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{reset}");
    let temporary = reset["temporary_password"].as_str().unwrap();
    assert_eq!(temporary.len(), 16);
    let signin = |password: String| json!({"email": "sam@alpha.test", "password": password, "vendor_code": "alpha"});
    let (status, _) = s
        .post(
            "/api/v1/vendor/auth/login",
            None,
            signin("member-password-1".into()),
        )
        .await;
    assert_eq!(status, 401, "the old password no longer works");
    let (status, _) = s
        .post("/api/v1/vendor/auth/login", None, signin(temporary.into()))
        .await;
    assert_eq!(status, 200);

    let (status, body) = s
        .put(
            "/api/v1/admin/users/999999/status",
            Some(&admin),
            json!({"is_active": false}),
        )
        .await;
    assert_error(status, &body, 404, "USER_NOT_FOUND");
    let (_, audit) = s
        .get("/api/v1/admin/audit-logs?action=admin.", Some(&admin))
        .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "admin.user_password_reset",
            "admin.user_activate",
            "admin.user_deactivate"
        ]
    );
    assert_eq!(audit["items"][2]["target_id"], sam_id.to_string());
    assert_eq!(audit["items"][2]["details"]["sessions_ended"], 2);
}

#[tokio::test]
async fn one_active_admin_always_remains_and_team_members_are_never_admins() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let me = find(&s, &admin, "is_platform_admin=true").await["items"][0]["id"]
        .as_i64()
        .unwrap();
    for (path, body) in [
        ("status", json!({"is_active": false})),
        ("admin", json!({"is_platform_admin": false})),
    ] {
        let (status, answer) = s
            .put(
                &format!("/api/v1/admin/users/{me}/{path}"),
                Some(&admin),
                body,
            )
            .await;
        assert_error(status, &answer, 409, "LAST_ADMIN");
    }
    s.vendor_with_owner(&admin, "alpha").await;
    let owner = find(&s, &admin, "q=owner@alpha").await["items"][0]["id"]
        .as_i64()
        .unwrap();
    let (status, answer) = s
        .put(
            &format!("/api/v1/admin/users/{owner}/admin"),
            Some(&admin),
            json!({"is_platform_admin": true}),
        )
        .await;
    assert_error(status, &answer, 409, "TEAM_MEMBER");

    // A second admin: now the first may step down, and the second is the last.
    let hash = e2e::password_hash("second-admin-1");
    {
        use diesel::connection::SimpleConnection;
        s.db.owner_conn()
            .batch_execute(&format!(
                "INSERT INTO users (email, password_hash, first_name) VALUES ('second@wizamart.test', '{hash}', 'Ada')"
            ))
            .unwrap();
    }
    let second = find(&s, &admin, "q=second@").await["items"][0]["id"]
        .as_i64()
        .unwrap();
    let (status, granted) = s
        .put(
            &format!("/api/v1/admin/users/{second}/admin"),
            Some(&admin),
            json!({"is_platform_admin": true}),
        )
        .await;
    assert_eq!(status, 200, "{granted}");
    assert_eq!(granted["is_platform_admin"], true);
    let (status, _) = s
        .put(
            &format!("/api/v1/admin/users/{me}/admin"),
            Some(&admin),
            json!({"is_platform_admin": false}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, body) = s.get("/api/v1/admin/users", Some(&admin)).await;
    assert_error(status, &body, 401, "TOKEN_INVALID");
    let (status, session) = s
        .post(
            "/api/v1/admin/auth/login",
            None,
            json!({"email": "second@wizamart.test", "password": "second-admin-1"}),
        )
        .await;
    assert_eq!(status, 200, "{session}");
    let second_token = session["access_token"].as_str().unwrap();
    let (status, answer) = s
        .put(
            &format!("/api/v1/admin/users/{second}/status"),
            Some(second_token),
            json!({"is_active": false}),
        )
        .await;
    assert_error(status, &answer, 409, "LAST_ADMIN");
}
