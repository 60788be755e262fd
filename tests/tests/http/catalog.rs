//! The catalogue and inventory over HTTP: the owner's round trip, and the wall — vendor B
//! attacks vendor A's products by id on every route; a Viewer reads but cannot write.

use diesel::connection::SimpleConnection;
use e2e::{TestServer, assert_error};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn an_owner_creates_stocks_finds_and_edits_a_product() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (_, owner) = s.vendor_with_owner(&admin, "alpha").await;
    let (status, created) = s
        .post(
            "/api/v1/vendor/products",
            Some(&owner),
            json!({"sku": "SCARF-1", "title": "Écharpe en laine", "price_cents": 4990, "brand": "Gëlle Fra",
                   "translations": {"en": {"title": "Wool scarf"}}}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap();
    let (status, row) = s
        .post(
            "/api/v1/vendor/inventory",
            Some(&owner),
            json!({"product_id": id, "quantity": 12}),
        )
        .await;
    assert_eq!(
        (status, row["location"].as_str(), row["available"].as_i64()),
        (200, Some("main"), Some(12)),
        "{row}"
    );
    let (_, found) = s
        .get("/api/v1/vendor/products?q=echarpe", Some(&owner))
        .await;
    assert_eq!(found["items"][0]["sku"], "SCARF-1", "{found}");
    assert_eq!(found["items"][0]["inventory"]["available"], 12);
    let (status, edited) = s
        .put(
            &format!("/api/v1/vendor/products/{id}"),
            Some(&owner),
            json!({"version": 1, "price_cents": 3990}),
        )
        .await;
    assert_eq!(
        (
            status,
            edited["price_cents"].as_i64(),
            edited["version"].as_i64()
        ),
        (200, Some(3990), Some(2))
    );
    let (status, body) = s
        .put(
            &format!("/api/v1/vendor/products/{id}"),
            Some(&owner),
            json!({"version": 1, "price_cents": 1}),
        )
        .await;
    assert_error(status, &body, 409, "VERSION_CONFLICT");
    let (status, body) = s
        .post(
            "/api/v1/vendor/products",
            Some(&owner),
            json!({"sku": "SCARF-1", "title": "Again", "price_cents": 1}),
        )
        .await;
    assert_error(status, &body, 409, "SKU_TAKEN");
    let (_, movements) = s
        .get(
            &format!("/api/v1/vendor/inventory/movements?product_id={id}"),
            Some(&owner),
        )
        .await;
    assert_eq!(movements["total"], 1);
    assert_eq!(movements["items"][0]["kind"], "adjusted");
}

#[tokio::test]
async fn vendor_b_cannot_read_change_or_count_vendor_as_products() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (_, alpha) = s.vendor_with_owner(&admin, "alpha").await;
    let (_, beta) = s.vendor_with_owner(&admin, "beta").await;
    let (_, created) = s
        .post(
            "/api/v1/vendor/products",
            Some(&alpha),
            json!({"sku": "A-1", "title": "Alpha secret lamp", "price_cents": 990}),
        )
        .await;
    let id = created["id"].as_i64().unwrap();
    s.post(
        "/api/v1/vendor/inventory",
        Some(&alpha),
        json!({"product_id": id, "quantity": 5}),
    )
    .await;
    let product = format!("/api/v1/vendor/products/{id}");

    // Attacks 1-5: read, edit, delete and toggle A's product by id.
    for (method, path, body) in [
        (Method::GET, product.clone(), None),
        (
            Method::PUT,
            product.clone(),
            Some(json!({"version": 1, "price_cents": 1})),
        ),
        (Method::DELETE, product.clone(), None),
        (Method::PUT, format!("{product}/toggle-active"), None),
        (Method::PUT, format!("{product}/toggle-featured"), None),
    ] {
        let (status, answer) = s.send(method.clone(), &path, Some(&beta), body).await;
        assert_error(status, &answer, 404, "PRODUCT_NOT_FOUND");
        assert!(
            !answer.to_string().contains("secret"),
            "{method} {path} leaks nothing: {answer}"
        );
    }
    // Attacks 6-7: count or adjust A's inventory.
    let (status, answer) = s
        .post(
            "/api/v1/vendor/inventory",
            Some(&beta),
            json!({"product_id": id, "quantity": 0}),
        )
        .await;
    assert_error(status, &answer, 404, "PRODUCT_NOT_FOUND");
    let (status, answer) = s
        .post(
            "/api/v1/vendor/inventory/adjust",
            Some(&beta),
            json!({"product_id": id, "delta": -5, "reason": "adjusted"}),
        )
        .await;
    assert_error(status, &answer, 404, "PRODUCT_NOT_FOUND");
    // Attacks 8-11: find it by search, in inventory lists, in the ledger, or deactivate it in bulk.
    let (_, found) = s.get("/api/v1/vendor/products?q=secret", Some(&beta)).await;
    assert_eq!(found["total"], 0, "{found}");
    let (_, rows) = s
        .get(
            &format!("/api/v1/vendor/inventory?product_id={id}"),
            Some(&beta),
        )
        .await;
    assert_eq!(rows["total"], 0, "{rows}");
    let (_, ledger) = s
        .get(
            &format!("/api/v1/vendor/inventory/movements?product_id={id}"),
            Some(&beta),
        )
        .await;
    assert_eq!(ledger["total"], 0, "{ledger}");
    let (status, bulk) = s
        .post(
            "/api/v1/vendor/products/bulk-status",
            Some(&beta),
            json!({"ids": [id], "is_active": false}),
        )
        .await;
    assert_eq!((status, bulk["changed"].as_i64()), (200, Some(0)));

    let (_, after) = s.get(&product, Some(&alpha)).await;
    assert_eq!(
        (
            after["version"].as_i64(),
            after["is_active"].as_bool(),
            after["inventory"]["available"].as_i64()
        ),
        (Some(1), Some(true), Some(5)),
        "A's product is exactly as it was"
    );
}

