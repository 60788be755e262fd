//! Letzshop imports over HTTP, run by the server's own job workers: uploads and addresses in
//! three languages, re-imports, bad rows reported by line, files that are not feeds, private
//! addresses refused, and the wall between vendors.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use e2e::{Options, TestServer, assert_error};
use reqwest::multipart::Part;
use serde_json::{Value, json};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/letzshop");

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DATA}/{name}")).unwrap()
}

async fn upload(
    s: &TestServer,
    token: &str,
    language: &str,
    name: &str,
    data: Vec<u8>,
) -> (u16, Value) {
    let path = format!("/api/v1/vendor/marketplace/import/upload?language={language}");
    s.upload(&path, token, Part::bytes(data).file_name(name.to_owned()))
        .await
}

/// Posts a whole multipart form to the French upload route.
async fn upload_form(s: &TestServer, token: &str, form: reqwest::multipart::Form) -> (u16, Value) {
    let response = s
        .client()
        .post(s.url("/api/v1/vendor/marketplace/import/upload?language=fr"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    e2e::answer(response).await
}

/// A new vendor and its owner's token.
async fn owner(s: &TestServer, code: &str) -> (i64, String) {
    let admin = s.admin_token().await;
    s.vendor_with_owner(&admin, code).await
}

/// The import once it has ended (the workers poll every 50 ms).
async fn finished(s: &TestServer, token: &str, id: i64) -> Value {
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        let (status, import) = s
            .get(
                &format!("/api/v1/vendor/marketplace/jobs/{id}"),
                Some(token),
            )
            .await;
        assert_eq!(status, 200, "{import}");
        let state = import["status"].as_str().unwrap();
        if !matches!(state, "pending" | "processing") {
            return import;
        }
        assert!(Instant::now() < until, "import {id} still {state}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn import_upload(
    s: &TestServer,
    token: &str,
    language: &str,
    name: &str,
    data: Vec<u8>,
) -> Value {
    let (status, started) = upload(s, token, language, name, data).await;
    assert_eq!(status, 202, "{started}");
    assert_eq!(started["status"], "pending");
    assert_eq!(started["source"], name);
    finished(s, token, started["id"].as_i64().unwrap()).await
}

fn counts(import: &Value) -> (i64, i64, i64, i64, i64) {
    let n = |k: &str| import[k].as_i64().unwrap();
    (
        n("total_rows"),
        n("created_count"),
        n("updated_count"),
        n("unchanged_count"),
        n("error_count"),
    )
}

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn count(s: &TestServer, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<N>(&mut s.db.owner_conn())
        .unwrap()
        .n
}

#[tokio::test]
async fn three_uploaded_languages_stage_250_products_and_a_reimport_changes_nothing() {
    let s = TestServer::start().await;
    let (vendor, token) = owner(&s, "luxtech").await;

    let fr = import_upload(
        &s,
        &token,
        "fr",
        "luxtech_fr.csv",
        sample("clean/luxtech_fr.csv"),
    )
    .await;
    assert_eq!(fr["status"], "completed", "{fr}");
    assert_eq!(counts(&fr), (250, 250, 0, 0, 0));
    assert_eq!(fr["language"], "fr");
    assert!(fr["started_at"].is_string() && fr["finished_at"].is_string());
    for language in ["de", "en"] {
        let name = format!("luxtech_{language}.csv");
        let done = import_upload(
            &s,
            &token,
            language,
            &name,
            sample(&format!("clean/{name}")),
        )
        .await;
        assert_eq!(
            counts(&done),
            (250, 0, 250, 0, 0),
            "{language}: each product gains a text"
        );
    }
    assert_eq!(
        count(
            &s,
            &format!("SELECT count(*) AS n FROM marketplace_products WHERE vendor_id = {vendor}")
        ),
        250
    );
    assert_eq!(
        count(
            &s,
            &format!(
                "SELECT count(*) AS n FROM marketplace_product_translations WHERE vendor_id = {vendor}"
            )
        ),
        750
    );

    let again = import_upload(
        &s,
        &token,
        "fr",
        "luxtech_fr.csv",
        sample("clean/luxtech_fr.csv"),
    )
    .await;
    assert_eq!(counts(&again), (250, 0, 0, 250, 0));
    let repriced = String::from_utf8(sample("clean/luxtech_fr.csv"))
        .unwrap()
        .replacen("49.46 EUR", "51.00 EUR", 1);
    let changed = import_upload(&s, &token, "fr", "luxtech_fr.csv", repriced.into_bytes()).await;
    assert_eq!(
        counts(&changed),
        (250, 0, 1, 249, 0),
        "exactly the repriced product"
    );

    let (status, list) = s
        .get("/api/v1/vendor/marketplace/jobs?per_page=2", Some(&token))
        .await;
    assert_eq!(status, 200);
    assert_eq!(list["total"], 5);
    assert_eq!(list["items"][0]["id"], changed["id"], "newest first");
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    assert_eq!(
        count(
            &s,
            "SELECT count(*) AS n FROM jobs WHERE status = 'succeeded' AND kind = 'marketplace.import'"
        ),
        5,
        "each import ran as one job"
    );
}

#[tokio::test]
async fn the_messy_feed_imports_its_good_rows_and_reports_each_bad_one_by_line() {
    let s = TestServer::start().await;
    let (_, token) = owner(&s, "gellefra").await;
    let done = import_upload(
        &s,
        &token,
        "de",
        "gellefra_de.csv",
        sample("messy/gellefra_de.csv"),
    )
    .await;
    assert_eq!(done["status"], "completed_with_errors");
    assert_eq!(counts(&done), (120, 109, 0, 0, 11));
    let id = done["id"].as_i64().unwrap();
    let (status, errors) = s
        .get(
            &format!("/api/v1/vendor/marketplace/jobs/{id}/errors?per_page=100"),
            Some(&token),
        )
        .await;
    assert_eq!(status, 200);
    let rows: Vec<(i64, String)> = errors["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row_number"].as_i64().unwrap(),
                e["column"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let expected = [
        (14, "availability"),
        (18, "title"),
        (37, "title"),
        (41, "availability"),
        (44, "price"),
        (46, "id"),
        (50, "availability"),
        (68, "image_link"),
        (85, "id"),
        (89, "availability"),
        (100, "image_link"),
    ];
    assert_eq!(rows, expected.map(|(r, c)| (r, c.to_owned())));
    let unknown = &errors["items"][0];
    assert!(
        unknown["message"]
            .as_str()
            .unwrap()
            .contains("maybe tomorrow"),
        "{unknown}"
    );
    assert!(
        unknown["raw"].as_str().unwrap().starts_with("LS-"),
        "{unknown}"
    );
}

#[tokio::test]
async fn a_file_that_is_not_a_feed_fails_its_import_with_the_reason() {
    let s = TestServer::start().await;
    let (_, token) = owner(&s, "pictures").await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let failed = import_upload(&s, &token, "fr", "photo.png", png).await;
    assert_eq!(failed["status"], "failed");
    assert!(
        failed["failure"].as_str().unwrap().contains("not text"),
        "{failed}"
    );
    let html = import_upload(
        &s,
        &token,
        "fr",
        "login.html",
        b"<!DOCTYPE html><title>Sign in</title>".to_vec(),
    )
    .await;
    assert!(html["failure"].as_str().unwrap().contains("HTML"), "{html}");
    let stray = import_upload(&s, &token, "fr", "prices.csv", b"sku;cost\nA;1\n".to_vec()).await;
    assert!(
        stray["failure"]
            .as_str()
            .unwrap()
            .contains("no id, title, price column"),
        "{stray}"
    );
    assert_eq!(
        count(&s, "SELECT count(*) AS n FROM jobs WHERE status = 'failed'"),
        3,
        "a file that is no feed is not retried"
    );

    // Administrators see the failed jobs with their reasons; vendors cannot list jobs.
    let admin = s.admin_token().await;
    let (status, jobs) = s
        .get(
            "/api/v1/admin/jobs?status=failed&kind=marketplace.import",
            Some(&admin),
        )
        .await;
    assert_eq!(status, 200, "{jobs}");
    assert_eq!(jobs["total"], 3);
    let newest = &jobs["items"][0];
    assert_eq!(newest["vendor_code"], "pictures");
    assert_eq!(newest["attempts"], 1);
    assert!(
        newest["last_error"]
            .as_str()
            .unwrap()
            .contains("no id, title, price column"),
        "{newest}"
    );
    let (_, none) = s
        .get("/api/v1/admin/jobs?status=running", Some(&admin))
        .await;
    assert_eq!(none["total"], 0);
    let (status, body) = s.get("/api/v1/admin/jobs", Some(&token)).await;
    assert_error(status, &body, 401, "TOKEN_INVALID");
    let (status, body) = s
        .get("/api/v1/admin/jobs?kind=Not%20A%20Kind", Some(&admin))
        .await;
    assert_eq!(status, 422, "{body}");
}

#[tokio::test]
async fn an_upload_without_a_file_or_language_is_refused_at_once() {
    let s = TestServer::start().await;
    let (_, token) = owner(&s, "careless").await;
    let (status, body) = s
        .upload(
            "/api/v1/vendor/marketplace/import/upload",
            &token,
            Part::bytes(b"id".to_vec()),
        )
        .await;
    assert_error(status, &body, 422, "INVALID_QUERY");
    let form = reqwest::multipart::Form::new().text("note", "no file here");
    let (status, body) = upload_form(&s, &token, form).await;
    assert_error(status, &body, 422, "INVALID_UPLOAD");
    // A part besides the file, after it: refused, and the stored file removed.
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            Part::bytes(sample("clean/luxtech_fr.csv")).file_name("f.csv"),
        )
        .text("note", "and a note");
    let (status, body) = upload_form(&s, &token, form).await;
    assert_error(status, &body, 422, "INVALID_UPLOAD");
    assert!(
        body["detail"].as_str().unwrap().contains("'note'"),
        "{body}"
    );
    let (status, body) = s
        .post(
            "/api/v1/vendor/marketplace/import",
            Some(&token),
            json!({"source_url": "ftp://x.lu/f.csv", "language": "fr"}),
        )
        .await;
    assert_error(status, &body, 422, "VALIDATION_ERROR");
    assert_eq!(
        count(&s, "SELECT count(*) AS n FROM marketplace_imports"),
        0
    );
}

/// Serves `body` at any path for `times` requests, on loopback.
fn feed_server(body: Vec<u8>, times: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(times) {
            let mut stream = stream.unwrap();
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    format!("http://{addr}/feeds/luxtech_en.csv")
}

#[tokio::test]
async fn an_address_is_fetched_by_the_job() {
    let s = TestServer::start().await;
    let (_, token) = owner(&s, "remote").await;
    let url = feed_server(sample("clean/luxtech_en.csv"), 1);
    let (status, started) = s
        .post(
            "/api/v1/vendor/marketplace/import",
            Some(&token),
            json!({"source_url": url, "language": "en"}),
        )
        .await;
    assert_eq!(status, 202, "{started}");
    assert_eq!(
        (started["source_kind"].as_str(), started["source"].as_str()),
        (Some("url"), Some(url.as_str()))
    );
    let done = finished(&s, &token, started["id"].as_i64().unwrap()).await;
    assert_eq!(counts(&done), (250, 250, 0, 0, 0), "{done}");
}

#[tokio::test]
async fn a_private_address_is_refused_when_private_addresses_are_not_allowed() {
    let s = TestServer::start_with(Options {
        allow_private_urls: false,
        ..Options::default()
    })
    .await;
    let (_, token) = owner(&s, "sneaky").await;
    let url = feed_server(sample("clean/luxtech_en.csv"), 1);
    let (_, started) = s
        .post(
            "/api/v1/vendor/marketplace/import",
            Some(&token),
            json!({"source_url": url, "language": "en"}),
        )
        .await;
    let failed = finished(&s, &token, started["id"].as_i64().unwrap()).await;
    assert_eq!(failed["status"], "failed");
    assert!(
        failed["failure"]
            .as_str()
            .unwrap()
            .contains("private network"),
        "{failed}"
    );
    assert_eq!(failed["processed_rows"], 0);
}

#[tokio::test]
async fn another_vendor_can_neither_see_nor_cancel_an_import() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (_, alpha) = s.vendor_with_owner(&admin, "alpha").await;
    let (_, beta) = s.vendor_with_owner(&admin, "beta").await;
    let done = import_upload(
        &s,
        &alpha,
        "fr",
        "gellefra_fr.csv",
        sample("messy/gellefra_fr.csv"),
    )
    .await;
    let id = done["id"].as_i64().unwrap();
    for path in [
        format!("/api/v1/vendor/marketplace/jobs/{id}"),
        format!("/api/v1/vendor/marketplace/jobs/{id}/errors"),
    ] {
        let (status, body) = s.get(&path, Some(&beta)).await;
        assert_error(status, &body, 404, "IMPORT_NOT_FOUND");
    }
    let (status, body) = s
        .post(
            &format!("/api/v1/vendor/marketplace/jobs/{id}/cancel"),
            Some(&beta),
            json!({}),
        )
        .await;
    assert_error(status, &body, 404, "IMPORT_NOT_FOUND");
    let (_, list) = s.get("/api/v1/vendor/marketplace/jobs", Some(&beta)).await;
    assert_eq!(list["total"], 0);
    // And A's import is as it was; cancelling an ended import answers it unchanged.
    let (status, still) = s
        .post(
            &format!("/api/v1/vendor/marketplace/jobs/{id}/cancel"),
            Some(&alpha),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(still["status"], "completed_with_errors");
    assert_eq!(still["error_count"], 13);
}

/// A vendor with the three clean feeds imported; answers its token.
async fn imported(s: &TestServer, code: &str) -> String {
    let (_, token) = owner(s, code).await;
    for language in ["fr", "de", "en"] {
        let name = format!("luxtech_{language}.csv");
        let done =
            import_upload(s, &token, language, &name, sample(&format!("clean/{name}"))).await;
        assert_eq!(done["status"], "completed", "{done}");
    }
    token
}

async fn staged_id(s: &TestServer, token: &str, external_id: &str) -> i64 {
    let (status, page) = s
        .get(
            &format!("/api/v1/vendor/marketplace/products?q={external_id}"),
            Some(token),
        )
        .await;
    assert_eq!(status, 200, "{page}");
    let found = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["external_id"] == external_id);
    found.expect("staged")["id"].as_i64().unwrap()
}

/// Publishes staged products: the answer's status and body.
async fn publish(s: &TestServer, token: &str, body: Value) -> (u16, Value) {
    s.post(
        "/api/v1/vendor/marketplace/products/publish",
        Some(token),
        body,
    )
    .await
}

#[tokio::test]
async fn staged_products_are_browsed_with_their_texts_and_filters() {
    let s = TestServer::start().await;
    let token = imported(&s, "browse").await;
    let (status, page) = s
        .get(
            "/api/v1/vendor/marketplace/products?per_page=3",
            Some(&token),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(page["total"], 250);
    let first = &page["items"][0];
    assert_eq!(first["external_id"], "LS-0000000", "feed-id order");
    assert_eq!(first["price_cents"], 4946);
    assert_eq!(first["availability"], "in_stock");
    let languages: Vec<&str> = first["translations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["language"].as_str().unwrap())
        .collect();
    assert_eq!(languages, ["de", "en", "fr"]);
    assert!(
        first["translations"][0].get("raw").is_none(),
        "raw rows only on the product's own page"
    );

    let (_, candles) = s
        .get(
            "/api/v1/vendor/marketplace/products?q=bougie&per_page=100",
            Some(&token),
        )
        .await;
    let total = candles["total"].as_i64().unwrap();
    assert!(total > 0 && total < 250, "{total}");
    assert!(candles["items"].as_array().unwrap().iter().all(|p| {
        p["translations"].as_array().unwrap().iter().any(|t| {
            t["title"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("bougie")
        })
    }));
    let (_, preorders) = s
        .get(
            "/api/v1/vendor/marketplace/products?availability=preorder&per_page=100",
            Some(&token),
        )
        .await;
    assert!(preorders["total"].as_i64().unwrap() > 0);
    assert!(
        preorders["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["availability"] == "preorder")
    );
    let (_, unpublished) = s
        .get(
            "/api/v1/vendor/marketplace/products?published=false&language=de",
            Some(&token),
        )
        .await;
    assert_eq!(unpublished["total"], 250);

    let id = first["id"].as_i64().unwrap();
    let (status, one) = s
        .get(
            &format!("/api/v1/vendor/marketplace/products/{id}"),
            Some(&token),
        )
        .await;
    assert_eq!(status, 200);
    let fr = one["translations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["language"] == "fr")
        .unwrap();
    assert_eq!(
        fr["raw"]["shipping_weight"], "525 g",
        "the feed's extra columns are kept"
    );
}

#[tokio::test]
async fn publishing_creates_catalogue_products_with_texts_images_and_overrides() {
    let s = TestServer::start().await;
    let token = imported(&s, "publisher").await;
    let candle = staged_id(&s, &token, "LS-0000000").await;
    let scarf = staged_id(&s, &token, "LS-0000001").await;
    // Several bad changes: one clear refusal, nothing published.
    let bad = json!({"ids": [candle, scarf], "overrides": {candle.to_string(): {"sku": ""}, scarf.to_string(): {"title": ""}}});
    let (status, refused) = publish(&s, &token, bad).await;
    assert_error(status, &refused, 422, "VALIDATION_ERROR");
    assert!(
        refused["fields"]
            .as_object()
            .is_some_and(|f| f.keys().any(|k| k.starts_with("overrides"))),
        "{refused}"
    );
    let body = json!({"ids": [candle, scarf], "overrides": {candle.to_string(): {"price_cents": 1990, "title": "Ma bougie"}}});
    let (status, result) = publish(&s, &token, body.clone()).await;
    assert_eq!(status, 200, "{result}");
    assert_eq!(result["published"].as_array().unwrap().len(), 2, "{result}");
    assert!(result["failed"].as_array().unwrap().is_empty());
    let product_id = result["published"][0]["product_id"].as_i64().unwrap();
    let (_, product) = s
        .get(
            &format!("/api/v1/vendor/products/{product_id}"),
            Some(&token),
        )
        .await;
    assert_eq!(product["sku"], "LS-0000000");
    assert_eq!(product["price_cents"], 1990, "the override");
    assert_eq!(product["title"], "Ma bougie");
    assert_eq!(product["brand"], "Gëlle Fra");
    assert_eq!(product["translations"].as_array().unwrap().len(), 3);
    let scarf_product = result["published"][1]["product_id"].as_i64().unwrap();
    let (_, images) = s
        .get(
            &format!("/api/v1/vendor/products/{scarf_product}/images"),
            Some(&token),
        )
        .await;
    assert_eq!(
        images.as_array().unwrap().len(),
        4,
        "image_link and three additional images: {images}"
    );

    let (_, again) = publish(&s, &token, body).await;
    assert_eq!(again["already_published"], json!([candle, scarf]));
    assert!(again["published"].as_array().unwrap().is_empty());
    let (_, published) = s
        .get(
            "/api/v1/vendor/marketplace/products?published=true",
            Some(&token),
        )
        .await;
    assert_eq!(published["total"], 2);
    assert_eq!(published["items"][0]["product_id"], product_id);
}

#[tokio::test]
async fn a_taken_sku_fails_that_product_only_and_another_sku_publishes_it() {
    let s = TestServer::start().await;
    let token = imported(&s, "clash").await;
    let (status, _) = s
        .post(
            "/api/v1/vendor/products",
            Some(&token),
            json!({"sku": "LS-0000002", "title": "Mine", "price_cents": 100}),
        )
        .await;
    assert_eq!(status, 201);
    let taken = staged_id(&s, &token, "LS-0000002").await;
    let free = staged_id(&s, &token, "LS-0000003").await;
    let (_, result) = publish(&s, &token, json!({"ids": [taken, free]})).await;
    assert_eq!(result["published"].as_array().unwrap().len(), 1);
    assert_eq!(result["failed"][0]["id"], taken);
    assert!(
        result["failed"][0]["error"]
            .as_str()
            .unwrap()
            .contains("LS-0000002"),
        "{result}"
    );
    let body = json!({"ids": [taken], "overrides": {taken.to_string(): {"sku": "LS-0000002-B"}}});
    let (_, retried) = publish(&s, &token, body).await;
    assert_eq!(retried["published"][0]["id"], taken, "{retried}");
    let (status, body) = publish(&s, &token, json!({"ids": []})).await;
    assert_error(status, &body, 422, "VALIDATION_ERROR");
}

#[tokio::test]
async fn another_vendor_can_neither_see_nor_publish_staged_products() {
    let s = TestServer::start().await;
    let alpha = imported(&s, "alpha").await;
    let (_, beta) = owner(&s, "beta").await;
    let id = staged_id(&s, &alpha, "LS-0000000").await;
    let (status, body) = s
        .get(
            &format!("/api/v1/vendor/marketplace/products/{id}"),
            Some(&beta),
        )
        .await;
    assert_error(status, &body, 404, "STAGED_PRODUCT_NOT_FOUND");
    let (_, list) = s
        .get("/api/v1/vendor/marketplace/products", Some(&beta))
        .await;
    assert_eq!(list["total"], 0);
    let (status, result) = publish(&s, &beta, json!({"ids": [id]})).await;
    assert_eq!(status, 200);
    assert_eq!(result["failed"][0]["error"], "no such staged product");
    let (_, still) = s
        .get(
            &format!("/api/v1/vendor/marketplace/products/{id}"),
            Some(&alpha),
        )
        .await;
    assert_eq!(
        still["product_id"],
        Value::Null,
        "A's product stays unpublished"
    );
}

#[tokio::test]
async fn a_reimport_updates_published_products_except_what_the_vendor_changed() {
    let s = TestServer::start().await;
    let token = imported(&s, "resync").await;
    let candle = staged_id(&s, &token, "LS-0000000").await;
    let scarf = staged_id(&s, &token, "LS-0000001").await;
    let shirt = staged_id(&s, &token, "LS-0000002").await;
    let body = json!({"ids": [candle, scarf, shirt], "overrides": {shirt.to_string(): {"price_cents": 777}}});
    let (_, result) = publish(&s, &token, body).await;
    let product = |i: usize| result["published"][i]["product_id"].as_i64().unwrap();
    let (candle_p, scarf_p, shirt_p) = (product(0), product(1), product(2));
    // The vendor retitles the scarf in French in the catalogue.
    let (_, scarf_now) = s
        .get(&format!("/api/v1/vendor/products/{scarf_p}"), Some(&token))
        .await;
    let (status, edited) = s
        .put(
            &format!("/api/v1/vendor/products/{scarf_p}"),
            Some(&token),
            json!({"version": scarf_now["version"], "language": "fr", "title": "Mon écharpe"}),
        )
        .await;
    assert_eq!(status, 200, "{edited}");

    // The feed changes the candle's price, the scarf's price and French title, the shirt's price.
    let feed = String::from_utf8(sample("clean/luxtech_fr.csv")).unwrap();
    let feed = feed
        .replacen("49.46 EUR", "51.00 EUR", 1)
        .replacen("363.12 EUR", "370.00 EUR", 1)
        .replacen(
            "Fait main Écharpe Moselle & Co",
            "Écharpe tissée Moselle & Co",
            1,
        )
        .replacen("89.26 EUR", "95.00 EUR", 1);
    let done = import_upload(&s, &token, "fr", "luxtech_fr.csv", feed.into_bytes()).await;
    assert_eq!(counts(&done), (250, 0, 3, 247, 0));

    let get = |id: i64| {
        let s = &s;
        let token = &token;
        async move {
            s.get(&format!("/api/v1/vendor/products/{id}"), Some(token))
                .await
                .1
        }
    };
    let candle_now = get(candle_p).await;
    assert_eq!(
        candle_now["price_cents"], 5100,
        "the feed's new price reaches the product"
    );
    let scarf_now = get(scarf_p).await;
    assert_eq!(
        scarf_now["price_cents"], 37000,
        "an untouched field follows the feed"
    );
    let fr = scarf_now["translations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["language"] == "fr")
        .unwrap()
        .clone();
    assert_eq!(fr["title"], "Mon écharpe", "the vendor's title is kept");
    let shirt_now = get(shirt_p).await;
    assert_eq!(
        shirt_now["price_cents"], 777,
        "the price given when publishing is kept"
    );

    // Still overridden on the next import: the scarf's title does not come back.
    let again = String::from_utf8(sample("clean/luxtech_fr.csv")).unwrap();
    import_upload(&s, &token, "fr", "luxtech_fr.csv", again.into_bytes()).await;
    let scarf_later = get(scarf_p).await;
    let fr = scarf_later["translations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["language"] == "fr")
        .unwrap()
        .clone();
    assert_eq!(fr["title"], "Mon écharpe");
    assert_eq!(
        scarf_later["price_cents"], 36312,
        "and prices keep following"
    );

    // The staged products say which fields the vendor overrode.
    let overridden = |id: i64| {
        let s = &s;
        let token = &token;
        async move {
            let (status, staged) = s
                .get(
                    &format!("/api/v1/vendor/marketplace/products/{id}"),
                    Some(token),
                )
                .await;
            assert_eq!(status, 200, "{staged}");
            staged["overridden"].clone()
        }
    };
    assert_eq!(overridden(scarf).await, json!(["title"]));
    assert_eq!(overridden(shirt).await, json!(["price"]));
    assert_eq!(overridden(candle).await, json!([]));

    // Resetting the scarf's title brings the feed's back, and the field follows the feed again.
    let (status, reset) = s
        .post(
            &format!("/api/v1/vendor/marketplace/products/{scarf}/reset"),
            Some(&token),
            json!({"fields": ["title"]}),
        )
        .await;
    assert_eq!(status, 200, "{reset}");
    assert_eq!(reset["overridden"], json!([]));
    let title_fr = |product: &Value| {
        product["translations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["language"] == "fr")
            .unwrap()["title"]
            .clone()
    };
    assert_eq!(
        title_fr(&get(scarf_p).await),
        "Fait main Écharpe Moselle & Co"
    );
    let feed = String::from_utf8(sample("clean/luxtech_fr.csv"))
        .unwrap()
        .replacen(
            "Fait main Écharpe Moselle & Co",
            "Écharpe tissée Moselle & Co",
            1,
        );
    import_upload(&s, &token, "fr", "luxtech_fr.csv", feed.into_bytes()).await;
    assert_eq!(title_fr(&get(scarf_p).await), "Écharpe tissée Moselle & Co");

    // Every field at once: the shirt's price is the feed's again.
    let (status, reset) = s
        .post(
            &format!("/api/v1/vendor/marketplace/products/{shirt}/reset"),
            Some(&token),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{reset}");
    assert_eq!(get(shirt_p).await["price_cents"], 8926);

    // Not published: nothing to reset. Another vendor: no such staged product.
    let unpublished = staged_id(&s, &token, "LS-0000003").await;
    let (status, body) = s
        .post(
            &format!("/api/v1/vendor/marketplace/products/{unpublished}/reset"),
            Some(&token),
            json!({}),
        )
        .await;
    assert_error(status, &body, 409, "NOT_PUBLISHED");
    let (_, other) = owner(&s, "other").await;
    let (status, body) = s
        .post(
            &format!("/api/v1/vendor/marketplace/products/{scarf}/reset"),
            Some(&other),
            json!({}),
        )
        .await;
    assert_error(status, &body, 404, "STAGED_PRODUCT_NOT_FOUND");
    let (status, body) = s
        .post(
            &format!("/api/v1/vendor/marketplace/products/{scarf}/reset"),
            Some(&token),
            json!({"fields": ["colour"]}),
        )
        .await;
    assert_error(status, &body, 422, "INVALID_JSON");
    let (status, body) = s
        .post(
            &format!("/api/v1/vendor/marketplace/products/{scarf}/reset"),
            Some(&token),
            json!({"fields": []}),
        )
        .await;
    assert_error(status, &body, 422, "VALIDATION_ERROR");
}

#[tokio::test]
async fn publishing_with_first_stock_records_units_for_what_the_feed_has_in_stock() {
    let s = TestServer::start().await;
    let token = imported(&s, "stocked").await;
    let in_stock = staged_id(&s, &token, "LS-0000000").await;
    let preorder = staged_id(&s, &token, "LS-0000001").await;
    let sold_out = staged_id(&s, &token, "LS-0000007").await;
    let (status, result) = publish(
        &s,
        &token,
        json!({"ids": [in_stock, preorder, sold_out], "initial_stock": 12}),
    )
    .await;
    assert_eq!(status, 200, "{result}");
    let published = result["published"].as_array().unwrap();
    assert_eq!(published.len(), 3, "{result}");
    let mut available = Vec::new();
    for p in published {
        let (_, product) = s
            .get(
                &format!("/api/v1/vendor/products/{}", p["product_id"]),
                Some(&token),
            )
            .await;
        available.push(product["inventory"]["available"].as_i64().unwrap());
    }
    assert_eq!(available, [12, 0, 0]);
    let (_, moves) = s
        .get("/api/v1/vendor/inventory/movements", Some(&token))
        .await;
    assert_eq!(
        moves["total"], 1,
        "one movement, for the one product in stock: {moves}"
    );
    assert_eq!(moves["items"][0]["quantity_delta"], 12);

    let (status, body) = publish(&s, &token, json!({"ids": [in_stock], "initial_stock": -1})).await;
    assert_error(status, &body, 422, "VALIDATION_ERROR");
}

#[tokio::test]
async fn the_configured_feed_addresses_are_imported_all_at_once() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (_, token) = s.vendor_with_owner(&admin, "configured").await;
    let (_, other) = s.vendor_with_owner(&admin, "unconfigured").await;
    let (status, empty) = s
        .get("/api/v1/vendor/marketplace/config", Some(&token))
        .await;
    assert_eq!(status, 200);
    assert_eq!(empty["csv_urls"]["fr"], Value::Null);
    let (status, body) = s
        .post(
            "/api/v1/vendor/marketplace/import-all",
            Some(&token),
            json!({}),
        )
        .await;
    assert_error(status, &body, 409, "NO_FEED_CONFIGURED");

    let (status, body) = s
        .put(
            "/api/v1/vendor/marketplace/config",
            Some(&token),
            json!({"csv_urls": {"fr": "not an address"}}),
        )
        .await;
    assert_error(status, &body, 422, "VALIDATION_ERROR");
    let fr = feed_server(sample("clean/luxtech_fr.csv"), 1);
    let de = feed_server(sample("clean/luxtech_de.csv"), 1);
    let config = json!({"csv_urls": {"fr": fr, "de": de}});
    let (status, saved) = s
        .put("/api/v1/vendor/marketplace/config", Some(&token), config)
        .await;
    assert_eq!(status, 200, "{saved}");
    let (_, read) = s
        .get("/api/v1/vendor/marketplace/config", Some(&token))
        .await;
    assert_eq!(read["csv_urls"]["de"], de.as_str());
    assert_eq!(read["csv_urls"]["en"], Value::Null);
    let (_, theirs) = s
        .get("/api/v1/vendor/marketplace/config", Some(&other))
        .await;
    assert_eq!(
        theirs["csv_urls"]["fr"],
        Value::Null,
        "another vendor's settings are its own"
    );

    let (status, started) = s
        .post(
            "/api/v1/vendor/marketplace/import-all",
            Some(&token),
            json!({}),
        )
        .await;
    assert_eq!(status, 202, "{started}");
    let started = started.as_array().unwrap().clone();
    assert_eq!(started.len(), 2);
    for import in &started {
        let done = finished(&s, &token, import["id"].as_i64().unwrap()).await;
        assert_eq!(done["status"], "completed", "{done}");
    }
    let (_, staged) = s
        .get(
            "/api/v1/vendor/marketplace/products?per_page=1",
            Some(&token),
        )
        .await;
    assert_eq!(staged["total"], 250);
    assert_eq!(
        staged["items"][0]["translations"].as_array().unwrap().len(),
        2
    );
}

#[tokio::test]
async fn admins_list_every_vendors_imports_and_vendors_cannot() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (alpha_id, alpha) = s.vendor_with_owner(&admin, "alpha").await;
    let (_, beta) = s.vendor_with_owner(&admin, "beta").await;
    import_upload(&s, &alpha, "fr", "a.csv", sample("clean/luxtech_fr.csv")).await;
    import_upload(&s, &beta, "fr", "b.csv", b"<html>".to_vec()).await;
    let (status, all) = s
        .get("/api/v1/admin/marketplace-import-jobs", Some(&admin))
        .await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(all["total"], 2);
    assert_eq!(all["items"][0]["vendor_code"], "beta", "newest first");
    assert_eq!(all["items"][0]["status"], "failed");
    let (_, failed) = s
        .get(
            "/api/v1/admin/marketplace-import-jobs?status=failed",
            Some(&admin),
        )
        .await;
    assert_eq!(failed["total"], 1);
    let (_, alphas) = s
        .get(
            &format!("/api/v1/admin/marketplace-import-jobs?vendor={alpha_id}"),
            Some(&admin),
        )
        .await;
    assert_eq!(alphas["total"], 1);
    assert_eq!(alphas["items"][0]["created_count"], 250);
    let (status, body) = s
        .get("/api/v1/admin/marketplace-import-jobs", Some(&alpha))
        .await;
    assert_eq!(status, 401, "{body}");
    let (status, body) = s
        .get(
            "/api/v1/admin/marketplace-import-jobs?vendor=0",
            Some(&admin),
        )
        .await;
    assert_error(status, &body, 422, "VALIDATION_ERROR");
}

#[tokio::test]
async fn feed_images_follow_the_feed_unless_the_vendor_removed_or_reordered_them() {
    let s = TestServer::start().await;
    let token = imported(&s, "pictures").await;
    let candle = staged_id(&s, &token, "LS-0000000").await;
    let scarf = staged_id(&s, &token, "LS-0000001").await;
    let (_, result) = publish(&s, &token, json!({"ids": [candle, scarf]})).await;
    let product = |i: usize| result["published"][i]["product_id"].as_i64().unwrap();
    let (candle_p, scarf_p) = (product(0), product(1));
    let images = |id: i64| {
        let s = &s;
        let token = &token;
        async move {
            let (status, product) = s
                .get(&format!("/api/v1/vendor/products/{id}"), Some(token))
                .await;
            assert_eq!(status, 200, "{product}");
            product["images"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    (
                        i["id"].as_i64().unwrap(),
                        i["url"].as_str().unwrap().to_owned(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let scarf_images = images(scarf_p).await;
    assert!(scarf_images.len() >= 2, "{scarf_images:?}");
    // The vendor removes the scarf's second image.
    let (status, body) = s
        .send(
            reqwest::Method::DELETE,
            &format!(
                "/api/v1/vendor/products/{scarf_p}/images/{}",
                scarf_images[1].0
            ),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, 204, "{body}");

    // The feed moves both main images.
    let feed = String::from_utf8(sample("clean/luxtech_fr.csv"))
        .unwrap()
        .replacen("LS-0000000/0.jpg", "LS-0000000/new.jpg", 1)
        .replacen("LS-0000001/0.jpg", "LS-0000001/new.jpg", 1);
    let done = import_upload(&s, &token, "fr", "luxtech_fr.csv", feed.into_bytes()).await;
    assert_eq!(counts(&done), (250, 0, 2, 248, 0));
    let candle_now = images(candle_p).await;
    assert_eq!(
        candle_now[0].1, "https://images.letzshop.lu/luxtech/LS-0000000/new.jpg",
        "untouched images follow the feed"
    );
    let scarf_now: Vec<String> = images(scarf_p).await.into_iter().map(|i| i.1).collect();
    let kept: Vec<String> = scarf_images
        .iter()
        .enumerate()
        .filter(|(n, _)| *n != 1)
        .map(|(_, i)| i.1.clone())
        .collect();
    assert_eq!(scarf_now, kept, "the vendor's choice of images is kept");
    let (_, staged) = s
        .get(
            &format!("/api/v1/vendor/marketplace/products/{scarf}"),
            Some(&token),
        )
        .await;
    assert_eq!(staged["overridden"], json!(["images"]));

    // Reset: the feed's images again, in the feed's order.
    let (status, reset) = s
        .post(
            &format!("/api/v1/vendor/marketplace/products/{scarf}/reset"),
            Some(&token),
            json!({"fields": ["images"]}),
        )
        .await;
    assert_eq!(status, 200, "{reset}");
    assert_eq!(reset["overridden"], json!([]));
    let scarf_reset: Vec<String> = images(scarf_p).await.into_iter().map(|i| i.1).collect();
    let mut feed_images = vec![staged["image_link"].as_str().unwrap().to_owned()];
    feed_images.extend(
        staged["additional_image_links"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u.as_str().unwrap().to_owned()),
    );
    assert_eq!(scarf_reset, feed_images);
    assert_eq!(
        scarf_reset[0],
        "https://images.letzshop.lu/luxtech/LS-0000001/new.jpg"
    );
}
