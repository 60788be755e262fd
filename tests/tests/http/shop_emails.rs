//! The shop's e-mails, read from a real SMTP server on loopback: welcome, order confirmation
//! with its number, and a password-reset link that works once.

use diesel::RunQueryDsl;
use diesel::connection::SimpleConnection;
use e2e::{Options, SmtpSink, TestServer, assert_error};
use serde_json::json;

#[tokio::test]
async fn welcome_confirmation_and_reset_emails_arrive_in_the_shops_branding() {
    let sink = SmtpSink::start();
    let s = TestServer::start_with(Options {
        smtp_url: Some(sink.url.clone()),
        ..Options::default()
    })
    .await;
    let admin = s.admin_token().await;
    let (_, owner) = s.vendor_with_owner(&admin, "alpha").await;
    let (_, theme) = s
        .put(
            "/api/v1/vendor/settings/theme",
            Some(&owner),
            json!({"primary_color": "#aa3300"}),
        )
        .await;
    assert_eq!(theme["primary_color"], "#aa3300", "{theme}");
    let lamp = s
        .product_with_stock(
            &owner,
            json!({"sku": "LAMP", "title": "Lampe de bureau", "price_cents": 2500}),
            4,
        )
        .await;

    let base = "/api/v1/public/vendors/alpha";
    let (status, body) = s
        .post(
            &format!("{base}/auth/register"),
            None,
            json!({"email": "lea@example.lu", "password": "shopper-password", "first_name": "Léa",
                   "last_name": "Schmit", "language": "en"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let welcome = sink.wait_for("lea@example.lu", "Welcome to").await;
    assert!(welcome.body_text(0).unwrap().contains("Hello Léa"));
    assert!(
        welcome.body_html(0).unwrap().contains("background:#aa3300"),
        "the shop's colour"
    );

    let (_, session) = s
        .post(
            &format!("{base}/auth/login"),
            None,
            json!({"email": "lea@example.lu", "password": "shopper-password"}),
        )
        .await;
    let token = session["access_token"].as_str().unwrap().to_owned();
    let (status, body) = s
        .put(
            "/api/v1/vendor/settings/checkout",
            Some(&owner),
            json!({"shipping_flat_cents": 490, "free_shipping_from_cents": 5000, "pickup_enabled": true,
                   "vat_rate_basis_points": 1700, "payment_methods": ["bank_transfer"],
                   "bank_account": {"holder": "Alpha SARL", "iban": "LU13 0010 0012 3456 7891"}}),
        )
        .await;
    assert_error(status, &body, 422, "VALIDATION_ERROR");
    assert!(body["fields"]["bank_account.iban"].is_array(), "{body}");
    let (status, body) = s
        .put(
            "/api/v1/vendor/settings/checkout",
            Some(&owner),
            json!({"shipping_flat_cents": 490, "free_shipping_from_cents": 5000, "pickup_enabled": true,
                   "vat_rate_basis_points": 1700, "payment_methods": ["bank_transfer"],
                   "bank_account": {"holder": "Alpha SARL", "iban": "LU28 0019 4006 4475 0000", "bic": "BCEELULL"}}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let cart = "email-test-cart-session-000000000001";
    s.post(
        &format!("{base}/cart/{cart}/items"),
        None,
        json!({"product_id": lamp, "quantity": 2}),
    )
    .await;
    let (status, order) = s
        .post(
            &format!("{base}/orders"),
            Some(&token),
            json!({"cart_session": cart, "payment_method": "bank_transfer", "language": "fr",
                   "shipping_address": {"name": "Léa Schmit", "street": "1 rue du Fort",
                                        "postal_code": "L-1234", "city": "Luxembourg", "country": "LU"}}),
        )
        .await;
    assert_eq!(status, 201, "{order}");
    let confirmation = sink.wait_for("lea@example.lu", "ALP-000001").await;
    let text = confirmation.body_text(0).unwrap();
    assert!(text.contains("Lampe de bureau"), "{text}");
    assert!(text.contains("50,00 €"), "the total, in French: {text}");
    assert!(text.contains("virement bancaire"), "how to pay: {text}");
    assert!(
        text.contains("IBAN: LU28 0019 4006 4475 0000")
            && text.contains("Communication : ALP-000001")
            || text.contains("Communication: ALP-000001"),
        "where to pay: {text}"
    );
    assert_eq!(order["pay_to"]["bic"], "BCEELULL", "{order}");
    assert!(
        confirmation.body_html(0).unwrap().contains("ALP-000001"),
        "the HTML part too"
    );

    // An unknown e-mail gets the same answer and no message.
    let (status, _) = s
        .post(
            &format!("{base}/auth/password-reset"),
            None,
            json!({"email": "nobody@example.lu"}),
        )
        .await;
    assert_eq!(status, 202);
    let (status, _) = s
        .post(
            &format!("{base}/auth/password-reset"),
            None,
            json!({"email": "lea@example.lu", "language": "en"}),
        )
        .await;
    assert_eq!(status, 202);
    let reset = sink
        .wait_for("lea@example.lu", "Choose a new password")
        .await;
    let text = reset.body_text(0).unwrap().into_owned();
    let link = text
        .lines()
        .find(|l| l.contains("/account/reset?token="))
        .expect("the link");
    assert!(
        link.starts_with(&format!("{}/shop/alpha/", s.base)),
        "{link}"
    );
    let reset_token = link.split("token=").nth(1).unwrap().trim();
    let confirm = json!({"token": reset_token, "new_password": "a brand new password"});
    let (status, body) = s
        .post(
            &format!("{base}/auth/password-reset/confirm"),
            None,
            confirm.clone(),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = s
        .post(
            &format!("{base}/auth/password-reset/confirm"),
            None,
            confirm,
        )
        .await;
    assert_error(status, &body, 404, "RESET_LINK_INVALID");
    let (status, _) = s
        .post(
            &format!("{base}/auth/login"),
            None,
            json!({"email": "lea@example.lu", "password": "a brand new password"}),
        )
        .await;
    assert_eq!(status, 200);
    sink.wait_for("owner@alpha.test", "Nouvelle commande").await;
    assert_eq!(
        sink.messages().len(),
        4,
        "welcome, confirmation, the team's new-order note and one reset: nothing for the unknown address"
    );
}

/// Each move a customer hears of sends its e-mail (the shipped one with the tracking link),
/// the team hears of the new order, and a mail server that is down delays the e-mails —
/// retried, then delivered — without holding up any move.
#[tokio::test]
async fn order_emails_survive_a_mail_server_that_is_down() {
    let port = SmtpSink::free_port();
    let s = TestServer::start_with(Options {
        smtp_url: Some(format!("smtp://127.0.0.1:{port}")),
        ..Options::default()
    })
    .await;
    let admin = s.admin_token().await;
    let (_, owner) = s.vendor_with_owner(&admin, "alpha").await;
    let lamp = s
        .product_with_stock(
            &owner,
            json!({"sku": "LAMP", "title": "Lampe", "price_cents": 2500}),
            4,
        )
        .await;
    let number = s.guest_order("alpha", lamp, 1, "mail-down").await;
    let status_path = format!("/api/v1/vendor/orders/{number}/status");
    let (status, moved) = s
        .post(&status_path, Some(&owner), json!({"status": "confirmed"}))
        .await;
    assert_eq!((status, moved["status"].as_str()), (200, Some("confirmed")));

    // Every e-mail so far (confirmation, new order, confirmed) failed once and waits.
    let waiting = || {
        diesel::sql_query(
            "SELECT count(*)::bigint AS n FROM jobs
             WHERE kind = 'email.send' AND status = 'queued' AND attempts >= 1 AND last_error IS NOT NULL",
        )
        .get_result::<Count>(&mut s.db.owner_conn())
        .unwrap()
        .n
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while waiting() < 3 {
        assert!(
            std::time::Instant::now() < deadline,
            "the e-mails were not tried"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // The server comes back; the retries (brought forward) deliver.
    let sink = SmtpSink::start_on(port);
    s.db.owner_conn()
        .batch_execute(
            "UPDATE jobs SET run_at = now() WHERE kind = 'email.send' AND status = 'queued'",
        )
        .unwrap();
    let confirmed = sink
        .wait_for(
            "guest@example.lu",
            &format!("Votre commande {number} est confirmée"),
        )
        .await;
    assert!(
        confirmed
            .body_text(0)
            .unwrap()
            .contains("a confirmé votre commande")
    );
    let team = sink
        .wait_for("owner@alpha.test", &format!("Nouvelle commande {number}"))
        .await;
    let team_text = team.body_text(0).unwrap();
    assert!(team_text.contains("Lampe (LAMP) × 1"), "{team_text}");
    assert!(
        team_text.contains(&format!("/vendor/alpha/orders/{number}")),
        "{team_text}"
    );

    for to in ["processing", "shipped"] {
        let (status, _) = s
            .post(
                &status_path,
                Some(&owner),
                json!({"status": to, "carrier": "gls", "tracking_number": "GLS42"}),
            )
            .await;
        assert_eq!(status, 200);
    }
    let shipped = sink
        .wait_for(
            "guest@example.lu",
            &format!("Votre commande {number} est en route"),
        )
        .await;
    let text = shipped.body_text(0).unwrap();
    assert!(
        text.contains("https://gls-group.com/LU/en/parcel-tracking?match=GLS42"),
        "{text}"
    );
    assert!(
        shipped
            .body_html(0)
            .unwrap()
            .contains("gls-group.com&#x2F;LU&#x2F;en&#x2F;parcel-tracking?match=GLS42"),
        "the link, HTML-escaped in its attribute"
    );
    let sent: i64 = diesel::sql_query(
        "SELECT count(*)::bigint AS n FROM outbound_emails WHERE template = 'order_status' AND status = 'sent'",
    )
    .get_result::<Count>(&mut s.db.owner_conn())
    .unwrap()
    .n;
    assert_eq!(sent, 2, "confirmed and shipped, none for processing");
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}
