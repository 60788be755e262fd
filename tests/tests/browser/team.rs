//! The team page: an Owner gives a member another role, creates a custom role from the
//! permissions they hold and switches a member off; a Viewer sees the team and the matrix but
//! no control to change them. Both fit a phone's width.

use diesel::connection::SimpleConnection;

use super::*;

#[tokio::test]
async fn an_owner_manages_the_team_and_a_viewer_only_reads_it() {
    let server = TestServer::start().await;
    let admin = server.admin_token().await;
    let (vendor, _) = server.vendor_with_owner(&admin, "crew").await;
    server.add_member(vendor, "boss@crew.test", "boss-password-12", "Owner");
    server.add_member(vendor, "sam@crew.test", "sam-password-123", "Editor");
    server.add_member(vendor, "val@crew.test", "val-password-123", "Viewer");
    in_browser("team-failure", async |client| {
        manage_team(&server, client).await?;
        click(
            client,
            Locator::Css("button[data-url='/vendor/crew/logout']"),
        )
        .await?;
        wait_for_path(client, "/vendor/crew/login").await;
        read_team(&server, client).await
    })
    .await;
    let (_, login) = server
        .post(
            "/api/v1/vendor/auth/login",
            None,
            json!({"email": "boss@crew.test", "password": "boss-password-12", "vendor_code": "crew"}),
        )
        .await;
    let boss = login["access_token"].as_str().unwrap();
    let (_, members) = server.get("/api/v1/vendor/team/members", Some(boss)).await;
    let sam = members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "sam@crew.test")
        .unwrap();
    assert_eq!(
        (sam["role"].as_str(), sam["is_active"].as_bool()),
        (Some("Viewer"), Some(false))
    );
    let (_, roles) = server.get("/api/v1/vendor/team/roles", Some(boss)).await;
    let packer = roles
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Packer")
        .expect("the new role");
    assert_eq!(packer["permissions"], json!(["orders.edit", "orders.view"]));
}

async fn manage_team(server: &TestServer, client: &Client) -> Result<(), String> {
    sign_in(
        server,
        client,
        "/vendor/crew/login",
        ("boss@crew.test", "boss-password-12"),
        "/vendor/crew/",
    )
    .await?;
    click(client, Locator::LinkText("Team")).await?;
    wait_for_path(client, "/vendor/crew/team").await;
    let role = client
        .wait()
        .for_element(Locator::Css("select[aria-label='Role of sam@crew.test']"))
        .await
        .map_err(|e| e.to_string())?;
    role.select_by_label("Viewer")
        .await
        .map_err(|e| e.to_string())?;
    wait_for_text(
        client,
        ".notice[role=status]",
        "sam@crew.test is now Viewer.",
    )
    .await?;
    click_until_text(
        client,
        Locator::XPath("//tr[td[text()='sam@crew.test']]//button[text()='Switch off']"),
        ".notice[role=status]",
        "sam@crew.test is switched off and signed out.",
    )
    .await?;
    fill(client, "#role-name", "Packer").await;
    for permission in ["orders.view", "orders.edit"] {
        click(
            client,
            Locator::Css(&format!("#role-form input[value='{permission}']")),
        )
        .await?;
    }
    click(client, Locator::Id("role-save")).await?;
    wait_for_text(client, ".notice[role=status]", "Role Packer created.").await?;
    let headers = text_of(client, "#role-matrix thead").await;
    assert!(headers.to_lowercase().contains("packer"), "{headers}");
    screenshot(client, "team-owner-desktop").await;
    Ok(())
}

async fn read_team(server: &TestServer, client: &Client) -> Result<(), String> {
    sign_in(
        server,
        client,
        "/vendor/crew/login",
        ("val@crew.test", "val-password-123"),
        "/vendor/crew/",
    )
    .await?;
    // A Viewer holds no team permission: no Team link, and the page loads nothing.
    let links = text_of(client, ".topbar nav").await;
    assert!(!links.contains("Team"), "{links}");
    client
        .set_window_size(390, 844)
        .await
        .map_err(|e| e.to_string())?;
    client
        .goto(&server.url("/vendor/crew/team"))
        .await
        .map_err(|e| e.to_string())?;
    wait_for_text(client, "#team-load-error", "Your role cannot see the team.").await?;
    let controls = client
        .find_all(Locator::Css(
            "#member-table select, #member-table button, #role-form",
        ))
        .await
        .map_err(|e| e.to_string())?;
    assert!(controls.is_empty(), "a Viewer is offered no change");
    let wide = page_width(client).await;
    assert!(wide <= 390, "the team page is {wide}px wide at 390px");
    screenshot(client, "team-viewer-phone").await;
    Ok(())
}

