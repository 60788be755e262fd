//! Actions over many vendors over HTTP: a job per action with a result per vendor; imports
//! started for every vendor with a Letzshop feed; chosen vendors deactivated and activated.

use e2e::{TestServer, assert_error};
use serde_json::{Value, json};

/// Follows the action until its job ends.
async fn finished(s: &TestServer, admin: &str, started: &Value) -> Value {
    let id = started["id"].as_i64().unwrap();
    for _ in 0..200 {
        let (status, action) = s
            .get(
                &format!("/api/v1/admin/vendors/mass-actions/{id}"),
                Some(admin),
            )
            .await;
        assert_eq!(status, 200, "{action}");
        if action["status"] == "completed" || action["status"] == "failed" {
            return action;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the mass action never ended");
}

fn outcomes(action: &Value) -> Vec<(String, bool, String)> {
    action["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap_or("?").to_owned(),
                r["ok"].as_bool().unwrap(),
                r["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn imports_start_for_every_vendor_with_a_feed_and_vendors_switch_off_and_on() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (alpha, alpha_owner) = s.vendor_with_owner(&admin, "alpha").await;
    let (beta, beta_owner) = s.vendor_with_owner(&admin, "beta").await;
    let (gamma, _) = s.vendor_with_owner(&admin, "gamma").await;
    for (owner, urls) in [
        (
            &alpha_owner,
            json!({"fr": "http://127.0.0.1:9/alpha-fr.csv", "de": "http://127.0.0.1:9/alpha-de.csv"}),
        ),
        (&beta_owner, json!({"en": "http://127.0.0.1:9/beta.csv"})),
    ] {
        let (status, body) = s
            .put(
                "/api/v1/vendor/marketplace/config",
                Some(owner),
                json!({"csv_urls": urls}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }

    let (status, started) = s
        .post(
            "/api/v1/admin/vendors/mass-actions/all-feeds",
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(status, 202, "{started}");
    assert_eq!(started["total"], 2, "alpha and beta have feeds, gamma none");
    let done = finished(&s, &admin, &started).await;
    assert_eq!(done["status"], "completed");
    assert_eq!(
        outcomes(&done),
        [
            ("alpha".to_owned(), true, "2 import(s) started".to_owned()),
            ("beta".to_owned(), true, "1 import(s) started".to_owned()),
        ]
    );
    let (_, imports) = s
        .get("/api/v1/vendor/marketplace/jobs", Some(&alpha_owner))
        .await;
    assert_eq!(imports["total"], 2);

    // Chosen vendors: gamma has no feed, and a vendor that does not exist is reported too.
    let (_, started) = s
        .post(
            "/api/v1/admin/vendors/mass-actions",
            Some(&admin),
            json!({"action": "start_imports", "vendor_ids": [gamma, 999_999]}),
        )
        .await;
    let done = finished(&s, &admin, &started).await;
    let results = outcomes(&done);
    assert_eq!(results[0].0, "gamma");
    assert!(
        !results[0].1 && results[0].2.contains("feed"),
        "{results:?}"
    );
    assert_eq!(results[1].0, "?");
    assert!(
        !results[1].1 && results[1].2.contains("not found"),
        "{results:?}"
    );

    let (_, started) = s
        .post(
            "/api/v1/admin/vendors/mass-actions",
            Some(&admin),
            json!({"action": "deactivate", "vendor_ids": [beta, alpha, beta]}),
        )
        .await;
    assert_eq!(started["total"], 2, "each vendor once");
    let done = finished(&s, &admin, &started).await;
    assert_eq!(
        outcomes(&done),
        [
            ("alpha".to_owned(), true, "inactive".to_owned()),
            ("beta".to_owned(), true, "inactive".to_owned()),
        ]
    );
    let (status, body) = s.get("/api/v1/vendor/products", Some(&alpha_owner)).await;
    assert_error(status, &body, 403, "VENDOR_INACTIVE");
    let (_, started) = s
        .post(
            "/api/v1/admin/vendors/mass-actions",
            Some(&admin),
            json!({"action": "activate", "vendor_ids": [alpha]}),
        )
        .await;
    finished(&s, &admin, &started).await;
    let (status, _) = s.get("/api/v1/vendor/products", Some(&alpha_owner)).await;
    assert_eq!(status, 200);

    let (_, recent) = s
        .get("/api/v1/admin/vendors/mass-actions", Some(&admin))
        .await;
    assert_eq!(recent.as_array().unwrap().len(), 4);
    assert_eq!(recent[0]["action"], "activate");
    let (_, audit) = s
        .get(
            "/api/v1/admin/audit-logs?action=admin.mass_action",
            Some(&admin),
        )
        .await;
    assert_eq!(audit["items"].as_array().unwrap().len(), 4);
    assert_eq!(
        audit["items"][3]["details"],
        json!({"action": "start_imports", "vendors": 2})
    );
}

#[tokio::test]
async fn an_action_without_vendors_is_refused() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    s.vendor_with_owner(&admin, "alpha").await;
    for body in [
        json!({"action": "deactivate", "all_with_feed": true}),
        json!({"action": "activate"}),
        json!({"action": "activate", "vendor_ids": []}),
        json!({"action": "explode", "vendor_ids": [1]}),
    ] {
        let (status, answer) = s
            .post(
                "/api/v1/admin/vendors/mass-actions",
                Some(&admin),
                body.clone(),
            )
            .await;
        assert_eq!(status, 422, "{body}: {answer}");
        assert!(
            answer["error_code"] == "VALIDATION_ERROR" || answer["error_code"] == "INVALID_JSON",
            "{answer}"
        );
    }
    let (status, answer) = s
        .post(
            "/api/v1/admin/vendors/mass-actions/all-feeds",
            Some(&admin),
            json!({}),
        )
        .await;
    assert_error(status, &answer, 422, "NOTHING_TO_DO");
    let (status, answer) = s
        .get("/api/v1/admin/vendors/mass-actions/4242", Some(&admin))
        .await;
    assert_error(status, &answer, 404, "MASS_ACTION_NOT_FOUND");
}
