//! The catalogue export over HTTP: the Letzshop feed layout, per language, streamed past one
//! page, formula-safe; another vendor's export holds none of A's products.

use diesel::connection::SimpleConnection;
use e2e::TestServer;
use serde_json::json;

/// The export's status, content type and rows (header first).
async fn export(s: &TestServer, token: &str, query: &str) -> (u16, String, Vec<Vec<String>>) {
    let response = s
        .client()
        .get(s.url(&format!("/api/v1/vendor/products/export{query}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let kind = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    let text = response.text().await.unwrap();
    let rows = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (status, kind, rows)
}

#[tokio::test]
async fn the_feed_has_letzshop_columns_prices_and_safe_cells_per_language() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (_, alpha) = s.vendor_with_owner(&admin, "alpha").await;
    let (_, beta) = s.vendor_with_owner(&admin, "beta").await;
    let (_, scarf) = s
        .post(
            "/api/v1/vendor/products",
            Some(&alpha),
            json!({"sku": "SCARF-1", "title": "Écharpe en laine", "description": "Chaude, douce",
                   "language": "fr", "price_cents": 1999, "sale_price_cents": 1499, "brand": "Gëlle Fra",
                   "gtin": "4006381333931", "translations": {"en": {"title": "Wool scarf", "description": "Warm"}}}),
        )
        .await;
    s.post(
        &format!("/api/v1/vendor/products/{}/images/remote", scarf["id"]),
        Some(&alpha),
        json!({"url": "https://images.letzshop.lu/scarf.jpg"}),
    )
    .await;
    s.post(
        "/api/v1/vendor/inventory",
        Some(&alpha),
        json!({"product_id": scarf["id"], "quantity": 3}),
    )
    .await;
    s.post(
        "/api/v1/vendor/products",
        Some(&alpha),
        json!({"sku": "EVIL-1", "title": "=HYPERLINK(\"http://evil\")", "price_cents": 5}),
    )
    .await;

    let (status, kind, rows) = export(&s, &alpha, "?language=en").await;
    assert_eq!((status, kind.as_str()), (200, "text/csv; charset=utf-8"));
    assert_eq!(
        rows[0],
        [
            "id",
            "title",
            "description",
            "link",
            "image_link",
            "additional_image_link",
            "availability",
            "price",
            "sale_price",
            "brand",
            "gtin",
            "condition"
        ]
    );
    let scarf_row = rows.iter().find(|r| r[0] == "SCARF-1").unwrap();
    assert_eq!(&scarf_row[1..3], ["Wool scarf", "Warm"]);
    assert!(
        scarf_row[3].ends_with(&format!("/shop/alpha/products/{}", scarf["id"])),
        "{scarf_row:?}"
    );
    assert_eq!(
        &scarf_row[4..],
        [
            "https://images.letzshop.lu/scarf.jpg",
            "",
            "in stock",
            "19.99 EUR",
            "14.99 EUR",
            "Gëlle Fra",
            "4006381333931",
            "new"
        ]
    );
    let evil = rows.iter().find(|r| r[0] == "EVIL-1").unwrap();
    assert_eq!(
        evil[1], "'=HYPERLINK(\"http://evil\")",
        "a formula stays text"
    );
    assert_eq!(
        (evil[6].as_str(), evil[7].as_str()),
        ("out of stock", "0.05 EUR")
    );

    let (_, _, french) = export(&s, &alpha, "?language=fr").await;
    let scarf_fr = french.iter().find(|r| r[0] == "SCARF-1").unwrap();
    assert_eq!(&scarf_fr[1..3], ["Écharpe en laine", "Chaude, douce"]);

    let (status, _, theirs) = export(&s, &beta, "").await;
    assert_eq!(
        (status, theirs.len()),
        (200, 1),
        "only a header: {theirs:?}"
    );
}

#[tokio::test]
async fn a_large_catalogue_streams_every_product_once_in_order() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (vendor, owner) = s.vendor_with_owner(&admin, "alpha").await;
    s.db.owner_conn()
        .batch_execute(&format!(
            "INSERT INTO products (vendor_id, sku, price_cents)
               SELECT {vendor}, 'GEN-' || n, n FROM generate_series(1, 1203) AS n;
             INSERT INTO product_translations (vendor_id, product_id, language, title)
               SELECT vendor_id, id, 'fr', 'Produit ' || sku FROM products WHERE vendor_id = {vendor};"
        ))
        .unwrap();
    let (status, _, rows) = export(&s, &owner, "").await;
    assert_eq!(status, 200);
    let skus: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    let expected: Vec<String> = (1..=1203).map(|n| format!("GEN-{n}")).collect();
    assert_eq!(
        skus, expected,
        "every product once, in creation order, across pages"
    );
    assert_eq!(rows[1203][1], "Produit GEN-1203");
}
