//! The audit log over HTTP: sign-ins and failed sign-ins, exports and admin actions are
//! written; admins read them in keyset pages with filters and as a formula-safe CSV file.

use e2e::{ADMIN_EMAIL, TestServer, assert_error};
use serde_json::{Value, json};

async fn entries(s: &TestServer, admin: &str, query: &str) -> Vec<Value> {
    let (status, page) = s
        .get(&format!("/api/v1/admin/audit-logs?{query}"), Some(admin))
        .await;
    assert_eq!(status, 200, "{page}");
    page["items"].as_array().unwrap().clone()
}

fn actions(items: &[Value]) -> Vec<&str> {
    items
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn sign_ins_and_failed_sign_ins_are_written_with_who_where_and_why() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (alpha, _owner) = s.vendor_with_owner(&admin, "alpha").await;
    let (status, _) = s
        .post(
            "/api/v1/vendor/auth/login",
            None,
            json!({"email": "owner@alpha.test", "password": "wrong-password", "vendor_code": "alpha"}),
        )
        .await;
    assert_eq!(status, 401);
    let (status, _) = s
        .post(
            "/api/v1/admin/auth/login",
            None,
            json!({"email": "nobody@example.lu", "password": "whatever-1"}),
        )
        .await;
    assert_eq!(status, 401);

    let signins = entries(&s, &admin, "action=auth.").await;
    // Newest first: the unknown e-mail, the owner's failure, the owner's sign-in (by
    // vendor_with_owner), the admin's sign-in.
    assert_eq!(
        actions(&signins),
        [
            "auth.login_failed",
            "auth.login_failed",
            "auth.login",
            "auth.login"
        ]
    );
    let unknown = &signins[0];
    assert_eq!(unknown["actor_user_id"], Value::Null);
    assert_eq!(unknown["target_id"], "nobody@example.lu");
    assert_eq!(unknown["details"]["portal"], "admin");
    assert_eq!(unknown["details"]["reason"], "invalid e-mail or password");
    assert_eq!(unknown["ip"], "127.0.0.1");
    assert!(
        unknown["request_id"]
            .as_str()
            .is_some_and(|r| !r.is_empty())
    );
    let failed = &signins[1];
    assert_eq!(failed["actor_email"], "owner@alpha.test");
    assert_eq!(failed["vendor_id"], alpha);
    assert_eq!(failed["vendor_code"], "alpha");
    assert_eq!(failed["details"]["portal"], "vendor");
    assert_eq!(signins[3]["actor_email"], ADMIN_EMAIL);
    assert_eq!(signins[3]["vendor_id"], Value::Null);

    // Filters: one person, one vendor, one exact action.
    let owner = entries(&s, &admin, "actor=OWNER@alpha.test").await;
    assert_eq!(actions(&owner), ["auth.login_failed", "auth.login"]);
    let at_alpha = entries(&s, &admin, "vendor=alpha&action=auth.login").await;
    assert_eq!(at_alpha.len(), 1);
    assert_eq!(at_alpha[0]["actor_email"], "owner@alpha.test");
    assert!(
        entries(&s, &admin, "actor=ghost@example.lu")
            .await
            .is_empty()
    );
    assert!(entries(&s, &admin, "vendor=nowhere").await.is_empty());
    let future = entries(&s, &admin, "from=2999-01-01T00:00:00Z").await;
    assert!(future.is_empty());
    let past = entries(&s, &admin, "to=2000-01-01T00:00:00Z").await;
    assert!(past.is_empty());
}

