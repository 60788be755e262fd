//! A Manager works an order in the dashboard: confirms it, ships it with DHL and a tracking
//! number, prints its packing slip and invoice; the customer then finds the tracking link on
//! their order page. The order pages fit a phone's width.

use super::*;

#[tokio::test]
async fn a_manager_ships_an_order_and_the_customer_follows_the_parcel() {
    let server = TestServer::start().await;
    let admin = server.admin_token().await;
    let (vendor, owner) = server.vendor_with_owner(&admin, "shipit").await;
    server.add_member(
        vendor,
        "manager@shipit.test",
        "manager-password-1",
        "Manager",
    );
    let lamp = server
        .product_with_stock(
            &owner,
            json!({"sku": "LAMP", "title": "Lampe de bureau", "price_cents": 2500}),
            5,
        )
        .await;
    let customer = server.customer_token("shipit", "lea@example.lu").await;
    let number = server
        .customer_order("shipit", &customer, lamp, 2, "browser-orders")
        .await;
    assert_eq!(number, "SHI-000001");
    in_browser("orders-failure", async |client| {
        ship_as_manager(&server, client).await?;
        follow_as_customer(&server, client).await
    })
    .await;
}

async fn ship_as_manager(server: &TestServer, client: &Client) -> Result<(), String> {
    sign_in(
        server,
        client,
        "/vendor/shipit/login",
        ("manager@shipit.test", "manager-password-1"),
        "/vendor/shipit/",
    )
    .await?;
    click(client, Locator::LinkText("Orders")).await?;
    wait_for_path(client, "/vendor/shipit/orders").await;
    wait_for_text(client, "#order-table tbody td a", "SHI-000001").await?;
    screenshot(client, "orders-list-desktop").await;
    click(client, Locator::LinkText("SHI-000001")).await?;
    wait_for_path(client, "/vendor/shipit/orders/SHI-000001").await;
    wait_for_text(client, "#order-status", "Pending").await?;
    click(client, Locator::Id("move-confirmed")).await?;
    wait_for_text(client, "#order-status", "Confirmed").await?;
    click(client, Locator::Id("move-processing")).await?;
    wait_for_text(client, "#order-status", "Processing").await?;
    click(client, Locator::Id("move-shipped")).await?;
    let carrier = client
        .wait()
        .for_element(Locator::Id("carrier"))
        .await
        .map_err(|e| e.to_string())?;
    carrier
        .select_by_value("dhl")
        .await
        .map_err(|e| e.to_string())?;
    fill(client, "#tracking-number", "JD014600006281").await;
    click(client, Locator::Id("confirm-ship")).await?;
    wait_for_text(client, "#order-status", "Shipped").await?;
    wait_for_text(client, "#tracking-link", "DHL JD014600006281").await?;
    screenshot(client, "orders-shipped-desktop").await;

    client
        .set_window_size(390, 844)
        .await
        .map_err(|e| e.to_string())?;
    client.refresh().await.map_err(|e| e.to_string())?;
    wait_for_text(client, "#order-status", "Shipped").await?;
    let wide = page_width(client).await;
    assert!(wide <= 390, "the order page is {wide}px wide at 390px");
    screenshot(client, "orders-shipped-phone").await;
    client
        .set_window_size(1280, 900)
        .await
        .map_err(|e| e.to_string())?;

    client
        .goto(&server.url("/vendor/shipit/orders/SHI-000001/packing-slip"))
        .await
        .map_err(|e| e.to_string())?;
    let slip = text_of(client, ".paper").await;
    assert!(
        slip.contains("Packing slip") && slip.contains("LAMP") && slip.contains("Léa Schmit"),
        "{slip}"
    );
    client
        .goto(&server.url("/vendor/shipit/orders/SHI-000001/invoice"))
        .await
        .map_err(|e| e.to_string())?;
    // 50.00 including 17 % VAT: 42.74 net and 7.26 VAT.
    wait_for_text(client, "#gross", "€50.00").await?;
    wait_for_text(client, "#vat", "€7.26").await?;
    wait_for_text(client, "#net", "€42.74").await?;
    screenshot(client, "orders-invoice").await;

    // The dashboard counts the order and draws its day.
    client
        .goto(&server.url("/vendor/shipit/"))
        .await
        .map_err(|e| e.to_string())?;
    let periods = text_of(client, "#periods").await;
    assert!(
        periods.contains("€50.00") && periods.contains("last 7 days · 1 order"),
        "{periods}"
    );
    let bars = client
        .find_all(Locator::Css("svg.chart rect"))
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(bars.len(), 30, "one bar a day");
    wait_for_text(
        client,
        "#top-products li",
        "Lampe de bureau (LAMP) — 2 sold, €50.00",
    )
    .await?;
    screenshot(client, "orders-dashboard").await;
    Ok(())
}

