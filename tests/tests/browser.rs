//! The pages in a real headless Chromium (Debian's `chromium` and `chromium-driver`): the
//! admin signs in, creates a vendor on the page and sees its temporary password; the owner
//! signs in with it on the vendor's login page and lands on the dashboard as Owner.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use e2e::{ADMIN_EMAIL, ADMIN_PASSWORD, TestServer};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// chromedriver on a free port, killed on drop.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start() -> Self {
        assert!(
            std::path::Path::new(CHROMEDRIVER).exists(),
            "the browser test needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        Self { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn browser(driver: &Driver) -> Client {
    let profile = tempdir();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--window-size=1280,900", format!("--user-data-dir={}", profile.display())]
        }),
    );
    let url = format!("http://127.0.0.1:{}", driver.port);
    for _ in 0..50 {
        if let Ok(client) = ClientBuilder::native()
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            return client;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not accept a session at {url}");
}

fn tempdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "wz-chromium-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

async fn screenshot(client: &Client, name: &str) {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../target/screenshots"
    ));
    std::fs::create_dir_all(&dir).unwrap();
    if let Ok(png) = client.screenshot().await {
        let _ = std::fs::write(dir.join(format!("{name}.png")), png);
    }
}

async fn fill(client: &Client, css: &str, text: &str) {
    let field = client
        .wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    field.send_keys(text).await.unwrap();
}

async fn click(client: &Client, locator: Locator<'_>) -> Result<(), String> {
    let element = client
        .wait()
        .for_element(locator)
        .await
        .map_err(|e| e.to_string())?;
    element.click().await.map_err(|e| e.to_string())
}

async fn text_of(client: &Client, css: &str) -> String {
    let element = client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    // Alpine fills x-text after the element appears.
    for _ in 0..50 {
        let text = element.text().await.unwrap();
        if !text.trim().is_empty() {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    String::new()
}

async fn wait_for_path(client: &Client, path: &str) {
    for _ in 0..100 {
        if client.current_url().await.is_ok_and(|u| u.path() == path) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "never reached {path}; at {:?}",
        client.current_url().await.map(|u| u.to_string())
    );
}

#[tokio::test]
async fn admin_creates_a_vendor_in_the_browser_and_its_owner_signs_in() {
    let server = TestServer::start().await;
    let driver = Driver::start();
    let client = browser(&driver).await;
    let result = run(&server, &client).await;
    if result.is_err() {
        screenshot(&client, "failure").await;
    }
    let _ = client.close().await;
    result.unwrap();
}

async fn run(server: &TestServer, client: &Client) -> Result<(), String> {
    client
        .goto(&server.url("/admin/login"))
        .await
        .map_err(|e| e.to_string())?;
    fill(client, "input[name=email]", ADMIN_EMAIL).await;
    fill(client, "input[name=password]", ADMIN_PASSWORD).await;
    click(client, Locator::Css("button[type=submit]")).await?;
    wait_for_path(client, "/admin").await;
    let vendors = text_of(client, "#stat-vendors").await;
    assert_eq!(vendors, "0");
    screenshot(client, "admin-dashboard").await;

    client
        .goto(&server.url("/admin/vendors"))
        .await
        .map_err(|e| e.to_string())?;
    click(
        client,
        Locator::XPath("//button[normalize-space()='New vendor']"),
    )
    .await?;
    fill(client, "#create-vendor input[name=code]", "browsershop").await;
    fill(client, "#create-vendor input[name=name]", "Browser Shop").await;
    fill(
        client,
        "#create-vendor input[name=owner_email]",
        "owner@browsershop.test",
    )
    .await;
    fill(client, "#create-vendor input[name=owner_first_name]", "Bea").await;
    fill(
        client,
        "#create-vendor input[name=owner_last_name]",
        "Browser",
    )
    .await;
    click(client, Locator::Css("#create-vendor button[type=submit]")).await?;
    let password = text_of(client, "#temporary-password").await;
    assert!(
        password.len() >= 12,
        "the page shows the temporary password: {password:?}"
    );
    let listed = text_of(client, "#vendor-table tbody td a").await;
    assert_eq!(listed, "browsershop", "the list shows the new vendor");
    screenshot(client, "admin-vendor-created").await;

    // The vendor's detail page: verify it.
    click(client, Locator::LinkText("browsershop")).await?;
    assert_eq!(text_of(client, "#vendor-verified").await, "not verified");
    click(
        client,
        Locator::XPath("//button[normalize-space()='Verify']"),
    )
    .await?;
    for _ in 0..50 {
        if text_of(client, "#vendor-verified").await == "verified" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(text_of(client, "#vendor-verified").await, "verified");
    screenshot(client, "admin-vendor-detail").await;
    client
        .goto(&server.url("/admin/vendors"))
        .await
        .map_err(|e| e.to_string())?;

    // Bulk import from a CSV file chosen on the page.
    let csv = tempdir().join("vendors.csv");
    std::fs::write(
        &csv,
        "vendor_name,subdomain,owner_name,owner_email\nCsv Shop,csvshop,Cora Csv,cora@csvshop.test\nBad,bad shop,X,nope\n",
    )
    .unwrap();
    click(
        client,
        Locator::XPath("//button[normalize-space()='Import CSV']"),
    )
    .await?;
    let file_input = client
        .wait()
        .for_element(Locator::Css("input[type=file]"))
        .await
        .map_err(|e| e.to_string())?;
    file_input
        .send_keys(&csv.to_string_lossy())
        .await
        .map_err(|e| e.to_string())?;
    let report = text_of(client, "#import-report p").await;
    assert_eq!(report, "1 created, 1 failed.");
    screenshot(client, "admin-bulk-import").await;

    // The owner, in a fresh session: sign out of admin first so cookies don't mix.
    client
        .delete_all_cookies()
        .await
        .map_err(|e| e.to_string())?;
    client
        .goto(&server.url("/vendor/browsershop/login"))
        .await
        .map_err(|e| e.to_string())?;
    fill(client, "input[name=email]", "owner@browsershop.test").await;
    fill(client, "input[name=password]", &password).await;
    click(client, Locator::Css("button[type=submit]")).await?;
    wait_for_path(client, "/vendor/browsershop/").await;
    assert_eq!(text_of(client, "#member-role").await, "Owner");
    assert_eq!(text_of(client, "#vendor-name").await, "Browser Shop");
    screenshot(client, "vendor-dashboard").await;
    Ok(())
}
