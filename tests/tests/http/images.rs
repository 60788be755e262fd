//! Product images over HTTP: an upload is decoded, re-encoded and served with a year-long
//! cache lifetime; what is not an image is refused; another vendor can neither see, add,
//! reorder nor remove A's images; removing an upload removes its files.

use std::io::Cursor;

use e2e::{TestServer, assert_error};
use reqwest::Method;
use reqwest::multipart::Part;
use serde_json::{Value, json};

/// A PNG of the given size: a gradient, so the encoder has something to keep.
fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

async fn upload(s: &TestServer, token: &str, product: i64, data: Vec<u8>) -> (u16, Value) {
    let path = format!("/api/v1/vendor/products/{product}/images");
    s.upload(&path, token, Part::bytes(data).file_name("photo.png"))
        .await
}

async fn product(s: &TestServer, token: &str, sku: &str) -> i64 {
    let (status, created) = s
        .post(
            "/api/v1/vendor/products",
            Some(token),
            json!({"sku": sku, "title": "Lampe", "price_cents": 990}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_i64().unwrap()
}

#[tokio::test]
async fn an_upload_is_re_encoded_served_for_a_year_and_removed_with_its_files() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (_, owner) = s.vendor_with_owner(&admin, "alpha").await;
    let id = product(&s, &owner, "LAMP-1").await;

    let (status, image) = upload(&s, &owner, id, png(2000, 1000)).await;
    assert_eq!(status, 201, "{image}");
    assert_eq!(image["source"], "upload");
    assert_eq!(
        (image["width"].as_i64(), image["height"].as_i64()),
        (Some(1600), Some(800))
    );
    let thumb_url = image["thumbnail_url"].as_str().unwrap().to_owned();
    let response = s.client().get(s.url(&thumb_url)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "image/jpeg");
    assert!(
        headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age=31536000"),
        "{headers:?}"
    );
    let thumb = image::load_from_memory(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(
        (thumb.width(), thumb.height()),
        (400, 200),
        "fits in 400 x 400"
    );

    let (_, remote) = s
        .post(
            &format!("/api/v1/vendor/products/{id}/images/remote"),
            Some(&owner),
            json!({"url": "https://images.letzshop.lu/lamp.jpg"}),
        )
        .await;
    let (status, ordered) = s
        .put(
            &format!("/api/v1/vendor/products/{id}/images/order"),
            Some(&owner),
            json!({"ids": [remote["id"], image["id"]]}),
        )
        .await;
    assert_eq!(status, 200, "{ordered}");
    let (_, shown) = s
        .get(&format!("/api/v1/vendor/products/{id}"), Some(&owner))
        .await;
    assert_eq!(
        shown["images"][0]["url"],
        "https://images.letzshop.lu/lamp.jpg"
    );
    assert_eq!(shown["images"][1]["id"], image["id"]);

    let (status, _) = s
        .send(
            Method::DELETE,
            &format!("/api/v1/vendor/products/{id}/images/{}", image["id"]),
            Some(&owner),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let gone = s.client().get(s.url(&thumb_url)).send().await.unwrap();
    assert_eq!(gone.status(), 404, "the files went with the image");
    let files = walk(&s.media_dir);
    assert!(files.is_empty(), "nothing left in storage: {files:?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|e| {
            let path = e.path();
            if path.is_dir() {
                walk(&path)
            } else {
                vec![path]
            }
        })
        .collect()
}

#[tokio::test]
async fn what_is_not_an_acceptable_image_is_refused_and_nothing_is_kept() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (_, owner) = s.vendor_with_owner(&admin, "alpha").await;
    let id = product(&s, &owner, "LAMP-1").await;
    let (status, body) = upload(&s, &owner, id, b"<script>alert(1)</script>".to_vec()).await;
    assert_error(status, &body, 422, "NOT_AN_IMAGE");
    let mut damaged = png(64, 64);
    damaged.truncate(damaged.len() / 2);
    let (status, body) = upload(&s, &owner, id, damaged).await;
    assert_error(status, &body, 422, "IMAGE_DAMAGED");
    let (status, body) = upload(&s, &owner, id, png(9000, 1)).await;
    assert_error(status, &body, 422, "IMAGE_TOO_LARGE");
    let (status, body) = upload(&s, &owner, id, vec![0u8; 11 * 1024 * 1024]).await;
    assert_error(status, &body, 413, "PAYLOAD_TOO_LARGE");
    let (_, images) = s
        .get(
            &format!("/api/v1/vendor/products/{id}/images"),
            Some(&owner),
        )
        .await;
    assert_eq!(images, json!([]));
    assert!(walk(&s.media_dir).is_empty());
    // Only names the server makes are looked up.
    for path in [
        "/media/../Cargo.toml",
        "/media/products/1/x-thumb.jpg",
        "/media/Cargo.toml",
    ] {
        let response = s.client().get(s.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn vendor_b_cannot_see_add_reorder_or_remove_vendor_as_images() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (_, alpha) = s.vendor_with_owner(&admin, "alpha").await;
    let (_, beta) = s.vendor_with_owner(&admin, "beta").await;
    let id = product(&s, &alpha, "A-1").await;
    let (_, image) = upload(&s, &alpha, id, png(50, 50)).await;
    let image_id = image["id"].as_i64().unwrap();
    let images = format!("/api/v1/vendor/products/{id}/images");

    for (method, path, body) in [
        (Method::GET, images.clone(), None),
        (
            Method::POST,
            format!("{images}/remote"),
            Some(json!({"url": "https://x.lu/a.jpg"})),
        ),
        (
            Method::PUT,
            format!("{images}/order"),
            Some(json!({"ids": [image_id]})),
        ),
        (Method::DELETE, format!("{images}/{image_id}"), None),
    ] {
        let (status, answer) = s.send(method.clone(), &path, Some(&beta), body).await;
        assert_error(status, &answer, 404, "PRODUCT_NOT_FOUND");
    }
    let (status, answer) = upload(&s, &beta, id, png(50, 50)).await;
    assert_error(status, &answer, 404, "PRODUCT_NOT_FOUND");
    // Through B's own product, A's image id names nothing.
    let own = product(&s, &beta, "B-1").await;
    let (status, answer) = s
        .send(
            Method::DELETE,
            &format!("/api/v1/vendor/products/{own}/images/{image_id}"),
            Some(&beta),
            None,
        )
        .await;
    assert_error(status, &answer, 404, "IMAGE_NOT_FOUND");

    let (_, after) = s.get(&images, Some(&alpha)).await;
    assert_eq!(after.as_array().map(Vec::len), Some(1), "{after}");
    assert_eq!(
        walk(&s.media_dir).len(),
        2,
        "A's two renditions, and nothing of B's refused upload"
    );
}
