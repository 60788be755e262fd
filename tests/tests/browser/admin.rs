//! The admin portal in a browser: a support session as a vendor's team member, marked in the
//! header and ended with one click back to the admin pages; every admin page at phone width.

use super::*;

#[tokio::test]
async fn an_admin_signs_in_as_a_member_and_comes_back() {
    let server = TestServer::start().await;
    let admin = server.admin_token().await;
    server.vendor_with_owner(&admin, "alpha").await;
    let (_, found) = server
        .get("/api/v1/admin/users?q=owner@alpha", Some(&admin))
        .await;
    let owner = found["items"][0]["id"].as_i64().unwrap();
    in_browser("admin-support-failure", async |client| {
        support_session(&server, client, owner).await?;
        admin_pages_fit_a_phone(&server, client).await
    })
    .await;
    let (_, audit) = server
        .get(
            "/api/v1/admin/audit-logs?action=admin.login_as",
            Some(&admin),
        )
        .await;
    assert_eq!(audit["items"][0]["actor_email"], ADMIN_EMAIL);
    assert_eq!(audit["items"][0]["details"]["email"], "owner@alpha.test");
    assert_eq!(
        audit["items"][0]["details"]["reason"],
        "Ticket 12: the owner cannot find the payments page"
    );
}

async fn support_session(server: &TestServer, client: &Client, owner: i64) -> Result<(), String> {
    admin_sign_in(server, client).await?;
    client
        .goto(&server.url("/admin/users"))
        .await
        .map_err(|e| e.to_string())?;
    click(
        client,
        Locator::XPath(&format!(
            "//tr[@id='user-{owner}']//button[contains(., 'Sign in as them at Vendor alpha')]"
        )),
    )
    .await?;
    fill(
        client,
        "#support-reason",
        "Ticket 12: the owner cannot find the payments page",
    )
    .await;
    click(client, Locator::Css("#support-start")).await?;
    wait_for_path(client, "/vendor/alpha/").await;
    let banner = text_of(client, "#support-banner").await;
    assert!(
        banner.contains(&format!("{ADMIN_EMAIL} is acting as this team member")),
        "{banner}"
    );
    assert_eq!(text_of(client, "#member-role").await, "Owner");
    screenshot(client, "admin-support-session").await;

    click(client, Locator::Css("#end-support")).await?;
    wait_for_path(client, "/admin/users").await;
    wait_for_text(client, "h1", "Users").await?;
    assert!(
        client.find(Locator::Css("#support-banner")).await.is_err(),
        "the banner is gone"
    );
    client
        .goto(&server.url("/vendor/alpha/"))
        .await
        .map_err(|e| e.to_string())?;
    wait_for_path(client, "/vendor/alpha/login").await;
    Ok(())
}

async fn admin_pages_fit_a_phone(server: &TestServer, client: &Client) -> Result<(), String> {
    client
        .set_window_size(390, 844)
        .await
        .map_err(|e| e.to_string())?;
    for path in [
        "/admin",
        "/admin/vendors",
        "/admin/users",
        "/admin/domains",
        "/admin/imports",
        "/admin/jobs",
        "/admin/audit",
        "/admin/settings",
    ] {
        client
            .goto(&server.url(path))
            .await
            .map_err(|e| e.to_string())?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let width = page_width(client).await;
        assert!(width <= 390, "{path} is {width} px wide at phone width");
    }
    screenshot(client, "admin-audit-phone").await;
    Ok(())
}

#[tokio::test]
async fn an_owner_adds_a_domain_and_sees_its_record_at_phone_width() {
    let server = TestServer::start().await;
    let admin = server.admin_token().await;
    let created = server
        .create_vendor(&admin, "alpha", "owner@alpha.test")
        .await;
    let password = created["temporary_password"].as_str().unwrap().to_owned();
    in_browser("domains-failure", async |client| {
        client
            .set_window_size(390, 844)
            .await
            .map_err(|e| e.to_string())?;
        sign_in(
            &server,
            client,
            "/vendor/alpha/login",
            ("owner@alpha.test", &password),
            "/vendor/alpha/",
        )
        .await?;
        client
            .goto(&server.url("/vendor/alpha/settings/domains"))
            .await
            .map_err(|e| e.to_string())?;
        fill(client, "#domain-name", "shop.example.lu").await;
        click(client, Locator::Css("#domain-form button[type=submit]")).await?;
        let record = text_of(client, "section.card dl.facts").await;
        assert!(
            record.contains("_wizamart-verify.shop.example.lu")
                && record.contains("wizamart-verify="),
            "{record}"
        );
        let width = page_width(client).await;
        assert!(
            width <= 390,
            "the domains page is {width} px wide at phone width"
        );
        screenshot(client, "vendor-domains-phone").await;
        Ok(())
    })
    .await;
}
