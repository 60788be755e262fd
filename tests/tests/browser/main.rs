//! The pages in a real headless Chromium (Debian's `chromium` and `chromium-driver`): the
//! admin signs in, creates a vendor on the page and sees its temporary password; the owner
//! signs in with it on the vendor's login page and lands on the dashboard as Owner. An Editor
//! creates a product with an uploaded image and stock, finds it without accents, edits its
//! price; the catalogue pages fit a phone's width.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

mod admin;
mod orders;
mod team;

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
                     "--disable-sync", "--window-size=1280,900", format!("--user-data-dir={}", profile.display()),
                     // Shops on their own hosts: every vendor subdomain of the test platform is this machine.
                     "--host-resolver-rules=MAP *.wizamart.test 127.0.0.1"]
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

/// Runs a scenario in a fresh headless Chromium; a failing one leaves a screenshot named
/// `failure_shot` under `target/screenshots/`, then fails the test.
async fn in_browser(failure_shot: &str, scenario: impl AsyncFnOnce(&Client) -> Result<(), String>) {
    let driver = Driver::start();
    let client = browser(&driver).await;
    let result = scenario(&client).await;
    if result.is_err() {
        screenshot(&client, failure_shot).await;
    }
    let _ = client.close().await;
    result.unwrap();
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

/// Signs in on a portal's login page (`/admin/login`, `/vendor/{code}/login`) and waits for
/// the page it leads to.
/// Signs the demo admin in on the admin login page.
async fn admin_sign_in(server: &TestServer, client: &Client) -> Result<(), String> {
    sign_in(
        server,
        client,
        "/admin/login",
        (ADMIN_EMAIL, ADMIN_PASSWORD),
        "/admin",
    )
    .await
}

async fn sign_in(
    server: &TestServer,
    client: &Client,
    login: &str,
    (email, password): (&str, &str),
    lands_on: &str,
) -> Result<(), String> {
    client
        .goto(&server.url(login))
        .await
        .map_err(|e| e.to_string())?;
    fill(client, "input[name=email]", email).await;
    fill(client, "input[name=password]", password).await;
    click(client, Locator::Css("button[type=submit]")).await?;
    wait_for_path(client, lands_on).await;
    Ok(())
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
    in_browser("failure", async |client| run(&server, client).await).await;
}

async fn run(server: &TestServer, client: &Client) -> Result<(), String> {
    admin_sign_in(server, client).await?;
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
    // First a preview: nothing is created until the admin confirms.
    let preview = text_of(client, "#bulk-preview p").await;
    assert_eq!(
        preview,
        "1 vendor(s) would be created, 1 row(s) would be refused."
    );
    screenshot(client, "admin-bulk-preview").await;
    let (_, listed) = server
        .get(
            "/api/v1/admin/vendors?q=csvshop",
            Some(&server.admin_token().await),
        )
        .await;
    assert_eq!(listed["total"], 0, "the preview created nothing");
    click(client, Locator::Css("#bulk-commit")).await?;
    let report = text_of(client, "#import-report p").await;
    assert_eq!(report, "1 created, 1 failed.");
    screenshot(client, "admin-bulk-import").await;
    // Their first Letzshop import, as a mass action with a result per vendor.
    click(client, Locator::Css("#import-new-feeds")).await?;
    wait_for_text(
        client,
        "#mass-result p",
        "Start Letzshop imports: 1 of 1 vendor(s) done",
    )
    .await?;
    let outcome = text_of(client, "#mass-result td.error").await;
    assert!(outcome.contains("feed"), "{outcome}");

    // A larger file runs in the background; the page follows it to its report.
    let big = tempdir().join("big.csv");
    let rows: String = (0..25)
        .map(|i| format!("Big Shop {i},,Owner {i},big{i}@shops.test\n"))
        .collect();
    std::fs::write(
        &big,
        format!("vendor_name,subdomain,owner_name,owner_email\n{rows}"),
    )
    .unwrap();
    file_input
        .send_keys(&big.to_string_lossy())
        .await
        .map_err(|e| e.to_string())?;
    wait_for_text(
        client,
        "#bulk-preview p",
        "25 vendor(s) would be created, 0 row(s) would be refused.",
    )
    .await?;
    click(client, Locator::Css("#bulk-commit")).await?;
    wait_for_text(client, "#import-progress", "big.csv: 25 rows done.").await?;
    wait_for_text(client, "#import-report p", "25 created, 0 failed.").await?;
    let passwords = client
        .find_all(Locator::Css("#import-report code.secret"))
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(
        passwords.len(),
        25,
        "each new owner's temporary password is shown"
    );

    // The owner, in a fresh session: sign out of admin first so cookies don't mix.
    client
        .delete_all_cookies()
        .await
        .map_err(|e| e.to_string())?;
    sign_in(
        server,
        client,
        "/vendor/browsershop/login",
        ("owner@browsershop.test", &password),
        "/vendor/browsershop/",
    )
    .await?;
    assert_eq!(text_of(client, "#member-role").await, "Owner");
    assert_eq!(text_of(client, "#vendor-name").await, "Browser Shop");
    screenshot(client, "vendor-dashboard").await;
    Ok(())
}

#[tokio::test]
async fn an_editor_creates_a_product_with_an_image_and_stock_finds_it_and_reprices_it() {
    let server = TestServer::start().await;
    let admin = server.admin_token().await;
    let (vendor, owner) = server.vendor_with_owner(&admin, "alpha").await;
    server.add_member(vendor, "editor@alpha.test", "editor-password-1", "Editor");
    in_browser("catalogue-failure", async |client| {
        edit_catalogue(&server, client, &owner).await
    })
    .await;
}

/// Waits until the element's text is `expected` (Alpine re-renders after each answer).
async fn wait_for_text(client: &Client, css: &str, expected: &str) -> Result<(), String> {
    wait_for_text_up_to(client, css, expected, 100).await
}

/// Clicks `button` until `css` says `expected`: a list that Alpine draws again after the
/// previous change can swap the button for a new one between finding and clicking it, and
/// a click on the old one does nothing.
async fn click_until_text(
    client: &Client,
    button: Locator<'_>,
    css: &str,
    expected: &str,
) -> Result<(), String> {
    let mut outcome = Err(format!("{css}: never clicked"));
    for _ in 0..5 {
        if let Ok(found) = client.find(button).await {
            let _ = found.click().await;
        }
        outcome = wait_for_text_up_to(client, css, expected, 20).await;
        if outcome.is_ok() {
            break;
        }
    }
    outcome
}

/// `wait_for_text`, looking `tries` times 100 ms apart.
async fn wait_for_text_up_to(
    client: &Client,
    css: &str,
    expected: &str,
    tries: u32,
) -> Result<(), String> {
    let mut last = String::new();
    for _ in 0..tries {
        if let Ok(element) = client.find(Locator::Css(css)).await {
            last = element.text().await.unwrap_or_default();
            if last.trim() == expected {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("{css}: expected {expected:?}, saw {last:?}"))
}

/// The page's width in CSS pixels: wider than the window means it scrolls sideways.
async fn page_width(client: &Client) -> u64 {
    client
        .execute("return document.documentElement.scrollWidth;", vec![])
        .await
        .unwrap()
        .as_u64()
        .unwrap()
}

async fn edit_catalogue(server: &TestServer, client: &Client, owner: &str) -> Result<(), String> {
    sign_in(
        server,
        client,
        "/vendor/alpha/login",
        ("editor@alpha.test", "editor-password-1"),
        "/vendor/alpha/",
    )
    .await?;

    client
        .goto(&server.url("/vendor/alpha/products"))
        .await
        .map_err(|e| e.to_string())?;
    let empty = text_of(client, ".empty").await;
    assert!(empty.contains("Your catalogue is empty"), "{empty}");
    click(client, Locator::Css("#new-product")).await?;
    wait_for_path(client, "/vendor/alpha/products/new").await;
    fill(client, "input[name=title_fr]", "Écharpe en laine mérinos").await;
    fill(client, "input[name=sku]", "ECH-1").await;
    fill(client, "input[name=price]", "24,90").await;
    click(client, Locator::Css("#save-product")).await?;
    let mut id = None;
    for _ in 0..100 {
        let url = client.current_url().await.map_err(|e| e.to_string())?;
        if let Some(rest) = url.path().strip_prefix("/vendor/alpha/products/")
            && let Ok(n) = rest.parse::<i64>()
        {
            id = Some(n);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let id = id.ok_or("the editor did not open the created product")?;

    // An image, chosen like a person would: a file on disk.
    let photo = tempdir().join("scarf.png");
    image::RgbImage::from_fn(800, 600, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    })
    .save(&photo)
    .unwrap();
    let input = client
        .wait()
        .for_element(Locator::Css("#image-upload"))
        .await
        .map_err(|e| e.to_string())?;
    input
        .send_keys(&photo.to_string_lossy())
        .await
        .map_err(|e| e.to_string())?;
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("#image-list img"))
        .await
        .map_err(|e| e.to_string())?;

    // Stock through the adjust dialog.
    click(
        client,
        Locator::XPath("//button[normalize-space()='Adjust']"),
    )
    .await?;
    fill(client, "#adjust-dialog input[name=delta]", "7").await;
    click(
        client,
        Locator::XPath("//button[normalize-space()='Save change']"),
    )
    .await?;
    wait_for_text(client, "#stock-table tbody td:nth-child(4)", "7").await?;
    wait_for_text(client, "#movement-table tbody td:nth-child(3)", "+7").await?;
    screenshot(client, "vendor-product-editor").await;

    // Found by typing without accents.
    client
        .goto(&server.url("/vendor/alpha/products"))
        .await
        .map_err(|e| e.to_string())?;
    fill(client, "#product-search", "echarpe meri").await;
    wait_for_text(
        client,
        "#product-table tbody td a",
        "Écharpe en laine mérinos",
    )
    .await?;
    wait_for_text(client, "#product-table tbody td:nth-child(6)", "7").await?;
    screenshot(client, "vendor-products").await;

    // A new price. The list may still be re-rendering the answer to the last keystroke, so
    // the link is clicked again if the first click met an element that was being replaced.
    let editor = format!("/vendor/alpha/products/{id}");
    let mut opened = false;
    for _ in 0..5 {
        let _ = click(client, Locator::LinkText("Écharpe en laine mérinos")).await;
        for _ in 0..20 {
            if client.current_url().await.is_ok_and(|u| u.path() == editor) {
                opened = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        if opened {
            break;
        }
    }
    assert!(opened, "the product link opens the editor");
    let price = client
        .wait()
        .for_element(Locator::Css("input[name=price]"))
        .await
        .map_err(|e| e.to_string())?;
    wait_for_value(&price, "24.90").await?;
    price.clear().await.map_err(|e| e.to_string())?;
    price.send_keys("19.90").await.map_err(|e| e.to_string())?;
    click(client, Locator::Css("#save-product")).await?;
    wait_for_text(client, "#saved-notice", "Saved.").await?;
    let (_, saved) = server
        .get(&format!("/api/v1/vendor/products/{id}"), Some(owner))
        .await;
    assert_eq!(
        (
            saved["price_cents"].as_i64(),
            saved["images"].as_array().map(Vec::len),
            saved["inventory"]["available"].as_i64(),
            saved["title"].as_str()
        ),
        (
            Some(1990),
            Some(1),
            Some(7),
            Some("Écharpe en laine mérinos")
        ),
        "{saved}"
    );

    // At a phone's width nothing scrolls sideways.
    client
        .set_window_size(390, 844)
        .await
        .map_err(|e| e.to_string())?;
    for path in ["/vendor/alpha/products", "/vendor/alpha/inventory"] {
        client
            .goto(&server.url(path))
            .await
            .map_err(|e| e.to_string())?;
        text_of(client, "h1").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let width = page_width(client).await;
        assert!(width <= 390, "{path} is {width}px wide at 390px");
    }
    client
        .goto(&server.url(&format!("/vendor/alpha/products/{id}")))
        .await
        .map_err(|e| e.to_string())?;
    wait_for_value(
        &client
            .wait()
            .for_element(Locator::Css("input[name=price]"))
            .await
            .map_err(|e| e.to_string())?,
        "19.90",
    )
    .await?;
    let width = page_width(client).await;
    assert!(width <= 390, "the editor is {width}px wide at 390px");
    screenshot(client, "vendor-product-editor-phone").await;
    Ok(())
}

async fn wait_for_value(
    field: &fantoccini::elements::Element,
    expected: &str,
) -> Result<(), String> {
    let mut last = None;
    for _ in 0..100 {
        last = field.prop("value").await.map_err(|e| e.to_string())?;
        if last.as_deref() == Some(expected) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("expected the value {expected:?}, saw {last:?}"))
}

/// A member with a known password and one of the vendor's default roles.

#[tokio::test]
async fn an_owner_imports_a_feed_reads_its_bad_rows_publishes_and_resets_an_override() {
    let server = TestServer::start().await;
    let admin = server.admin_token().await;
    let (vendor, token) = server.vendor_with_owner(&admin, "gellefra").await;
    server.add_member(vendor, "imports@gellefra.test", "owner-password-1", "Owner");
    in_browser("marketplace-failure", async |client| {
        import_and_publish(&server, client, &token).await
    })
    .await;
}

async fn import_and_publish(
    server: &TestServer,
    client: &Client,
    token: &str,
) -> Result<(), String> {
    let go = |path: &'static str| async move {
        client
            .goto(&server.url(path))
            .await
            .map_err(|e| e.to_string())
    };
    sign_in(
        server,
        client,
        "/vendor/gellefra/login",
        ("imports@gellefra.test", "owner-password-1"),
        "/vendor/gellefra/",
    )
    .await?;

    // The imports page starts empty and says what to do.
    click(client, Locator::LinkText("Letzshop")).await?;
    wait_for_path(client, "/vendor/gellefra/marketplace").await;
    let empty = text_of(client, ".empty").await;
    assert!(empty.contains("No imports yet"), "{empty}");

    // A bad feed address is refused with the field named.
    fill(
        client,
        "#feed-config input[type=url]",
        "ftp://feeds.example/fr.csv",
    )
    .await;
    click(
        client,
        Locator::XPath("//button[normalize-space()='Save addresses']"),
    )
    .await?;
    let error = text_of(client, "#feed-config label .error").await;
    assert!(error.contains("http"), "{error}");

    // The German messy feed, uploaded as a file: it runs, then reports its bad rows.
    let select = client
        .wait()
        .for_element(Locator::Css("#import-language"))
        .await
        .map_err(|e| e.to_string())?;
    select
        .select_by_value("de")
        .await
        .map_err(|e| e.to_string())?;
    let feed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/letzshop/messy/gellefra_de.csv"
    );
    client
        .wait()
        .for_element(Locator::Css("#import-file"))
        .await
        .map_err(|e| e.to_string())?
        .send_keys(feed)
        .await
        .map_err(|e| e.to_string())?;
    click(
        client,
        Locator::XPath("//button[normalize-space()='Upload and import']"),
    )
    .await?;
    wait_for_text(
        client,
        "#import-table tbody td:nth-child(4) .pill",
        "done, with bad rows",
    )
    .await?;
    wait_for_text(client, "#import-table tbody td:nth-child(5)", "120 rows").await?;
    wait_for_text(
        client,
        "#import-table tbody td:nth-child(6)",
        "109 new · 0 changed · 0 unchanged",
    )
    .await?;
    screenshot(client, "vendor-imports").await;
    click(
        client,
        Locator::XPath("//button[normalize-space()='11 — see them']"),
    )
    .await?;
    wait_for_text(
        client,
        "#error-table tbody tr:first-of-type td:first-child",
        "14",
    )
    .await?;
    let message = text_of(
        client,
        "#error-table tbody tr:first-of-type td:nth-child(3)",
    )
    .await;
    assert!(message.contains("maybe tomorrow"), "{message}");
    let lines = client
        .find_all(Locator::Css("#error-table tbody tr"))
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(lines.len(), 11);
    screenshot(client, "vendor-import-errors").await;
    click(
        client,
        Locator::XPath("//dialog//button[normalize-space()='Close']"),
    )
    .await?;

    // The staged products: two chosen and published with a price of the owner's and stock.
    click(client, Locator::Css("#staged-link")).await?;
    wait_for_path(client, "/vendor/gellefra/marketplace/products").await;
    wait_for_text(client, "#staged-pager", "Page 1 of 6 · 109 staged products").await?;
    fill(client, "#staged-search", "LS-000000").await;
    wait_for_text(client, "#staged-pager", "Page 1 of 1 · 10 staged products").await?;
    for id in ["LS-0000001", "LS-0000002"] {
        click(
            client,
            Locator::XPath(&format!(
                "//tr[td/code[text()='{id}']]//input[@type='checkbox']"
            )),
        )
        .await?;
    }
    click(client, Locator::Css("#publish-open")).await?;
    fill(
        client,
        "#publish-form tbody tr:first-of-type input[inputmode=decimal]",
        "19,90",
    )
    .await;
    // The shirt under a SKU of the owner's.
    fill(
        client,
        "#publish-form tbody tr:nth-of-type(2) input[maxlength=\"64\"]",
        "SHIRT-KIRCHBERG",
    )
    .await;
    click(client, Locator::Css("#publish-stock")).await?;
    let units = client
        .find(Locator::Css("#publish-units"))
        .await
        .map_err(|e| e.to_string())?;
    units.clear().await.map_err(|e| e.to_string())?;
    units.send_keys("5").await.map_err(|e| e.to_string())?;
    screenshot(client, "vendor-publish-dialog").await;
    click(client, Locator::Css("#publish-submit")).await?;
    let summary = text_of(client, "#publish-result p").await;
    assert!(summary.starts_with("2 published, 0 already"), "{summary}");
    click(
        client,
        Locator::XPath("//dialog//button[normalize-space()='Close']"),
    )
    .await?;
    // Published products leave the default "not yet" list; the filter shows them.
    wait_for_text(client, "#staged-pager", "Page 1 of 1 · 8 staged products").await?;
    client
        .find(Locator::Css("#staged-published"))
        .await
        .map_err(|e| e.to_string())?
        .select_by_value("true")
        .await
        .map_err(|e| e.to_string())?;
    wait_for_text(client, "#staged-pager", "Page 1 of 1 · 2 staged products").await?;
    wait_for_text(
        client,
        "#staged-table tr:has(code) td:nth-child(6) a",
        "published",
    )
    .await?;

    // The catalogue has them: the owner's price on the lamp, 5 shirts in stock, no lamps.
    let (_, products) = server
        .get("/api/v1/vendor/products?sort=price_asc", Some(token))
        .await;
    let found: Vec<(String, i64, i64)> = products["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["sku"].as_str().unwrap().to_owned(),
                p["price_cents"].as_i64().unwrap(),
                p["inventory"]["available"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("LS-0000001".to_owned(), 1990, 0),
            ("SHIRT-KIRCHBERG".to_owned(), 39495, 5)
        ]
    );

    // The lamp's price is the owner's: the product page says so, and a reset brings the feed's.
    click(
        client,
        Locator::XPath("//tr[td/code[text()='LS-0000001']]//button[contains(@class,'title')]"),
    )
    .await?;
    let changed = text_of(client, "#overrides strong").await;
    assert_eq!(changed, "price");
    click(
        client,
        Locator::XPath("//button[normalize-space()='Reset the price']"),
    )
    .await?;
    wait_for_text(
        client,
        "#overrides p:nth-of-type(2)",
        "Every field follows the feed.",
    )
    .await?;
    let (_, lamp) = server
        .get("/api/v1/vendor/products?q=Lampe", Some(token))
        .await;
    assert_eq!(lamp["items"][0]["price_cents"], 45644, "{lamp}");
    click(
        client,
        Locator::XPath("//dialog//div[contains(@class,'actions')]/button"),
    )
    .await?;

    // At phone width neither page scrolls sideways.
    client
        .set_window_size(390, 844)
        .await
        .map_err(|e| e.to_string())?;
    for path in [
        "/vendor/gellefra/marketplace/products",
        "/vendor/gellefra/marketplace",
    ] {
        go(path).await?;
        text_of(client, "tbody td").await;
        let width = page_width(client).await;
        assert!(width <= 390, "{path} is {width}px wide at 390px");
    }
    screenshot(client, "vendor-imports-phone").await;

    // The platform admin sees the import in the list of every vendor's imports.
    client
        .set_window_size(1280, 900)
        .await
        .map_err(|e| e.to_string())?;
    admin_sign_in(server, client).await?;
    click(client, Locator::LinkText("Imports")).await?;
    wait_for_text(
        client,
        "#admin-import-table tbody td:nth-child(2) a",
        "gellefra",
    )
    .await?;
    wait_for_text(client, "#admin-import-table tbody td:nth-child(8)", "11").await?;
    screenshot(client, "admin-imports").await;
    click(client, Locator::LinkText("Jobs")).await?;
    wait_for_text(
        client,
        "#jobs-table tbody td:nth-child(2)",
        "marketplace.import",
    )
    .await?;
    wait_for_text(client, "#jobs-table tbody td:nth-child(4)", "done").await?;
    Ok(())
}

#[tokio::test]
async fn a_visitor_browses_a_shop_on_its_subdomain_at_desktop_and_phone_width() {
    let server = TestServer::start().await;
    let admin = server.admin_token().await;
    let (_, owner) = server.vendor_with_owner(&admin, "browsy").await;
    let (status, scarf) = server
        .post(
            "/api/v1/vendor/products",
            Some(&owner),
            json!({"sku": "SCARF", "title": "Écharpe en laine mérinos", "description": "Chaude et douce.",
                   "translations": {"en": {"title": "Merino wool scarf", "description": "Warm and soft."}},
                   "price_cents": 4990, "is_featured": true}),
        )
        .await;
    assert_eq!(status, 201, "{scarf}");
    for i in 0..5 {
        server
            .post(
                "/api/v1/vendor/products",
                Some(&owner),
                json!({"sku": format!("MUG-{i}"), "title": format!("Tasse en grès {i}"), "price_cents": 1200 + i}),
            )
            .await;
    }
    in_browser("shop-failure", async |client| {
        browse_shop(&server, client, scarf["id"].as_i64().unwrap()).await
    })
    .await;
}

async fn browse_shop(server: &TestServer, client: &Client, scarf: i64) -> Result<(), String> {
    let port = server
        .url("/")
        .split(':')
        .nth(2)
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    let shop = format!("http://browsy.wizamart.test:{port}");
    for (width, height, suffix) in [(1280, 900, "desktop"), (390, 844, "phone")] {
        client
            .set_window_size(width, height)
            .await
            .map_err(|e| e.to_string())?;
        client
            .goto(&format!("{shop}/"))
            .await
            .map_err(|e| e.to_string())?;
        // Headless Chromium asks for English first.
        wait_for_text(client, "#featured .name", "Merino wool scarf").await?;
        screenshot(client, &format!("shop-home-{suffix}")).await;
        // Search from the header, as a visitor types it: without the accents.
        fill(client, "#shop-q", "echarpe\n").await;
        wait_for_path(client, "/products").await;
        wait_for_text(client, "#result-count", "1 product").await?;
        screenshot(client, &format!("shop-search-{suffix}")).await;
        click(client, Locator::Css("#product-grid a")).await?;
        wait_for_path(client, &format!("/products/{scarf}")).await;
        wait_for_text(client, "#product-price", "€49.90").await?;
        screenshot(client, &format!("shop-product-{suffix}")).await;
        if width == 390 {
            let wide = page_width(client).await;
            assert!(wide <= 390, "the product page is {wide}px wide at 390px");
        }
    }
    // The language switcher: French texts and prices, kept on the next page.
    click(client, Locator::LinkText("FR")).await?;
    wait_for_text(client, "#product-title", "Écharpe en laine mérinos").await?;
    wait_for_text(client, "#product-price", "49,90 €").await?;
    client
        .goto(&format!("{shop}/products"))
        .await
        .map_err(|e| e.to_string())?;
    let html_lang = client
        .execute("return document.documentElement.lang;", vec![])
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(html_lang, json!("fr"));
    Ok(())
}

#[tokio::test]
async fn an_owner_changes_the_shops_look_with_a_live_preview() {
    let server = TestServer::start().await;
    let admin = server.admin_token().await;
    let (vendor, owner) = server.vendor_with_owner(&admin, "looks").await;
    server.add_member(vendor, "design@looks.test", "owner-password-1", "Owner");
    in_browser("theme-failure", async |client| {
        edit_theme(&server, client).await
    })
    .await;
    let (_, theme) = server
        .get("/api/v1/vendor/settings/theme", Some(&owner))
        .await;
    assert_eq!(
        (theme["font"].as_str(), theme["layout"].as_str()),
        (Some("serif"), Some("list"))
    );
}

async fn edit_theme(server: &TestServer, client: &Client) -> Result<(), String> {
    sign_in(
        server,
        client,
        "/vendor/looks/login",
        ("design@looks.test", "owner-password-1"),
        "/vendor/looks/",
    )
    .await?;
    click(client, Locator::LinkText("Shop settings")).await?;
    wait_for_path(client, "/vendor/looks/settings").await;
    wait_for_text(client, "#primary-hex", "#2f5bd3").await?;
    for (css, value) in [("#theme-font", "serif"), ("#theme-layout", "list")] {
        client
            .find(Locator::Css(css))
            .await
            .map_err(|e| e.to_string())?
            .select_by_value(value)
            .await
            .map_err(|e| e.to_string())?;
    }
    // The preview takes the font at once, before anything is saved.
    let mut font = serde_json::Value::Null;
    for _ in 0..50 {
        font = client
            .execute(
                "return getComputedStyle(document.getElementById('theme-preview')).fontFamily;",
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?;
        if font.as_str().is_some_and(|f| f.contains("Georgia")) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        font.as_str().is_some_and(|f| f.contains("Georgia")),
        "{font}"
    );
    screenshot(client, "vendor-theme-editor").await;
    // A logo from a file on disk: uploaded at once, shown in the preview.
    let logo = tempdir().join("logo.png");
    image::RgbImage::from_pixel(240, 80, image::Rgb([20, 90, 160]))
        .save(&logo)
        .unwrap();
    client
        .find(Locator::Css("#theme-logo-file"))
        .await
        .map_err(|e| e.to_string())?
        .send_keys(&logo.to_string_lossy())
        .await
        .map_err(|e| e.to_string())?;
    wait_for_text(client, "#theme-form .notice", "Logo uploaded and saved.").await?;
    let src = client
        .execute(
            "return document.querySelector('#theme-preview img.logo').getAttribute('src');",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    assert!(
        src.as_str().is_some_and(|s| s.starts_with("/media/")),
        "{src}"
    );
    click(client, Locator::Css("#theme-save")).await?;
    wait_for_text(
        client,
        "#theme-form .notice",
        "Saved. Your shop shows the new look now.",
    )
    .await?;
    client
        .set_window_size(390, 844)
        .await
        .map_err(|e| e.to_string())?;
    let width = page_width(client).await;
    assert!(width <= 390, "the settings page is {width}px wide at 390px");
    Ok(())
}

#[tokio::test]
async fn customers_shop_and_check_out_on_a_subdomain_and_on_a_path_url() {
    let server = TestServer::start().await;
    let admin = server.admin_token().await;
    let (_, owner) = server.vendor_with_owner(&admin, "buyme").await;
    let lamp = server
        .product_with_stock(
            &owner,
            json!({"sku": "LAMP", "title": "Lampe de bureau", "translations": {"en": {"title": "Desk lamp"}},
                   "price_cents": 2500, "is_featured": true}),
            20,
        )
        .await;
    in_browser("checkout-failure", async |client| {
        guest_checkout_on_the_subdomain(&server, client, lamp).await?;
        customer_checkout_on_the_path(&server, client, lamp).await
    })
    .await;
}

/// Adds two of the product from its page and goes to the cart.
async fn fill_cart(client: &Client, product_url: &str, suffix: &str) -> Result<(), String> {
    client.goto(product_url).await.map_err(|e| e.to_string())?;
    screenshot(client, &format!("checkout-product-{suffix}")).await;
    let quantity = client
        .wait()
        .for_element(Locator::Css(".add-to-cart input[name=quantity]"))
        .await
        .map_err(|e| e.to_string())?;
    quantity.clear().await.map_err(|e| e.to_string())?;
    quantity.send_keys("2").await.map_err(|e| e.to_string())?;
    click(client, Locator::Css(".add-to-cart button[type=submit]")).await?;
    wait_for_text(client, ".add-to-cart .notice span", "Added to your cart.").await?;
    wait_for_text(client, ".cart-link", "Cart (2)").await?;
    click(client, Locator::Css(".cart-link")).await?;
    wait_for_text(client, ".cart-line .line-total", &euros(50.0)).await?;
    screenshot(client, &format!("checkout-cart-{suffix}")).await;
    click(client, Locator::LinkText("Check out")).await
}

/// Amounts as Chromium writes them in English.
fn euros(amount: f64) -> String {
    format!("€{amount:.2}")
}

async fn fill_address(client: &Client) {
    fill(client, "input[name=name]", "Léa Schmit").await;
    fill(client, "input[name=street]", "1 rue du Fort").await;
    fill(client, "input[name=postal_code]", "L-1234").await;
    fill(client, "input[name=city]", "Luxembourg").await;
}

async fn guest_checkout_on_the_subdomain(
    server: &TestServer,
    client: &Client,
    lamp: i64,
) -> Result<(), String> {
    let port = server.base.rsplit(':').next().unwrap().to_owned();
    let shop = format!("http://buyme.wizamart.test:{port}");
    client
        .set_window_size(1280, 900)
        .await
        .map_err(|e| e.to_string())?;
    client
        .goto(&format!("{shop}/"))
        .await
        .map_err(|e| e.to_string())?;
    wait_for_text(client, "#featured .name", "Desk lamp").await?;
    screenshot(client, "checkout-home-desktop").await;
    fill_cart(client, &format!("{shop}/products/{lamp}"), "desktop").await?;
    wait_for_path(client, "/checkout").await;
    fill(client, "input[name=email]", "guest@example.lu").await;
    fill_address(client).await;
    // 50.00 reaches the free-shipping threshold.
    wait_for_text(client, ".summary .total .amount", &euros(50.0)).await?;
    screenshot(client, "checkout-checkout-desktop").await;
    click(client, Locator::Css(".summary button[type=submit]")).await?;
    wait_for_text(client, "#order-number", "BUY-000001").await?;
    screenshot(client, "checkout-confirmation-desktop").await;
    wait_for_text(client, ".cart-link", "Cart").await
}

async fn customer_checkout_on_the_path(
    server: &TestServer,
    client: &Client,
    lamp: i64,
) -> Result<(), String> {
    client
        .set_window_size(390, 844)
        .await
        .map_err(|e| e.to_string())?;
    client
        .goto(&server.url("/shop/buyme/"))
        .await
        .map_err(|e| e.to_string())?;
    wait_for_text(client, "#featured .name", "Desk lamp").await?;
    screenshot(client, "checkout-home-phone").await;
    click(client, Locator::LinkText("Sign in")).await?;
    click(client, Locator::LinkText("Create an account")).await?;
    fill(client, "input[name=first_name]", "Léa").await;
    fill(client, "input[name=last_name]", "Schmit").await;
    fill(client, "input[name=email]", "lea@example.lu").await;
    fill(client, "input[name=password]", "shopper-password").await;
    click(client, Locator::Css("button[type=submit]")).await?;
    wait_for_path(client, "/shop/buyme/account").await;
    wait_for_text(
        client,
        ".account-page .empty",
        "No orders yet. Start shopping",
    )
    .await?;
    fill_cart(
        client,
        &server.url(&format!("/shop/buyme/products/{lamp}")),
        "phone",
    )
    .await?;
    wait_for_path(client, "/shop/buyme/checkout").await;
    fill_address(client).await;
    wait_for_text(client, ".summary .total .amount", &euros(50.0)).await?;
    let wide = page_width(client).await;
    assert!(wide <= 390, "the checkout is {wide}px wide at 390px");
    screenshot(client, "checkout-checkout-phone").await;
    click(client, Locator::Css(".summary button[type=submit]")).await?;
    wait_for_text(client, "#order-number", "BUY-000002").await?;
    screenshot(client, "checkout-confirmation-phone").await;
    click(client, Locator::LinkText("See your orders")).await?;
    wait_for_text(client, ".order-row a", "BUY-000002").await?;
    click(client, Locator::LinkText("BUY-000002")).await?;
    wait_for_path(client, "/shop/buyme/account/orders/BUY-000002").await;
    wait_for_text(client, ".history li span", "Received").await
}
