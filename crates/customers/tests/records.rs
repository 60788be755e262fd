//! The vendor's side of its customers against a real database: the list's order counts and
//! amounts (summed by SQL, cancelled orders aside, refunds deducted), search, closing an
//! account, and erasure that removes the person everywhere but keeps the orders' amounts —
//! and touches nothing of another shop.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use std::sync::Arc;

use auth::PasswordHasher;
use customers::{
    AccountState, AddressInput, CustomerError, CustomerQuery, CustomerRecords, CustomerService,
    PgCustomers, Register,
};
use db::audit::Actor;
use db::test_support::TestDb;
use db::{TenantScope, UserId, VendorId};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

const ALPHA: TenantScope = TenantScope::trusted(VendorId(10));
const BETA: TenantScope = TenantScope::trusted(VendorId(20));

fn actor() -> Actor {
    Actor {
        user_id: UserId(1),
        ip: None,
        request_id: None,
        on_behalf: None,
    }
}

fn register(s: &PgCustomers, scope: &TenantScope, email: &str, first: &str) -> i64 {
    s.register(
        scope,
        &Register {
            email: email.into(),
            password: "a long password".into(),
            first_name: first.into(),
            last_name: "Schmit".into(),
            phone: Some("+352 621 000 000".into()),
            language: None,
        },
    )
    .unwrap()
    .id
    .0
}

/// An order of `cents` (`refunded` of them back) in `status` for the customer (or a guest).
fn order(
    test: &TestDb,
    vendor: i64,
    number: &str,
    customer: Option<i64>,
    email: &str,
    (cents, refunded): (i64, i64),
    status: &str,
) {
    let customer = customer.map_or("NULL".to_owned(), |c| c.to_string());
    test.owner_conn()
        .batch_execute(&format!(
            "INSERT INTO orders (vendor_id, order_number, customer_id, email, status, payment_method,
               shipping_method, currency, subtotal_cents, shipping_cents, tax_cents, total_cents,
               refunded_cents, vat_rate_basis_points, shipping_address, billing_address, notes)
             VALUES ({vendor}, '{number}', {customer}, '{email}', '{status}', 'bank_transfer', 'delivery',
               'EUR', {cents}, 0, 0, {cents}, {refunded}, 1700,
               '{{\"name\": \"Léa Schmit\", \"street\": \"1 rue du Fort\", \"postal_code\": \"L-1\", \"city\": \"Luxembourg\", \"country\": \"LU\"}}',
               '{{\"name\": \"Léa Schmit\", \"street\": \"1 rue du Fort\", \"postal_code\": \"L-1\", \"city\": \"Luxembourg\", \"country\": \"LU\"}}',
               'ring twice');
             INSERT INTO outbound_emails (vendor_id, to_address, template, language, context)
             VALUES ({vendor}, '{email}', 'order_confirmation', 'fr', '{{\"order\": \"{number}\"}}');"
        ))
        .unwrap();
}

#[derive(QueryableByName, Debug, PartialEq)]
struct OrderRow {
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    country: String,
    #[diesel(sql_type = Text)]
    notes: String,
    #[diesel(sql_type = BigInt)]
    total_cents: i64,
}

fn order_row(test: &TestDb, vendor: i64, number: &str) -> OrderRow {
    diesel::sql_query(format!(
        "SELECT email, shipping_address->>'name' AS name, billing_address->>'country' AS country,
                notes, total_cents FROM orders WHERE vendor_id = {vendor} AND order_number = '{number}'"
    ))
    .get_result(&mut test.owner_conn())
    .unwrap()
}

#[test]
fn the_list_sums_what_each_customer_bought_and_searches_names_and_emails() {
    let test = TestDb::with_two_vendors();
    let s = PgCustomers::new(
        test.db(),
        Arc::new(PasswordHasher::new(4).unwrap()),
        chrono::Duration::hours(1),
    );
    let lea = register(&s, &ALPHA, "lea@example.lu", "Léa");
    let max = register(&s, &ALPHA, "max@example.lu", "Max");
    let other = register(&s, &BETA, "lea@example.lu", "Léa");
    order(
        &test,
        10,
        "A-1",
        Some(lea),
        "lea@example.lu",
        (5000, 1000),
        "delivered",
    );
    order(
        &test,
        10,
        "A-2",
        Some(lea),
        "lea@example.lu",
        (2500, 0),
        "pending",
    );
    order(
        &test,
        10,
        "A-3",
        Some(lea),
        "lea@example.lu",
        (9900, 0),
        "cancelled",
    );
    order(
        &test,
        20,
        "B-1",
        Some(other),
        "lea@example.lu",
        (100_000, 0),
        "delivered",
    );

    let page = s.list(&ALPHA, &CustomerQuery::default()).unwrap();
    assert_eq!(page.total, 2);
    let stats: Vec<(i64, i64, i64)> = page
        .items
        .iter()
        .map(|c| (c.id, c.order_count, c.total_spent_cents))
        .collect();
    assert_eq!(
        stats,
        vec![(max, 0, 0), (lea, 2, 6500)],
        "newest first; cancelled aside, refund deducted"
    );

    let found = s
        .list(
            &ALPHA,
            &CustomerQuery {
                q: Some("léa sch".into()),
                ..CustomerQuery::default()
            },
        )
        .unwrap();
    assert_eq!(
        found.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![lea]
    );
    let found = s
        .list(
            &ALPHA,
            &CustomerQuery {
                q: Some("MAX@".into()),
                ..CustomerQuery::default()
            },
        )
        .unwrap();
    assert_eq!(
        found.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![max]
    );
    let literal = s
        .list(
            &ALPHA,
            &CustomerQuery {
                q: Some("%".into()),
                ..CustomerQuery::default()
            },
        )
        .unwrap();
    assert_eq!(literal.total, 0, "a % is searched for, not a wildcard");

    // Closing an account; the other shop's customer is out of reach.
    let closed = s
        .set_active(
            &ALPHA,
            &actor(),
            db::CustomerId(max),
            &AccountState { is_active: false },
        )
        .unwrap();
    assert!(!closed.customer.is_active);
    let open_only = s
        .list(
            &ALPHA,
            &CustomerQuery {
                active: Some(true),
                ..CustomerQuery::default()
            },
        )
        .unwrap();
    assert_eq!(
        open_only.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![lea]
    );
    assert!(matches!(
        s.detail(&ALPHA, db::CustomerId(other)),
        Err(CustomerError::NotFound)
    ));
    assert!(matches!(
        s.set_active(
            &ALPHA,
            &actor(),
            db::CustomerId(other),
            &AccountState { is_active: false }
        ),
        Err(CustomerError::NotFound)
    ));
}

