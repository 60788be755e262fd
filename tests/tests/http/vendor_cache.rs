//! What the server keeps in memory of vendors (members, catalogue pages) follows every change:
//! made through it at once, made elsewhere (another server, a job, by hand) as soon as the
//! database's change feed announces it; and one vendor's kept pages are never another's.

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use e2e::{TestServer, assert_error};
use serde_json::{Value, json};

/// Asks `path` until `done` holds for its answer, for up to two seconds (the feed takes
/// milliseconds; what is kept without it lives a minute): the last answer.
async fn until(
    s: &TestServer,
    path: &str,
    token: &str,
    done: impl Fn(u16, &Value) -> bool,
) -> (u16, Value) {
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let (status, body) = s.get(path, Some(token)).await;
        if done(status, &body) || Instant::now() > deadline {
            return (status, body);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_kept_catalogue_page_follows_changes_made_here_and_elsewhere_and_stays_its_vendors() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (alpha, owner) = s.vendor_with_owner(&admin, "alpha").await;
    let (_, beta) = s.vendor_with_owner(&admin, "beta").await;
    let (status, created) = s
        .post(
            "/api/v1/vendor/products",
            Some(&owner),
            json!({"sku": "PULL-1", "title": "Pull en laine", "price_cents": 5900}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap();
    let list = "/api/v1/vendor/products?q=pull";
    for _ in 0..2 {
        let (status, page) = s.get(list, Some(&owner)).await;
        assert_eq!((status, page["total"].as_i64()), (200, Some(1)), "{page}");
        assert_eq!(page["items"][0]["price_cents"], 5900);
    }

    // The same query by another vendor: its own (empty) catalogue, not alpha's kept page.
    let (status, page) = s.get(list, Some(&beta)).await;
    assert_eq!((status, page["total"].as_i64()), (200, Some(0)), "{page}");
    assert_eq!(page["items"], json!([]));

    // A change through this server shows in the writer's very next read.
    let (status, edited) = s
        .put(
            &format!("/api/v1/vendor/products/{id}"),
            Some(&owner),
            json!({"version": 1, "price_cents": 4900}),
        )
        .await;
    assert_eq!(status, 200, "{edited}");
    let (_, page) = s.get(list, Some(&owner)).await;
    assert_eq!(page["items"][0]["price_cents"], 4900, "{page}");

    // A change this server did not make (another server, a job, by hand): as soon as the
    // database announces it.
    s.db.owner_conn()
        .batch_execute(&format!(
            "UPDATE product_translations SET title = 'Pull rouge' WHERE vendor_id = {alpha}"
        ))
        .unwrap();
    let (_, page) = until(&s, list, &owner, |_, p| {
        p["items"][0]["title"] == "Pull rouge"
    })
    .await;
    assert_eq!(page["items"][0]["title"], "Pull rouge", "{page}");
}

#[tokio::test]
async fn a_kept_member_is_refused_as_soon_as_their_account_or_membership_ends() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (alpha, _) = s.vendor_with_owner(&admin, "alpha").await;
    let viewer = s
        .member_token(alpha, "alpha", "viewer@alpha.test", "Viewer")
        .await;
    let editor = s
        .member_token(alpha, "alpha", "editor@alpha.test", "Editor")
        .await;
    let list = "/api/v1/vendor/products";
    for token in [&viewer, &viewer, &editor, &editor] {
        let (status, page) = s.get(list, Some(token)).await;
        assert_eq!((status, page["total"].as_i64()), (200, Some(0)), "{page}");
    }

    // Switched off by hand (or by another server): refused once the database says so.
    s.db.owner_conn()
        .batch_execute("UPDATE users SET is_active = false WHERE email = 'viewer@alpha.test'")
        .unwrap();
    let (status, body) = until(&s, list, &viewer, |status, _| status != 200).await;
    assert_error(status, &body, 403, "ACCOUNT_INACTIVE");

    // Taken off the team: likewise.
    s.db.owner_conn()
        .batch_execute(
            "DELETE FROM vendor_users WHERE user_id = (SELECT id FROM users WHERE email = 'editor@alpha.test')",
        )
        .unwrap();
    let (status, body) = until(&s, list, &editor, |status, _| status != 200).await;
    assert_error(status, &body, 403, "NOT_A_MEMBER");
}