#[tokio::test]
async fn pages_follow_each_other_without_gaps_and_the_csv_holds_every_entry_safely() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    for code in ["alpha", "beta", "gamma"] {
        s.create_vendor(&admin, code, &format!("owner@{code}.test"))
            .await;
    }
    // An e-mail a spreadsheet would run as a formula (valid as an address).
    let (status, _) = s
        .post(
            "/api/v1/admin/auth/login",
            None,
            json!({"email": "=cmd@example.lu", "password": "whatever-1"}),
        )
        .await;
    assert_eq!(status, 401);

    let everything = entries(&s, &admin, "limit=500").await;
    assert_eq!(everything.len(), 5, "{everything:?}"); // 1 sign-in, 3 creations, 1 failure
    let mut walked = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let query = match &after {
            Some(cursor) => format!("/api/v1/admin/audit-logs?limit=2&after={cursor}"),
            None => "/api/v1/admin/audit-logs?limit=2".to_owned(),
        };
        let (status, page) = s.get(&query, Some(&admin)).await;
        assert_eq!(status, 200, "{page}");
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        walked.extend(items.iter().map(|e| e["id"].as_i64().unwrap()));
        match page["next"].as_str() {
            Some(next) => after = Some(next.to_owned()),
            None => break,
        }
    }
    let ids: Vec<i64> = everything
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        walked, ids,
        "keyset pages give each entry once, newest first"
    );
    let creations = entries(&s, &admin, "action=vendor.create").await;
    assert_eq!(creations.len(), 3);
    assert_eq!(creations[0]["vendor_code"], "gamma");

    let response = s
        .client()
        .get(s.url("/api/v1/admin/audit-logs/export?action=auth."))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("audit-log.csv")
    );
    let text = response.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "at,actor,vendor,action,target_type,target_id,details,ip,request_id,id"
    );
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[1].contains(",'=cmd@example.lu,"), "{text}");
    assert!(lines[2].contains(ADMIN_EMAIL), "{text}");
}

#[tokio::test]
async fn bad_filters_are_refused_naming_the_field() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    for (query, field) in [
        ("action=Team!", "action"),
        ("after=yesterday", "after"),
        ("after=9999999999999999999-1", "after"),
        ("limit=0", "limit"),
        ("limit=501", "limit"),
    ] {
        let (status, body) = s
            .get(&format!("/api/v1/admin/audit-logs?{query}"), Some(&admin))
            .await;
        assert_eq!(status, 422, "{query}: {body}");
        assert_error(status, &body, 422, "VALIDATION_ERROR");
        assert!(body["fields"][field].is_array(), "{query}: {body}");
    }
    let (status, body) = s
        .get("/api/v1/admin/audit-logs?from=soon", Some(&admin))
        .await;
    assert_eq!(status, 422, "{body}");
}

#[tokio::test]
async fn a_members_downloads_are_written_for_the_admin_and_no_vendor_reads_the_log() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (_, owner) = s.vendor_with_owner(&admin, "alpha").await;
    for path in [
        "/api/v1/vendor/products/export?language=fr",
        "/api/v1/vendor/orders/export?status=pending",
    ] {
        let response = s
            .client()
            .get(s.url(path))
            .bearer_auth(&owner)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
    // A download refused for its filter was never made: nothing is written for it.
    let (status, refused) = s
        .get("/api/v1/vendor/orders/export?customer_id=0", Some(&owner))
        .await;
    assert_error(status, &refused, 422, "VALIDATION_ERROR");
    let downloads = entries(&s, &admin, "action=export.").await;
    assert_eq!(actions(&downloads), ["export.orders", "export.products"]);
    assert_eq!(downloads[0]["details"]["status"], "pending");
    assert_eq!(downloads[1]["details"]["language"], "fr");
    assert!(
        downloads
            .iter()
            .all(|e| e["actor_email"] == "owner@alpha.test" && e["vendor_code"] == "alpha")
    );
    let (status, body) = s.get("/api/v1/admin/audit-logs", Some(&owner)).await;
    assert_error(status, &body, 401, "TOKEN_INVALID");
}

#[tokio::test]
async fn team_changes_and_invitations_are_in_the_log_with_their_vendor() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (alpha, owner) = s.vendor_with_owner(&admin, "alpha").await;
    s.add_member(alpha, "sam@alpha.test", "member-password-1", "Viewer");
    let (_, roles) = s.get("/api/v1/vendor/team/roles", Some(&owner)).await;
    let editor = roles
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Editor")
        .unwrap()["id"]
        .clone();
    let (_, members) = s.get("/api/v1/vendor/team/members", Some(&owner)).await;
    let sam = members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "sam@alpha.test")
        .unwrap()["user_id"]
        .clone();
    let (status, body) = s
        .put(
            &format!("/api/v1/vendor/team/members/{sam}/role"),
            Some(&owner),
            json!({"role_id": editor}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = s
        .post(
            "/api/v1/vendor/team/invitations",
            Some(&owner),
            json!({"email": "nina@example.lu", "role_id": editor}),
        )
        .await;
    assert_eq!(status, 201, "{body}");

    let team = entries(&s, &admin, "action=team.&vendor=alpha").await;
    assert_eq!(
        actions(&team),
        ["team.invitation_create", "team.member_role"]
    );
    assert!(team.iter().all(|e| e["actor_email"] == "owner@alpha.test"));
    assert_eq!(team[1]["target_id"], sam.to_string());
}