async fn follow_as_customer(server: &TestServer, client: &Client) -> Result<(), String> {
    sign_in(
        server,
        client,
        "/shop/shipit/account/login",
        ("lea@example.lu", "shopper-password"),
        "/shop/shipit/account",
    )
    .await?;
    client
        .goto(&server.url("/shop/shipit/account/orders/SHI-000001"))
        .await
        .map_err(|e| e.to_string())?;
    wait_for_text(client, "#tracking-link", "track parcel JD014600006281").await?;
    let href = client
        .find(Locator::Id("tracking-link"))
        .await
        .map_err(|e| e.to_string())?
        .attr("href")
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(
        href.as_deref(),
        Some("https://www.dhl.com/lu-en/home/tracking.html?tracking-id=JD014600006281")
    );
    screenshot(client, "orders-customer-tracking").await;
    Ok(())
}

#[tokio::test]
async fn an_owner_sets_up_checkout_and_card_payments_on_the_payments_page() {
    let server = TestServer::start().await;
    let admin = server.admin_token().await;
    let (vendor, owner) = server.vendor_with_owner(&admin, "payit").await;
    server.add_member(vendor, "boss@payit.test", "boss-password-12", "Owner");
    in_browser("payments-failure", async |client| {
        set_up_payments(&server, client).await
    })
    .await;
    let (_, settings) = server
        .get("/api/v1/vendor/settings/checkout", Some(&owner))
        .await;
    assert_eq!(settings["shipping_flat_cents"], 350, "{settings}");
    assert_eq!(
        settings["payment_methods"],
        json!(["bank_transfer", "cash_on_pickup", "card"])
    );
    assert_eq!(settings["bank_account"]["iban"], "LU28 0019 4006 4475 0000");
}

async fn set_up_payments(server: &TestServer, client: &Client) -> Result<(), String> {
    sign_in(
        server,
        client,
        "/vendor/payit/login",
        ("boss@payit.test", "boss-password-12"),
        "/vendor/payit/",
    )
    .await?;
    click(client, Locator::LinkText("Shop settings")).await?;
    click(client, Locator::LinkText("Checkout and payments")).await?;
    wait_for_path(client, "/vendor/payit/settings/payments").await;
    let flat = client
        .wait()
        .for_element(Locator::Id("shipping-flat"))
        .await
        .map_err(|e| e.to_string())?;
    wait_for_value(&flat, "4.90").await?;
    flat.clear().await.map_err(|e| e.to_string())?;
    flat.send_keys("3.50").await.map_err(|e| e.to_string())?;
    fill(client, "#bank-holder", "Payit SARL").await;
    fill(client, "#bank-iban", "LU28 0019 4006 4475 0001").await;
    click(client, Locator::Id("checkout-save")).await?;
    let iban_error = text_of(client, "#bank-iban + .error").await;
    assert!(
        iban_error.contains("IBAN"),
        "a wrong IBAN is named: {iban_error}"
    );
    let iban = client
        .find(Locator::Id("bank-iban"))
        .await
        .map_err(|e| e.to_string())?;
    iban.clear().await.map_err(|e| e.to_string())?;
    iban.send_keys("LU28 0019 4006 4475 0000")
        .await
        .map_err(|e| e.to_string())?;
    click(client, Locator::Id("checkout-save")).await?;
    wait_for_text(
        client,
        "#checkout-form .notice",
        "Saved. The next checkout uses these settings.",
    )
    .await?;

    fill(client, "#stripe-secret", "sk_test_payitsecret5678").await;
    fill(client, "#stripe-webhook", "whsec_payitwebhooksecret").await;
    click(client, Locator::Id("stripe-connect")).await?;
    let state = text_of(client, "#stripe-state").await;
    assert!(
        state.contains("5678") && state.contains("test mode"),
        "{state}"
    );
    let hook = text_of(client, "#webhook-url").await;
    assert!(hook.ends_with("/api/v1/webhooks/stripe/payit"), "{hook}");
    click(client, Locator::Id("pay-card")).await?;
    click(client, Locator::Id("checkout-save")).await?;
    wait_for_text(
        client,
        "#checkout-form .notice",
        "Saved. The next checkout uses these settings.",
    )
    .await?;
    screenshot(client, "payments-desktop").await;
    client
        .set_window_size(390, 844)
        .await
        .map_err(|e| e.to_string())?;
    let wide = page_width(client).await;
    assert!(wide <= 390, "the payments page is {wide}px wide at 390px");
    screenshot(client, "payments-phone").await;
    Ok(())
}
