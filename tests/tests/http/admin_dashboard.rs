//! The admin dashboard's figures over HTTP: every vendor's orders, customers and products
//! counted by PostgreSQL in the platform scope, cancelled orders and refunds aside; the page
//! renders them with the chart.

use e2e::TestServer;
use serde_json::json;

#[tokio::test]
async fn the_dashboard_counts_the_whole_platform() {
    let s = TestServer::start().await;
    let admin = s.admin_token().await;
    let (alpha, alpha_owner) = s.vendor_with_owner(&admin, "alpha").await;
    let (_, beta_owner) = s.vendor_with_owner(&admin, "beta").await;
    let (gamma, _) = s.vendor_with_owner(&admin, "gamma").await;
    s.put(
        &format!("/api/v1/admin/vendors/{alpha}/verify"),
        Some(&admin),
        json!({"is_verified": true}),
    )
    .await;
    s.put(
        &format!("/api/v1/admin/vendors/{gamma}/status"),
        Some(&admin),
        json!({"is_active": false}),
    )
    .await;
    let lamp = s
        .product_with_stock(
            &alpha_owner,
            json!({"sku": "LAMP", "title": "Lampe", "price_cents": 2500}),
            10,
        )
        .await;
    let chair = s
        .product_with_stock(
            &beta_owner,
            json!({"sku": "CHAIR", "title": "Chaise", "price_cents": 9000, "is_active": false}),
            10,
        )
        .await;
    let customer = s.customer_token("alpha", "lea@example.lu").await;
    s.customer_order("alpha", &customer, lamp, 2, "adm-a").await; // 2 × 25.00, shipped free
    let (status, _) = s
        .put(
            &format!("/api/v1/vendor/products/{chair}/toggle-active"),
            Some(&beta_owner),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    s.guest_order("beta", chair, 1, "adm-b").await; // 90.00, free shipping from 50.00
    let cancelled = s.guest_order("alpha", lamp, 1, "adm-c").await;
    let (status, body) = s
        .post(
            &format!("/api/v1/vendor/orders/{cancelled}/status"),
            Some(&alpha_owner),
            json!({"status": "cancelled"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let (status, f) = s.get("/api/v1/admin/dashboard/stats", Some(&admin)).await;
    assert_eq!(status, 200, "{f}");
    assert_eq!(f["vendors_total"], 3);
    assert_eq!(f["vendors_active"], 2);
    assert_eq!(f["vendors_verified"], 1);
    assert_eq!(f["vendors_new_this_month"], 3);
    assert_eq!(f["team_users"], 3);
    assert_eq!(f["admins"], 1);
    assert_eq!(f["customers"], 1);
    assert_eq!(f["products"], 2);
    assert_eq!(f["products_active"], 2);
    let periods = f["periods"].as_array().unwrap();
    assert_eq!(periods.len(), 3, "{periods:?}");
    for p in periods {
        assert_eq!(p["currency"], "EUR");
        assert_eq!(p["orders"], 2, "{p}");
        assert_eq!(p["revenue_cents"], 5000 + 9000, "{p}");
    }
    let daily = f["daily"].as_array().unwrap();
    assert_eq!(daily.len(), 30);
    let today = daily.last().unwrap();
    assert_eq!(today["orders"], 2);
    assert_eq!(today["new_vendors"], 3);
    assert_eq!(daily[0]["orders"], 0);
    assert_eq!(
        f["imports_by_status"],
        json!({"completed": 0, "completed_with_errors": 0, "failed": 0, "pending": 0, "processing": 0})
    );
    assert_eq!(f["failed_imports"], json!([]));

    let page = s
        .admin_browser()
        .await
        .get(s.url("/admin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"id="stat-customers">1<"#), "{page}");
    assert!(page.contains("€140.00"), "{page}");
    assert!(page.contains("2 orders, 3 new vendors"), "{page}");
    assert!(page.contains(r#"id="no-failed-imports""#));
}
