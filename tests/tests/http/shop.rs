//! The customer shop's pages over HTTP: the three ways in (path, subdomain, custom domain)
//! with links that stay in the way the visitor came, closed and unknown shops, hosts that
//! cannot be mixed with another vendor's path, only active products, the visitor's language,
//! and what search engines read (titles, Open Graph, sitemap, robots).

use diesel::connection::SimpleConnection;
use e2e::TestServer;
use serde_json::{Value, json};

/// GET `path` with a Host header (and optional extra headers): status and body text.
async fn page(
    s: &TestServer,
    host: Option<&str>,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, String) {
    let mut request = s.client().get(s.url(path));
    if let Some(host) = host {
        request = request.header("Host", host);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// A new vendor (its shop open at once): its id and its owner's token.
async fn open_shop(s: &TestServer, code: &str) -> (i64, String) {
    let admin = s.admin_token().await;
    s.vendor_with_owner(&admin, code).await
}

async fn product(s: &TestServer, token: &str, body: Value) -> i64 {
    let (status, created) = s.post("/api/v1/vendor/products", Some(token), body).await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_i64().unwrap()
}

/// The scarf (featured, three languages), a lamp, and an inactive teapot.
async fn stock_the_shop(s: &TestServer, token: &str) -> (i64, i64, i64) {
    let scarf = product(
        s,
        token,
        json!({"sku": "SCARF", "language": "fr", "title": "Écharpe en laine", "description": "Chaude & douce",
               "translations": {"de": {"title": "Wollschal", "description": "Warm"},
                                "en": {"title": "Wool scarf", "description": "Warm and soft"}},
               "price_cents": 4990, "sale_price_cents": 3990, "is_featured": true}),
    )
    .await;
    let lamp = product(
        s,
        token,
        json!({"sku": "LAMP", "title": "Lampe de bureau", "price_cents": 2500}),
    )
    .await;
    let teapot = product(
        s,
        token,
        json!({"sku": "TEAPOT", "title": "Théière cachée", "price_cents": 1500, "is_active": false}),
    )
    .await;
    (scarf, lamp, teapot)
}

#[tokio::test]
async fn the_same_shop_is_reached_by_path_subdomain_and_custom_domain_with_links_in_that_mode() {
    let s = TestServer::start().await;
    let (vendor, token) = open_shop(&s, "luxtech").await;
    let (scarf, lamp, _) = stock_the_shop(&s, &token).await;
    s.db.owner_conn()
        .batch_execute(&format!(
            "INSERT INTO vendor_domains (vendor_id, domain, verified_at) VALUES
               ({vendor}, 'shop.luxtech.lu', now()), ({vendor}, 'unverified.luxtech.lu', NULL)"
        ))
        .unwrap();

    // By path, on the platform's host.
    let (status, html) = page(&s, None, "/shop/luxtech/", &[]).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("<title>Vendor luxtech</title>"), "{html}");
    assert!(
        html.contains("Écharpe en laine"),
        "the featured scarf: {html}"
    );
    assert!(html.contains(&format!("href=\"/shop/luxtech/products/{scarf}\"")));
    assert!(html.contains(&format!("href=\"/shop/luxtech/products/{lamp}\"")));
    assert!(
        !html.contains("Théière"),
        "an inactive product is never shown"
    );

    // By subdomain and by the verified custom domain: links without the /shop prefix.
    for host in ["luxtech.wizamart.test", "shop.luxtech.lu"] {
        let (status, html) = page(&s, Some(host), "/", &[]).await;
        assert_eq!(status, 200, "{host}: {html}");
        assert!(
            html.contains(&format!("href=\"/products/{scarf}\"")),
            "{host}: {html}"
        );
        assert!(
            !html.contains("/shop/luxtech"),
            "{host} keeps its own links"
        );
        let (status, html) = page(&s, Some(host), &format!("/products/{lamp}"), &[]).await;
        assert_eq!(status, 200, "{host}");
        assert!(html.contains("Lampe de bureau"));
    }
    let (status, html) = page(&s, Some("luxtech.wizamart.test"), "/no/such/page", &[]).await;
    assert_eq!(status, 404);
    assert!(
        html.contains("Vendor luxtech") && html.contains("the address is wrong"),
        "the shop's own 404: {html}"
    );
    let (status, _) = page(&s, Some("unverified.luxtech.lu"), "/", &[]).await;
    assert_eq!(status, 404, "an unverified domain serves nothing");
    let (status, html) = page(&s, Some("luxtech.wizamart.test"), "/shop/luxtech/", &[]).await;
    assert_eq!(status, 404, "a vendor host serves no shop by path: {html}");
    let (status, html) = page(&s, None, "/shop/luxtech", &[]).await;
    assert!(
        status == 308 || status == 307 || status == 301,
        "{status} {html}"
    );
}

#[tokio::test]
async fn unknown_closed_and_foreign_shops_and_products_are_not_found() {
    let s = TestServer::start().await;
    let (alpha, alpha_token) = open_shop(&s, "alpha").await;
    let (_, beta_token) = open_shop(&s, "beta").await;
    let (_, _, teapot) = stock_the_shop(&s, &alpha_token).await;
    let beta_only = product(
        &s,
        &beta_token,
        json!({"sku": "B-1", "title": "Produit de Beta", "price_cents": 900}),
    )
    .await;

    for (host, path) in [
        (None, "/shop/nobody/"),
        (Some("nobody.wizamart.test"), "/"),
        (Some("elsewhere.example"), "/"),
        // Beta's product through alpha's shop, by path and by host.
        (None, &*format!("/shop/alpha/products/{beta_only}")),
        (
            Some("alpha.wizamart.test"),
            &*format!("/products/{beta_only}"),
        ),
        // Alpha's inactive product, a missing one, a nonsense id.
        (None, &*format!("/shop/alpha/products/{teapot}")),
        (None, "/shop/alpha/products/999999"),
        (None, "/shop/alpha/products/teapot"),
        // Alpha's host with beta's path cannot reach beta.
        (Some("alpha.wizamart.test"), "/shop/beta/"),
    ] {
        let (status, html) = page(&s, host, path, &[]).await;
        assert_eq!(status, 404, "{host:?} {path}: {html}");
        assert!(!html.contains("Produit de Beta"), "{host:?} {path}");
    }
    let (_, html) = page(&s, None, "/shop/alpha/products/999999", &[]).await;
    assert!(
        html.contains("not on sale here"),
        "the shop's own 404 page: {html}"
    );

    // A vendor the admin deactivates closes its shop at once (this server forgets the vendor it
    // had in its shop cache; see web/src/shop_cache.rs).
    let admin = s.admin_token().await;
    let (status, body) = s
        .put(
            &format!("/api/v1/admin/vendors/{alpha}/status"),
            Some(&admin),
            json!({"is_active": false}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, html) = page(&s, None, "/shop/alpha/", &[]).await;
    assert_eq!(status, 404);
    assert!(html.contains("Shop not found"), "{html}");
    let (status, _) = page(&s, Some("alpha.wizamart.test"), "/", &[]).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_product_page_speaks_the_visitors_language_and_tells_search_engines_about_itself() {
    let s = TestServer::start().await;
    let (_, token) = open_shop(&s, "gellefra").await;
    let (scarf, _, teapot) = stock_the_shop(&s, &token).await;
    let path = format!("/shop/gellefra/products/{scarf}");

    let (_, french) = page(&s, None, &path, &[]).await;
    assert!(
        french.contains("<h1 id=\"product-title\">Écharpe en laine</h1>"),
        "{french}"
    );
    assert!(
        french.contains("39,90 €") && french.contains("<s class=\"muted\">49,90 €</s>"),
        "{french}"
    );
    assert!(
        french.contains(
            "<meta property=\"og:title\" content=\"Écharpe en laine · Vendor gellefra\">"
        ),
        "{french}"
    );
    assert!(
        french.contains("<meta name=\"description\" content=\"Chaude &amp; douce\">"),
        "{french}"
    );
    assert!(
        french.contains("<link rel=\"canonical\" href=\"http://127.0.0.1:"),
        "{french}"
    );

    assert!(
        french.contains("<link rel=\"alternate\" hreflang=\"de\" href=\"http://127.0.0.1:")
            && french.contains(&format!("{path}?lang=de\">")),
        "{french}"
    );
    // Structured data for rich results; no product text can close its script element.
    assert!(
        french.contains("<script type=\"application/ld+json\">"),
        "{french}"
    );
    assert!(
        french.contains("\"@type\":\"Product\"")
            && french.contains("\"price\":\"39.90\"")
            && french.contains("https://schema.org/OutOfStock"),
        "{french}"
    );
    let sneaky = product(
        &s,
        &token,
        json!({"sku": "SNEAKY", "title": "Sneaky", "description": "</script><script>alert(1)</script>", "price_cents": 100}),
    )
    .await;
    let (_, html) = page(&s, None, &format!("/shop/gellefra/products/{sneaky}"), &[]).await;
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(
        html.contains("\\u003c/script>\\u003cscript>alert(1)"),
        "{html}"
    );
    let (_, german) = page(
        &s,
        None,
        &path,
        &[("Accept-Language", "de-LU,de;q=0.9,en;q=0.5")],
    )
    .await;
    assert!(german.contains("<html lang=\"de\">"), "{german}");
    assert!(german.contains("Wollschal"), "{german}");

    // A chosen language wins over the browser's, and is kept in a cookie.
    let response = s
        .client()
        .get(s.url(&format!("{path}?lang=en")))
        .header("Accept-Language", "de")
        .send()
        .await
        .unwrap();
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("wz_lang="))
        .expect("the language cookie");
    assert!(cookie.starts_with("wz_lang=en"), "{cookie}");
    let english = response.text().await.unwrap();
    assert!(
        english.contains("Wool scarf") && english.contains("€39.90"),
        "{english}"
    );
    let (_, again) = page(
        &s,
        None,
        &path,
        &[("Cookie", "wz_lang=en"), ("Accept-Language", "de")],
    )
    .await;
    assert!(again.contains("Wool scarf"), "{again}");

    // The sitemap lists the active products with absolute addresses of the way in; robots.txt
    // points at it on a shop's own host.
    let (status, xml) = page(&s, Some("gellefra.wizamart.test"), "/sitemap.xml", &[]).await;
    assert_eq!(status, 200);
    assert!(
        xml.contains(&format!(
            "<loc>http://gellefra.wizamart.test/products/{scarf}</loc>"
        )),
        "{xml}"
    );
    assert!(
        !xml.contains(&format!("/products/{teapot}<")),
        "no inactive product: {xml}"
    );
    assert_eq!(
        xml.matches("<url>").count(),
        5,
        "home, list, three active products: {xml}"
    );
    let (status, robots) = page(&s, Some("gellefra.wizamart.test"), "/robots.txt", &[]).await;
    assert_eq!(status, 200);
    assert!(
        robots.contains("Sitemap: http://gellefra.wizamart.test/sitemap.xml"),
        "{robots}"
    );
    let (_, by_path) = page(&s, None, "/shop/gellefra/sitemap.xml", &[]).await;
    assert!(
        by_path.contains(&format!("/shop/gellefra/products/{scarf}</loc>")),
        "{by_path}"
    );
}

#[tokio::test]
async fn the_product_list_searches_without_accents_filters_sorts_and_pages() {
    let s = TestServer::start().await;
    let (_, token) = open_shop(&s, "searchy").await;
    stock_the_shop(&s, &token).await;
    for i in 0..30 {
        product(
            &s,
            &token,
            json!({"sku": format!("MUG-{i}"), "title": format!("Tasse {i}"), "price_cents": 1000 + i}),
        )
        .await;
    }
    let (status, html) = page(&s, None, "/shop/searchy/products?q=echarpe", &[]).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Écharpe en laine") && !html.contains("Tasse"),
        "{html}"
    );
    assert!(
        html.contains("<p class=\"muted\" id=\"result-count\">1 product</p>"),
        "{html}"
    );

    let (_, first) = page(&s, None, "/shop/searchy/products?sort=price_asc", &[]).await;
    assert!(
        first.contains("Page 1 of 2"),
        "32 active products, 24 a page: {first}"
    );
    let tasse0 = first.find("Tasse 0").unwrap();
    let tasse1 = first.find("Tasse 1<").unwrap();
    assert!(tasse0 < tasse1, "cheapest first");
    assert!(
        first.contains("href=\"/shop/searchy/products?page=2&amp;sort=price_asc\""),
        "{first}"
    );
    let (_, second) = page(
        &s,
        None,
        "/shop/searchy/products?page=2&sort=price_asc",
        &[],
    )
    .await;
    assert!(
        second.contains("Page 2 of 2") && second.contains("Lampe de bureau"),
        "{second}"
    );

    let (_, in_stock) = page(&s, None, "/shop/searchy/products?in_stock=true", &[]).await;
    assert!(
        in_stock.contains("Nothing matches"),
        "no stock recorded yet: {in_stock}"
    );
    let (status, odd) = page(
        &s,
        None,
        "/shop/searchy/products?page=abc&sort=sideways&x=1",
        &[],
    )
    .await;
    assert_eq!(status, 200, "odd parameters are ignored: {odd}");
}

#[tokio::test]
async fn the_public_api_lists_only_active_products_of_an_open_shop() {
    let s = TestServer::start().await;
    let (_, alpha) = open_shop(&s, "alpha").await;
    let (_, beta) = open_shop(&s, "beta").await;
    let (scarf, lamp, teapot) = stock_the_shop(&s, &alpha).await;
    let beta_only = product(
        &s,
        &beta,
        json!({"sku": "B-1", "title": "Produit de Beta", "price_cents": 900}),
    )
    .await;

    let (status, shop) = s.get("/api/v1/public/vendors/alpha", None).await;
    assert_eq!(status, 200, "{shop}");
    assert_eq!(
        (shop["code"].as_str(), shop["name"].as_str()),
        (Some("alpha"), Some("Vendor alpha"))
    );

    let (status, page) = s
        .get(
            "/api/v1/public/vendors/alpha/products?sort=price_asc&lang=de",
            None,
        )
        .await;
    assert_eq!(status, 200, "{page}");
    let ids: Vec<i64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [lamp, scarf], "active only, cheapest first");
    assert_eq!(page["total"], 2);
    let scarf_view = &page["items"][1];
    assert_eq!(
        (
            scarf_view["language"].as_str(),
            scarf_view["title"].as_str()
        ),
        (Some("de"), Some("Wollschal"))
    );
    assert_eq!(scarf_view["available"], false);
    assert!(
        scarf_view.get("inventory").is_none() && scarf_view.get("version").is_none(),
        "{scarf_view}"
    );

    let (_, found) = s
        .get("/api/v1/public/vendors/alpha/products?q=echarpe", None)
        .await;
    assert_eq!(found["items"][0]["id"], scarf);

    let (status, one) = s
        .get(
            &format!("/api/v1/public/vendors/alpha/products/{scarf}?lang=en"),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(one["title"], "Wool scarf");
    for (path, code) in [
        (
            format!("/api/v1/public/vendors/alpha/products/{teapot}"),
            "PRODUCT_NOT_FOUND",
        ),
        (
            format!("/api/v1/public/vendors/alpha/products/{beta_only}"),
            "PRODUCT_NOT_FOUND",
        ),
        (
            "/api/v1/public/vendors/nobody/products".to_owned(),
            "VENDOR_NOT_FOUND",
        ),
        (
            "/api/v1/public/vendors/nobody".to_owned(),
            "VENDOR_NOT_FOUND",
        ),
    ] {
        let (status, body) = s.get(&path, None).await;
        e2e::assert_error(status, &body, 404, code);
    }
    let (status, body) = s
        .get("/api/v1/public/vendors/alpha/products?price=1", None)
        .await;
    assert_eq!(status, 422, "unknown parameters are refused: {body}");
}

#[tokio::test]
async fn a_vendor_sets_its_shops_theme_and_only_its_own() {
    let s = TestServer::start().await;
    let (_, alpha) = open_shop(&s, "alpha").await;
    let (_, beta) = open_shop(&s, "beta").await;
    stock_the_shop(&s, &alpha).await;
    let theme = json!({"primary_color": "#AA0000", "accent_color": "#00aa00", "font": "serif",
                       "logo_url": "https://cdn.alpha.lu/logo.png", "layout": "list"});
    let (status, saved) = s
        .put("/api/v1/vendor/settings/theme", Some(&alpha), theme)
        .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["primary_color"], "#aa0000");
    let (_, read) = s.get("/api/v1/vendor/settings/theme", Some(&alpha)).await;
    assert_eq!(read, saved);

    let (_, html) = page(&s, None, "/shop/alpha/products", &[]).await;
    assert!(
        html.contains("--primary: #aa0000;") && html.contains("--ok: #00aa00;"),
        "{html}"
    );
    assert!(
        html.contains("<img class=\"logo\" src=\"https://cdn.alpha.lu/logo.png\""),
        "{html}"
    );
    assert!(html.contains("<body class=\"shop layout-list\">"), "{html}");
    let (_, beta_page) = page(&s, None, "/shop/beta/", &[]).await;
    assert!(
        !beta_page.contains("#aa0000") && beta_page.contains("layout-grid"),
        "beta keeps its look"
    );

    let (status, body) = s
        .put(
            "/api/v1/vendor/settings/theme",
            Some(&beta),
            json!({"primary_color": "red", "logo_url": "javascript:alert(1)"}),
        )
        .await;
    e2e::assert_error(status, &body, 422, "VALIDATION_ERROR");
    assert!(
        body["fields"]["primary_color"].is_array() && body["fields"]["logo_url"].is_array(),
        "{body}"
    );
    let (status, _) = s
        .put("/api/v1/vendor/settings/theme", Some(&beta), json!({}))
        .await;
    assert_eq!(status, 200, "beta resets its own theme");
    let (_, still) = s.get("/api/v1/vendor/settings/theme", Some(&alpha)).await;
    assert_eq!(still["font"], "serif", "and alpha's stays");
    let audit: i64 = {
        use diesel::prelude::*;
        diesel::sql_query("SELECT count(*) AS n FROM audit_logs WHERE action = 'vendor.theme'")
            .get_result::<Count>(&mut s.db.owner_conn())
            .unwrap()
            .n
    };
    assert_eq!(audit, 2, "each change is audited");
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[tokio::test]
async fn an_uploaded_logo_is_checked_stored_and_shown_in_the_shop() {
    let s = TestServer::start().await;
    let (_, token) = open_shop(&s, "logos").await;
    let mut png = Vec::new();
    image::RgbImage::from_pixel(300, 120, image::Rgb([200, 30, 30]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let part = reqwest::multipart::Part::bytes(png).file_name("logo.png");
    let (status, theme) = s.upload("/api/v1/vendor/settings/logo", &token, part).await;
    assert_eq!(status, 200, "{theme}");
    let logo = theme["logo_url"].as_str().unwrap().to_owned();
    assert!(logo.starts_with("/media/"), "{logo}");
    let served = s.client().get(s.url(&logo)).send().await.unwrap();
    assert_eq!(served.status(), 200);
    assert!(
        served.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("image/")
    );
    let (_, html) = page(&s, None, "/shop/logos/", &[]).await;
    assert!(
        html.contains(&format!("<img class=\"logo\" src=\"{logo}\"")),
        "{html}"
    );

    let junk =
        reqwest::multipart::Part::bytes(b"not an image at all".to_vec()).file_name("logo.png");
    let (status, body) = s.upload("/api/v1/vendor/settings/logo", &token, junk).await;
    e2e::assert_error(status, &body, 422, "NOT_AN_IMAGE");
    let (_, kept) = s.get("/api/v1/vendor/settings/theme", Some(&token)).await;
    assert_eq!(kept["logo_url"], logo, "a refused upload changes nothing");
}