#[tokio::test]
async fn a_viewer_reads_the_catalogue_but_cannot_change_it() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (vendor, owner) = s.vendor_with_owner(&admin, "alpha").await;
    let (_, created) = s
        .post(
            "/api/v1/vendor/products",
            Some(&owner),
            json!({"sku": "A-1", "title": "Lamp", "price_cents": 990}),
        )
        .await;
    let id = created["id"].as_i64().unwrap();
    let hash = e2e::password_hash("viewer-password-1");
    s.db.owner_conn()
        .batch_execute(&format!(
            "INSERT INTO users (email, password_hash) VALUES ('viewer@alpha.test', '{hash}');
             INSERT INTO vendor_users (vendor_id, user_id, role_id)
               SELECT {vendor}, u.id, r.id FROM users u, roles r
               WHERE u.email = 'viewer@alpha.test' AND r.vendor_id = {vendor} AND r.name = 'Viewer';"
        ))
        .unwrap();
    let (_, login) = s
        .post(
            "/api/v1/vendor/auth/login",
            None,
            json!({"email": "viewer@alpha.test", "password": "viewer-password-1", "vendor_code": "alpha"}),
        )
        .await;
    let viewer = login["access_token"].as_str().unwrap();
    let (status, list) = s.get("/api/v1/vendor/products", Some(viewer)).await;
    assert_eq!(
        (status, list["items"][0]["sku"].as_str()),
        (200, Some("A-1"))
    );
    let (status, _) = s.get("/api/v1/vendor/inventory", Some(viewer)).await;
    assert_eq!(status, 200);
    for (method, path, body, permission) in [
        (
            Method::POST,
            "/api/v1/vendor/products".to_owned(),
            json!({"sku": "V", "title": "V", "price_cents": 1}),
            "products.create",
        ),
        (
            Method::PUT,
            format!("/api/v1/vendor/products/{id}"),
            json!({"version": 1, "price_cents": 1}),
            "products.edit",
        ),
        (
            Method::POST,
            "/api/v1/vendor/inventory/adjust".to_owned(),
            json!({"product_id": id, "delta": 1, "reason": "received"}),
            "inventory.edit",
        ),
    ] {
        let (status, answer) = s.send(method, &path, Some(viewer), Some(body)).await;
        assert_error(status, &answer, 403, "PERMISSION_DENIED");
        assert!(
            answer["detail"].as_str().unwrap().contains(permission),
            "{answer}"
        );
    }
    let (status, answer) = s
        .send(
            Method::DELETE,
            &format!("/api/v1/vendor/products/{id}"),
            Some(viewer),
            None,
        )
        .await;
    assert_error(status, &answer, 403, "PERMISSION_DENIED");
}

/// JSON Schema counts `5.0` as an integer, so generated clients may send one: it is read as
/// 5, in bodies and in integer query parameters alike; `5.5` is still refused.
#[tokio::test]
async fn whole_numbers_written_with_a_fraction_are_read_as_integers() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (_, owner) = s.vendor_with_owner(&admin, "alpha").await;
    let (status, created) = s
        .post(
            "/api/v1/vendor/products",
            Some(&owner),
            json!({"sku": "F-1", "title": "Lampe", "price_cents": 1999.0, "low_inventory_threshold": 2e0}),
        )
        .await;
    assert_eq!(
        (
            status,
            created["price_cents"].as_i64(),
            created["low_inventory_threshold"].as_i64()
        ),
        (201, Some(1999), Some(2)),
        "{created}"
    );
    let id = created["id"].as_i64().unwrap();
    s.post(
        "/api/v1/vendor/inventory",
        Some(&owner),
        json!({"product_id": id, "quantity": 4.0}),
    )
    .await;
    let (status, rows) = s
        .get(
            &format!("/api/v1/vendor/inventory?product_id={id}.0&page=1.0"),
            Some(&owner),
        )
        .await;
    assert_eq!(
        (status, rows["items"][0]["quantity"].as_i64()),
        (200, Some(4)),
        "{rows}"
    );
    let (status, body) = s
        .post(
            "/api/v1/vendor/products",
            Some(&owner),
            json!({"sku": "F-2", "title": "Lampe", "price_cents": 19.5}),
        )
        .await;
    assert_error(status, &body, 422, "INVALID_JSON");
    let (status, body) = s
        .get("/api/v1/vendor/products?page=1.5", Some(&owner))
        .await;
    assert_error(status, &body, 422, "INVALID_QUERY");
}
