//! Custom domains over HTTP against a real DNS server on loopback (dnsmasq): pending until the
//! TXT record holds the token, verified then and routing to the shop; a wrong or missing
//! record stays pending; the scheduled re-check unpublishes a domain whose record went away;
//! a domain belongs to one vendor; admins check, force or remove; another vendor reaches
//! nothing.

use e2e::{DnsServer, Options, SmtpSink, TestServer, assert_error};
use serde_json::{Value, json};

const DOMAIN: &str = "shop.example.lu";

/// The shop's home page at a Host: status and whether it is the shop's.
async fn visit(s: &TestServer, host: &str, shop_name: &str) -> (u16, bool) {
    let response = s
        .client()
        .get(s.url("/"))
        .header("Host", host)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap().contains(shop_name))
}

async fn check(s: &TestServer, owner: &str, id: i64) -> Value {
    let (status, checked) = s
        .post(
            &format!("/api/v1/vendor/domains/{id}/check"),
            Some(owner),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{checked}");
    checked
}

#[tokio::test]
async fn a_domain_is_verified_by_its_txt_record_and_only_then_routes_to_the_shop() {
    let port = SmtpSink::free_port();
    let mut dns = DnsServer::start_on(port, &[]);
    let s = TestServer::start_with(Options {
        dns_resolver: Some(dns.addr),
        ..Options::default()
    })
    .await;
    let admin = s.admin_token().await;
    let (_, owner) = s.vendor_with_owner(&admin, "alpha").await;
    let (_, beta) = s.vendor_with_owner(&admin, "beta").await;

    let (status, added) = s
        .post(
            "/api/v1/vendor/domains",
            Some(&owner),
            json!({"domain": "Shop.Example.LU."}),
        )
        .await;
    assert_eq!(status, 201, "{added}");
    assert_eq!(added["domain"], DOMAIN);
    assert_eq!(added["status"], "pending");
    assert_eq!(added["record_name"], format!("_wizamart-verify.{DOMAIN}"));
    let value = added["record_value"].as_str().unwrap().to_owned();
    assert!(
        value.starts_with("wizamart-verify=") && value.len() == 16 + 32,
        "{value}"
    );
    let id = added["id"].as_i64().unwrap();
    assert_eq!(
        visit(&s, DOMAIN, "Vendor alpha").await.0,
        404,
        "pending: no shop"
    );

    // No record yet, then a wrong one: still pending, with the reason.
    let pending = check(&s, &owner, id).await;
    assert_eq!(pending["status"], "pending");
    assert!(pending["check_error"].is_string(), "{pending}");
    drop(dns);
    dns = DnsServer::start_on(
        port,
        &[(
            &format!("_wizamart-verify.{DOMAIN}"),
            "wizamart-verify=0123456789abcdef0123456789abcdef",
        )],
    );
    let wrong = check(&s, &owner, id).await;
    assert_eq!(wrong["status"], "pending");
    assert!(
        wrong["check_error"]
            .as_str()
            .unwrap()
            .contains("does not hold"),
        "{wrong}"
    );
    assert_eq!(visit(&s, DOMAIN, "Vendor alpha").await.0, 404);

    // The right record: verified, and the domain opens the shop.
    drop(dns);
    dns = DnsServer::start_on(port, &[(&format!("_wizamart-verify.{DOMAIN}"), &value)]);
    let verified = check(&s, &owner, id).await;
    assert_eq!(verified["status"], "verified", "{verified}");
    assert!(verified["verified_at"].is_string());
    assert_eq!(verified["check_error"], Value::Null);
    assert_eq!(visit(&s, DOMAIN, "Vendor alpha").await, (200, true));

    // The domain is this vendor's only, and another vendor reaches none of it.
    let (status, body) = s
        .post(
            "/api/v1/vendor/domains",
            Some(&beta),
            json!({"domain": DOMAIN}),
        )
        .await;
    assert_error(status, &body, 409, "DOMAIN_TAKEN");
    let (_, theirs) = s.get("/api/v1/vendor/domains", Some(&beta)).await;
    assert_eq!(theirs, json!([]));
    for (method, path) in [
        (
            reqwest::Method::POST,
            format!("/api/v1/vendor/domains/{id}/check"),
        ),
        (
            reqwest::Method::DELETE,
            format!("/api/v1/vendor/domains/{id}"),
        ),
    ] {
        let (status, body) = s.send(method, &path, Some(&beta), Some(json!({}))).await;
        assert_error(status, &body, 404, "DOMAIN_NOT_FOUND");
    }
    let customer = s.customer_token("beta", "lea@example.lu").await;
    let (status, _) = s.get("/api/v1/vendor/domains", Some(&customer)).await;
    assert_eq!(status, 401);

    // The record goes away; the scheduled re-check unpublishes the domain.
    drop(dns);
    let _dns = DnsServer::start_on(port, &[]);
    {
        use diesel::connection::SimpleConnection;
        s.db.owner_conn()
            .batch_execute("INSERT INTO jobs (kind, max_attempts) VALUES ('domains.recheck', 3)")
            .unwrap();
    }
    let mut status = String::new();
    for _ in 0..100 {
        let (_, list) = s.get("/api/v1/vendor/domains", Some(&owner)).await;
        status = list[0]["status"].as_str().unwrap().to_owned();
        if status == "pending" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, "pending", "the re-check unpublished it");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await; // the shop cache
    assert_eq!(visit(&s, DOMAIN, "Vendor alpha").await.0, 404);
    let (_, audit) = s
        .get(
            "/api/v1/admin/audit-logs?action=domain.unpublished",
            Some(&admin),
        )
        .await;
    assert_eq!(audit["items"][0]["target_id"], DOMAIN);
    assert_eq!(audit["items"][0]["vendor_code"], "alpha");
    assert_eq!(audit["items"][0]["actor_email"], Value::Null);
}

#[tokio::test]
async fn bad_names_are_refused_and_admins_force_or_remove_any_domain() {
    let port = SmtpSink::free_port();
    let dns = DnsServer::start_on(port, &[]);
    let s = TestServer::start_with(Options {
        dns_resolver: Some(dns.addr),
        ..Options::default()
    })
    .await;
    let admin = s.admin_token().await;
    let created = s.create_vendor(&admin, "alpha", "owner@alpha.test").await;
    let password = created["temporary_password"].as_str().unwrap();
    let (_, session) = s
        .post(
            "/api/v1/vendor/auth/login",
            None,
            json!({"email": "owner@alpha.test", "password": password, "vendor_code": "alpha"}),
        )
        .await;
    let owner = session["access_token"].as_str().unwrap().to_owned();
    // The pages render: the vendor's, and the admin's list.
    let browser = s
        .vendor_browser("alpha", "owner@alpha.test", password)
        .await;
    let page = browser
        .get(s.url("/vendor/alpha/settings/domains"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains(r#"x-data="domainSettings""#)
    );
    let page = s
        .admin_browser()
        .await
        .get(s.url("/admin/domains"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains(r#"x-data="adminDomains""#)
    );
    for bad in [
        "localhost",
        "-bad.example.lu",
        "shop..example.lu",
        "10.0.0.1",
        "alpha.wizamart.test",
        "wizamart.test",
        "a b.lu",
    ] {
        let (status, body) = s
            .post(
                "/api/v1/vendor/domains",
                Some(&owner),
                json!({"domain": bad}),
            )
            .await;
        assert_error(status, &body, 422, "VALIDATION_ERROR");
        assert!(body["fields"]["domain"].is_array(), "{bad}: {body}");
    }
    let (_, added) = s
        .post(
            "/api/v1/vendor/domains",
            Some(&owner),
            json!({"domain": DOMAIN}),
        )
        .await;
    let id = added["id"].as_i64().unwrap();

    let (status, page) = s
        .get("/api/v1/admin/domains?verified=false", Some(&admin))
        .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["vendor_code"], "alpha");
    let (status, checked) = s
        .post(
            &format!("/api/v1/admin/domains/{id}/verify"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{checked}");
    assert_eq!(
        checked["status"], "pending",
        "no record: the check does not verify it"
    );
    let (status, forced) = s
        .post(
            &format!("/api/v1/admin/domains/{id}/verify"),
            Some(&admin),
            json!({"force": true}),
        )
        .await;
    assert_eq!(status, 200, "{forced}");
    assert_eq!(forced["status"], "verified");
    assert_eq!(visit(&s, DOMAIN, "Vendor alpha").await, (200, true));
    let (status, _) = s
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/admin/domains/{id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, 204);
    assert_eq!(visit(&s, DOMAIN, "Vendor alpha").await.0, 404);
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
            "admin.domain_remove",
            "admin.domain_force_verify",
            "admin.domain_check"
        ]
    );
}
