//! Team invitations end to end, the e-mail read from a real SMTP server: a new person accepts
//! with a name and password; a member of another vendor accepts with their password and then
//! belongs to both; a link works once, not after its expiry, not once revoked or sent again;
//! a Manager cannot invite an Owner; another vendor cannot touch the invitations.

use diesel::connection::SimpleConnection;
use e2e::{Options, SmtpSink, TestServer, assert_error};
use serde_json::{Value, json};

/// The invitation link's token from the last e-mail to `to`.
async fn link_token(sink: &SmtpSink, to: &str, subject: &str) -> String {
    let message = sink.wait_for(to, subject).await;
    let text = message.body_text(0).unwrap().into_owned();
    let start = text.find("/invitations/").expect("a link") + "/invitations/".len();
    text[start..].split_whitespace().next().unwrap().to_owned()
}

/// A link token in an e-mail to `to` other than `old` (a resent invitation), waiting for it.
async fn newer_token(sink: &SmtpSink, to: &str, old: &str) -> String {
    for _ in 0..100 {
        let tokens: Vec<String> = sink
            .messages()
            .iter()
            .filter_map(|raw| mail_parser::MessageParser::default().parse(raw))
            .filter(|m| m.to().and_then(|a| a.first()).and_then(|a| a.address()) == Some(to))
            .filter_map(|m| {
                let text = m.body_text(0)?.into_owned();
                let start = text.find("/invitations/")? + "/invitations/".len();
                text[start..].split_whitespace().next().map(str::to_owned)
            })
            .collect();
        if let Some(token) = tokens.into_iter().find(|t| t != old) {
            return token;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no second invitation e-mail to {to}");
}

fn role_id(roles: &Value, name: &str) -> i64 {
    roles
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .and_then(|r| r["id"].as_i64())
        .unwrap()
}

#[tokio::test]
async fn invitations_are_accepted_once_by_new_and_existing_people() {
    let sink = SmtpSink::start();
    let s = TestServer::start_with(Options {
        smtp_url: Some(sink.url.clone()),
        ..Options::default()
    })
    .await;
    let admin = s.admin_token().await;
    let (alpha, owner) = s.vendor_with_owner(&admin, "alpha").await;
    let (_, beta_owner) = s.vendor_with_owner(&admin, "beta").await;
    let manager = s
        .member_token(alpha, "alpha", "manager@alpha.test", "Manager")
        .await;
    let (_, roles) = s.get("/api/v1/vendor/team/roles", Some(&owner)).await;
    let (viewer, owner_role) = (role_id(&roles, "Viewer"), role_id(&roles, "Owner"));

    // A Manager may invite, but not an Owner.
    let (status, body) = s
        .post(
            "/api/v1/vendor/team/invitations",
            Some(&manager),
            json!({"email": "boss@example.lu", "role_id": owner_role}),
        )
        .await;
    assert_error(status, &body, 403, "BEYOND_OWN_PERMISSIONS");
    let (status, invited) = s
        .post(
            "/api/v1/vendor/team/invitations",
            Some(&manager),
            json!({"email": "New.Person@Example.lu", "role_id": viewer}),
        )
        .await;
    assert_eq!(status, 201, "{invited}");
    assert_eq!(invited["email"], "new.person@example.lu");
    let (status, body) = s
        .post(
            "/api/v1/vendor/team/invitations",
            Some(&owner),
            json!({"email": "new.person@example.lu", "role_id": viewer}),
        )
        .await;
    assert_error(status, &body, 409, "INVITATION_PENDING");
    let token = link_token(&sink, "new.person@example.lu", "Rejoignez").await;

    // The link shows what it invites to; a new account accepts and is signed in.
    let (status, preview) = s.get(&format!("/api/v1/invitations/{token}"), None).await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(
        (
            preview["vendor_code"].as_str(),
            preview["role"].as_str(),
            preview["has_account"].as_bool()
        ),
        (Some("alpha"), Some("Viewer"), Some(false))
    );
    let accept = format!("/api/v1/invitations/{token}/accept");
    let (status, body) = s
        .post(&accept, None, json!({"password": "new-person-pass"}))
        .await;
    assert_error(status, &body, 422, "VALIDATION_ERROR");
    let (status, session) = s
        .post(
            &accept,
            None,
            json!({"password": "new-person-pass", "first_name": "Nina", "last_name": "Neu"}),
        )
        .await;
    assert_eq!(status, 200, "{session}");
    let newcomer = session["access_token"].as_str().unwrap();
    let (status, _) = s.get("/api/v1/vendor/products", Some(newcomer)).await;
    assert_eq!(status, 200, "a Viewer reads the catalogue");
    let (status, body) = s
        .post(&accept, None, json!({"password": "new-person-pass"}))
        .await;
    assert_error(status, &body, 410, "INVITATION_USED");
    let (status, body) = s.get("/api/v1/invitations/1.not-a-token", None).await;
    assert_error(status, &body, 404, "INVITATION_NOT_FOUND");

    // Beta's owner is invited to alpha: their own password, then a member of both.
    let (_, invited) = s
        .post(
            "/api/v1/vendor/team/invitations",
            Some(&owner),
            json!({"email": "owner@beta.test", "role_id": viewer}),
        )
        .await;
    let first = link_token(&sink, "owner@beta.test", "Rejoignez").await;
    let (status, resent) = s
        .post(
            &format!("/api/v1/vendor/team/invitations/{}/resend", invited["id"]),
            Some(&owner),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{resent}");
    let (status, body) = s.get(&format!("/api/v1/invitations/{first}"), None).await;
    assert_error(status, &body, 404, "INVITATION_NOT_FOUND");
    let second = newer_token(&sink, "owner@beta.test", &first).await;
    let (_, preview) = s.get(&format!("/api/v1/invitations/{second}"), None).await;
    assert_eq!(preview["has_account"], true);
    let (status, body) = s
        .post(
            &format!("/api/v1/invitations/{second}/accept"),
            None,
            json!({"password": "not-their-password"}),
        )
        .await;
    assert_error(status, &body, 401, "INVALID_CREDENTIALS");
    // Their password is the one the admin created them with: reset it to a known one.
    let hash = e2e::password_hash("beta-owner-pass");
    s.db.owner_conn()
        .batch_execute(&format!(
            "UPDATE users SET password_hash = '{hash}' WHERE email = 'owner@beta.test'"
        ))
        .unwrap();
    // Signed in to beta (its token sent along), the invitation still joins alpha.
    let (status, joined) = s
        .post(
            &format!("/api/v1/invitations/{second}/accept"),
            Some(&beta_owner),
            json!({"password": "beta-owner-pass"}),
        )
        .await;
    assert_eq!(status, 200, "{joined}");
    assert_eq!(
        joined["vendor"]["code"], "alpha",
        "a session for the vendor that invited"
    );
    for code in ["alpha", "beta"] {
        let (status, _) = s
            .post(
                "/api/v1/vendor/auth/login",
                None,
                json!({"email": "owner@beta.test", "password": "beta-owner-pass", "vendor_code": code}),
            )
            .await;
        assert_eq!(status, 200, "a member of {code}");
    }

    // Expired and revoked links are refused; beta cannot touch alpha's invitations.
    let (_, late) = s
        .post(
            "/api/v1/vendor/team/invitations",
            Some(&owner),
            json!({"email": "late@example.lu", "role_id": viewer}),
        )
        .await;
    let late_token = link_token(&sink, "late@example.lu", "Rejoignez").await;
    s.db.owner_conn()
        .batch_execute(&format!(
            "UPDATE vendor_invitations SET expires_at = now() - interval '1 minute' WHERE id = {}",
            late["id"]
        ))
        .unwrap();
    let (status, body) = s
        .get(&format!("/api/v1/invitations/{late_token}"), None)
        .await;
    assert_error(status, &body, 410, "INVITATION_EXPIRED");
    let (_, open) = s.get("/api/v1/vendor/team/invitations", Some(&owner)).await;
    let listed = open
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == late["id"])
        .unwrap();
    assert_eq!(listed["expired"], true);
    let (status, body) = s
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/vendor/team/invitations/{}", late["id"]),
            Some(&beta_owner),
            None,
        )
        .await;
    assert_error(status, &body, 404, "INVITATION_NOT_FOUND");
    let (status, _) = s
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/vendor/team/invitations/{}", late["id"]),
            Some(&owner),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (status, body) = s
        .get(&format!("/api/v1/invitations/{late_token}"), None)
        .await;
    assert_error(status, &body, 410, "INVITATION_REVOKED");
    let (_, theirs) = s
        .get("/api/v1/vendor/team/invitations", Some(&beta_owner))
        .await;
    assert_eq!(theirs, json!([]), "beta sees none of alpha's");
    let (status, body) = s
        .post(
            "/api/v1/vendor/team/invitations",
            Some(&beta_owner),
            json!({"email": "sneaky@example.lu", "role_id": viewer}),
        )
        .await;
    assert_error(status, &body, 404, "ROLE_NOT_FOUND");
}
