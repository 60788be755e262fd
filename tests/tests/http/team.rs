//! Team management over HTTP: roles and members changed by those allowed to, never beyond
//! their own permissions, never without an active Owner; a member switched off is refused on
//! the next request and cannot refresh; ownership handed over; another vendor and customers
//! reach nothing.

use diesel::connection::SimpleConnection;
use e2e::{TestServer, assert_error};
use serde_json::{Value, json};

fn id_of(list: &Value, key: &str, value: &str) -> i64 {
    list.as_array()
        .unwrap()
        .iter()
        .find(|m| m[key] == value)
        .and_then(|m| m.get("id").or_else(|| m.get("user_id")))
        .and_then(Value::as_i64)
        .unwrap_or_else(|| panic!("no {key} = {value} in {list}"))
}

#[tokio::test]
async fn a_team_is_changed_within_its_rules_and_its_vendor() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (alpha, owner) = s.vendor_with_owner(&admin, "alpha").await;
    let (_, beta_owner) = s.vendor_with_owner(&admin, "beta").await;
    let editor = s
        .member_token(alpha, "alpha", "editor@alpha.test", "Editor")
        .await;
    let (_, editor_session) = s
        .post(
            "/api/v1/vendor/auth/login",
            None,
            json!({"email": "editor@alpha.test", "password": "member-password-1", "vendor_code": "alpha"}),
        )
        .await;
    let customer = s.customer_token("alpha", "lea@example.lu").await;

    let (_, roles) = s.get("/api/v1/vendor/team/roles", Some(&owner)).await;
    assert_eq!(roles.as_array().unwrap().len(), 4, "{roles}");
    assert!(
        roles
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["is_default"] == true)
    );
    let (status, lead) = s
        .post(
            "/api/v1/vendor/team/roles",
            Some(&owner),
            json!({"name": "Lead", "permissions": ["team.manage", "team.view", "orders.view"]}),
        )
        .await;
    assert_eq!(status, 201, "{lead}");
    let (status, body) = s
        .post(
            "/api/v1/vendor/team/roles",
            Some(&owner),
            json!({"name": "Lead", "permissions": []}),
        )
        .await;
    assert_error(status, &body, 409, "ROLE_NAME_TAKEN");
    let (status, body) = s
        .post(
            "/api/v1/vendor/team/roles",
            Some(&owner),
            json!({"name": "Odd", "permissions": ["no.such"]}),
        )
        .await;
    assert_eq!(status, 422, "an unknown permission: {body}");
    let owner_role = id_of(&roles, "name", "Owner");
    let (status, body) = s
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/vendor/team/roles/{owner_role}"),
            Some(&owner),
            None,
        )
        .await;
    assert_error(status, &body, 409, "DEFAULT_ROLE");

    // A Lead may manage the team, but only within what the Lead role holds.
    let lead_token = s
        .member_token(alpha, "alpha", "lead@alpha.test", "Lead")
        .await;
    let (status, body) = s
        .post(
            "/api/v1/vendor/team/roles",
            Some(&lead_token),
            json!({"name": "Admin", "permissions": ["settings.edit"]}),
        )
        .await;
    assert_error(status, &body, 403, "BEYOND_OWN_PERMISSIONS");
    let (_, members) = s.get("/api/v1/vendor/team/members", Some(&owner)).await;
    let owner_id = id_of(&members, "email", "owner@alpha.test");
    let editor_id = id_of(&members, "email", "editor@alpha.test");
    let (status, body) = s
        .put(
            &format!("/api/v1/vendor/team/members/{owner_id}/role"),
            Some(&lead_token),
            json!({"role_id": lead["id"]}),
        )
        .await;
    assert_error(status, &body, 403, "BEYOND_OWN_PERMISSIONS");
    let (status, body) = s
        .put(
            &format!("/api/v1/vendor/team/members/{editor_id}/role"),
            Some(&editor),
            json!({"role_id": owner_role}),
        )
        .await;
    assert_error(status, &body, 403, "PERMISSION_DENIED");

    // The only Owner stays one.
    let manager_role = id_of(&roles, "name", "Manager");
    let (status, body) = s
        .put(
            &format!("/api/v1/vendor/team/members/{owner_id}/role"),
            Some(&owner),
            json!({"role_id": manager_role}),
        )
        .await;
    assert_error(status, &body, 409, "LAST_OWNER");

    // Switched off: the next request is refused, and so is a refresh.
    let (status, off) = s
        .put(
            &format!("/api/v1/vendor/team/members/{editor_id}/active"),
            Some(&owner),
            json!({"is_active": false}),
        )
        .await;
    assert_eq!(
        (status, off["is_active"].as_bool()),
        (200, Some(false)),
        "{off}"
    );
    let (status, body) = s.get("/api/v1/vendor/products", Some(&editor)).await;
    assert_error(status, &body, 403, "NOT_A_MEMBER");
    let (status, body) = s
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": editor_session["refresh_token"]}),
        )
        .await;
    assert!(matches!(status, 401 | 403), "the session is over: {body}");
    let live: i64 = diesel::RunQueryDsl::get_result::<Count>(
        diesel::sql_query(format!(
            "SELECT count(*)::bigint AS n FROM refresh_tokens WHERE user_id = {editor_id} AND revoked_at IS NULL"
        )),
        &mut s.db.owner_conn(),
    )
    .unwrap()
    .n;
    assert_eq!(
        live, 0,
        "every session of the member for this vendor was revoked"
    );

    // Another vendor and a customer reach nothing.
    for (method, path, body) in [
        (
            reqwest::Method::PUT,
            format!("/api/v1/vendor/team/members/{editor_id}/active"),
            Some(json!({"is_active": true})),
        ),
        (
            reqwest::Method::DELETE,
            format!("/api/v1/vendor/team/members/{editor_id}"),
            None,
        ),
    ] {
        let (status, answer) = s
            .send(method.clone(), &path, Some(&beta_owner), body.clone())
            .await;
        assert_error(status, &answer, 404, "MEMBER_NOT_FOUND");
        let (status, _) = s.send(method, &path, Some(&customer), body).await;
        assert_eq!(status, 401);
    }
    let (status, body) = s
        .put(
            &format!("/api/v1/vendor/team/roles/{}", lead["id"]),
            Some(&beta_owner),
            json!({"name": "Taken", "permissions": []}),
        )
        .await;
    assert_error(status, &body, 404, "ROLE_NOT_FOUND");
    let (_, theirs) = s
        .get("/api/v1/vendor/team/members", Some(&beta_owner))
        .await;
    assert_eq!(theirs.as_array().unwrap().len(), 1, "{theirs}");

    // Back on, then handed the vendor: the old owner stays as Manager.
    s.put(
        &format!("/api/v1/vendor/team/members/{editor_id}/active"),
        Some(&owner),
        json!({"is_active": true}),
    )
    .await;
    let (status, team) = s
        .post(
            "/api/v1/vendor/team/ownership",
            Some(&owner),
            json!({"user_id": editor_id}),
        )
        .await;
    assert_eq!(status, 200, "{team}");
    let role_of = |email: &str| {
        team.as_array()
            .unwrap()
            .iter()
            .find(|m| m["email"] == email)
            .map(|m| m["role"].as_str().unwrap().to_owned())
            .unwrap()
    };
    assert_eq!(
        (role_of("editor@alpha.test"), role_of("owner@alpha.test")),
        ("Owner".to_owned(), "Manager".to_owned())
    );
    let (status, body) = s
        .post(
            "/api/v1/vendor/team/roles",
            Some(&owner),
            json!({"name": "Later", "permissions": []}),
        )
        .await;
    assert_error(status, &body, 403, "PERMISSION_DENIED");
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// The switcher's list: the member's own active memberships of open vendors, nobody else's.
#[tokio::test]
async fn a_member_lists_the_vendors_they_may_switch_to() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (alpha, _) = s.vendor_with_owner(&admin, "alpha").await;
    let (beta, beta_owner) = s.vendor_with_owner(&admin, "beta").await;
    let (gamma, _) = s.vendor_with_owner(&admin, "gamma").await;
    let token = s
        .member_token(alpha, "alpha", "both@shops.test", "Editor")
        .await;
    s.db.owner_conn()
        .batch_execute(&format!(
            "INSERT INTO vendor_users (vendor_id, user_id, role_id, is_active)
               SELECT v, u.id, r.id, v = {beta} FROM users u, roles r, (VALUES ({beta}), ({gamma})) AS t(v)
               WHERE u.email = 'both@shops.test' AND r.vendor_id = v AND r.name = 'Viewer'"
        ))
        .unwrap();
    let (status, vendors) = s.get("/api/v1/vendor/auth/vendors", Some(&token)).await;
    assert_eq!(status, 200, "{vendors}");
    assert_eq!(
        vendors,
        json!([{"code": "alpha", "name": "Vendor alpha", "role": "Editor"},
               {"code": "beta", "name": "Vendor beta", "role": "Viewer"}]),
        "gamma's membership is switched off"
    );
    let (_, theirs) = s
        .get("/api/v1/vendor/auth/vendors", Some(&beta_owner))
        .await;
    assert_eq!(
        theirs,
        json!([{"code": "beta", "name": "Vendor beta", "role": "Owner"}])
    );
    let customer = s.customer_token("alpha", "lea@example.lu").await;
    let (status, _) = s.get("/api/v1/vendor/auth/vendors", Some(&customer)).await;
    assert_eq!(status, 401);
    let (status, switched) = s
        .post(
            "/api/v1/vendor/auth/switch",
            Some(&token),
            json!({"vendor_code": "gamma"}),
        )
        .await;
    assert_eq!(
        status, 403,
        "a switched-off membership opens nothing: {switched}"
    );
}