#[tokio::test]
async fn an_invited_viewer_joins_through_the_link_and_sees_no_edit_buttons() {
    let sink = e2e::SmtpSink::start();
    let server = TestServer::start_with(e2e::Options {
        smtp_url: Some(sink.url.clone()),
        ..e2e::Options::default()
    })
    .await;
    let admin = server.admin_token().await;
    let (vendor, _) = server.vendor_with_owner(&admin, "crew").await;
    server.add_member(vendor, "boss@crew.test", "boss-password-12", "Owner");
    in_browser("invitation-failure", async |client| {
        sign_in(
            &server,
            client,
            "/vendor/crew/login",
            ("boss@crew.test", "boss-password-12"),
            "/vendor/crew/",
        )
        .await?;
        client
            .goto(&server.url("/vendor/crew/team"))
            .await
            .map_err(|e| e.to_string())?;
        fill(client, "#invite-email", "nina@example.lu").await;
        let role = client
            .find(Locator::Id("invite-role"))
            .await
            .map_err(|e| e.to_string())?;
        role.select_by_label("Viewer")
            .await
            .map_err(|e| e.to_string())?;
        click(client, Locator::Id("invite-send")).await?;
        wait_for_text(
            client,
            ".notice[role=status]",
            "Invitation sent to nina@example.lu.",
        )
        .await?;
        wait_for_text(client, "#invitation-list li span", "nina@example.lu").await?;
        click(
            client,
            Locator::Css("button[data-url='/vendor/crew/logout']"),
        )
        .await?;
        wait_for_path(client, "/vendor/crew/login").await;

        let mail = sink.wait_for("nina@example.lu", "crew").await;
        let text = mail.body_text(0).unwrap().into_owned();
        let start = text.find("http://").expect("a link");
        let link = text[start..].split_whitespace().next().unwrap().to_owned();
        client.goto(&link).await.map_err(|e| e.to_string())?;
        let summary = text_of(client, "#invitation-summary").await;
        assert!(
            summary.contains("Viewer") && summary.contains("nina@example.lu"),
            "{summary}"
        );
        fill(client, "input[name=first_name]", "Nina").await;
        fill(client, "input[name=last_name]", "Neu").await;
        fill(client, "input[name=password]", "nina-password-1").await;
        screenshot(client, "invitation-accept").await;
        click(client, Locator::Css("#accept-form button[type=submit]")).await?;
        wait_for_path(client, "/vendor/crew/").await;
        wait_for_text(client, "#member-role", "Viewer").await?;
        client
            .goto(&server.url("/vendor/crew/products"))
            .await
            .map_err(|e| e.to_string())?;
        text_of(client, "h1").await;
        let edit = client
            .find_all(Locator::Css("#new-product, .bulk button"))
            .await
            .map_err(|e| e.to_string())?;
        assert!(edit.is_empty(), "a Viewer gets no edit buttons");

        // The link works once.
        client.goto(&link).await.map_err(|e| e.to_string())?;
        let problem = text_of(client, "#invitation-problem").await;
        assert!(problem.contains("used already"), "{problem}");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn an_owner_of_two_shops_switches_between_them_from_the_header() {
    let server = TestServer::start().await;
    let admin = server.admin_token().await;
    let (alpha, _) = server.vendor_with_owner(&admin, "alpha").await;
    let (beta, _) = server.vendor_with_owner(&admin, "beta").await;
    server.add_member(alpha, "both@shops.test", "both-password-1", "Owner");
    // The same person in beta's team, as Viewer.
    server
        .db
        .owner_conn()
        .batch_execute(&format!(
            "INSERT INTO vendor_users (vendor_id, user_id, role_id)
               SELECT {beta}, u.id, r.id FROM users u, roles r
               WHERE u.email = 'both@shops.test' AND r.vendor_id = {beta} AND r.name = 'Viewer'"
        ))
        .unwrap();
    in_browser("switcher-failure", async |client| {
        sign_in(
            &server,
            client,
            "/vendor/alpha/login",
            ("both@shops.test", "both-password-1"),
            "/vendor/alpha/",
        )
        .await?;
        let switcher = client
            .wait()
            .for_element(Locator::Id("vendor-switcher"))
            .await
            .map_err(|e| e.to_string())?;
        wait_for_text(client, "#member-role", "Owner").await?;
        switcher
            .select_by_value("beta")
            .await
            .map_err(|e| e.to_string())?;
        wait_for_path(client, "/vendor/beta/").await;
        wait_for_text(client, "#member-role", "Viewer").await?;
        screenshot(client, "switcher-beta").await;
        Ok(())
    })
    .await;
}