#[test]
fn erasure_removes_the_person_everywhere_and_keeps_the_amounts() {
    let test = TestDb::with_two_vendors();
    let s = PgCustomers::new(
        test.db(),
        Arc::new(PasswordHasher::new(4).unwrap()),
        chrono::Duration::hours(1),
    );
    let lea = register(&s, &ALPHA, "lea@example.lu", "Léa");
    let twin = register(&s, &BETA, "lea@example.lu", "Léa");
    s.add_address(
        &ALPHA,
        db::CustomerId(lea),
        &AddressInput {
            label: "home".into(),
            name: "Léa Schmit".into(),
            street: "1 rue du Fort".into(),
            postal_code: "L-1234".into(),
            city: "Luxembourg".into(),
            country: "LU".into(),
            phone: None,
            is_default_shipping: true,
            is_default_billing: true,
        },
    )
    .unwrap();
    order(
        &test,
        10,
        "A-1",
        Some(lea),
        "lea@example.lu",
        (5000, 0),
        "delivered",
    );
    order(
        &test,
        10,
        "A-2",
        None,
        "lea@example.lu",
        (1200, 0),
        "pending",
    );
    order(
        &test,
        20,
        "B-1",
        Some(twin),
        "lea@example.lu",
        (7000, 0),
        "delivered",
    );

    let erased = s.erase(&ALPHA, &actor(), db::CustomerId(lea)).unwrap();
    let placeholder = format!("erased-{lea}@erased.invalid");
    assert_eq!(erased.customer.email, placeholder);
    assert_eq!(
        (
            erased.customer.first_name.as_str(),
            erased.customer.phone.as_deref()
        ),
        ("Erased", None)
    );
    assert!(!erased.customer.is_active && erased.customer.erased_at.is_some());
    assert!(erased.addresses.is_empty());
    assert_eq!(
        (
            erased.customer.order_count,
            erased.customer.total_spent_cents
        ),
        (1, 5000),
        "the amounts stay"
    );
    for number in ["A-1", "A-2"] {
        assert_eq!(
            order_row(&test, 10, number),
            OrderRow {
                email: placeholder.clone(),
                name: "Erased".into(),
                country: "LU".into(),
                notes: String::new(),
                total_cents: if number == "A-1" { 5000 } else { 1200 },
            },
            "{number}: the account's and the guest order under the same e-mail"
        );
    }
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let left: i64 = diesel::sql_query(
        "SELECT count(*)::bigint AS n FROM outbound_emails WHERE vendor_id = 10 AND (to_address = 'lea@example.lu' OR context::text LIKE '%A-%')",
    )
    .get_result::<Count>(&mut test.owner_conn())
    .unwrap()
    .n;
    assert_eq!(left, 0, "the e-mails about her are blanked");
    assert_eq!(
        order_row(&test, 20, "B-1").email,
        "lea@example.lu",
        "the other shop's account is another person's business"
    );
    assert_eq!(
        s.detail(&BETA, db::CustomerId(twin))
            .unwrap()
            .customer
            .first_name,
        "Léa"
    );
    assert!(matches!(
        s.erase(&ALPHA, &actor(), db::CustomerId(lea)),
        Err(CustomerError::Erased)
    ));
    assert!(matches!(
        s.set_active(
            &ALPHA,
            &actor(),
            db::CustomerId(lea),
            &AccountState { is_active: true }
        ),
        Err(CustomerError::Erased)
    ));
    assert!(matches!(
        s.erase(&BETA, &actor(), db::CustomerId(lea)),
        Err(CustomerError::NotFound)
    ));
}
