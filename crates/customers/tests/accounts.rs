//! Customer accounts against a real database: per-vendor accounts, profile, address book
//! defaults, password change and reset links.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use std::sync::Arc;

use auth::PasswordHasher;
use customers::{
    AddressInput, CustomerError, CustomerService, PasswordChange, PasswordReset, PgCustomers,
    ProfileUpdate, Register, ResetRequest,
};
use db::test_support::TestDb;
use db::{AddressId, CustomerId, TenantScope, VendorId};
use diesel::prelude::*;

const ALPHA: TenantScope = TenantScope::trusted(VendorId(10));
const BETA: TenantScope = TenantScope::trusted(VendorId(20));

fn service(test: &TestDb) -> PgCustomers {
    PgCustomers::new(
        test.db(),
        Arc::new(PasswordHasher::new(4).unwrap()),
        chrono::Duration::hours(1),
    )
}

fn register(email: &str) -> Register {
    Register {
        email: email.into(),
        password: "a long password".into(),
        first_name: "Léa".into(),
        last_name: "Schmit".into(),
        phone: None,
        language: None,
    }
}

fn address(name: &str, shipping: bool, billing: bool) -> AddressInput {
    AddressInput {
        label: String::new(),
        name: name.into(),
        street: "1 rue du Fort".into(),
        postal_code: "L-1234".into(),
        city: "Luxembourg".into(),
        country: "LU".into(),
        phone: None,
        is_default_shipping: shipping,
        is_default_billing: billing,
    }
}

#[test]
fn the_same_email_is_one_account_per_shop() {
    let test = TestDb::with_two_vendors();
    let s = service(&test);
    let a = s.register(&ALPHA, &register("Lea@Example.lu")).unwrap();
    assert_eq!(a.email, "lea@example.lu");
    assert!(matches!(
        s.register(&ALPHA, &register("lea@example.LU")),
        Err(CustomerError::EmailTaken)
    ));
    let b = s.register(&BETA, &register("lea@example.lu")).unwrap();
    assert_ne!(a.id, b.id);
    // Alpha's customer is not beta's.
    assert!(matches!(
        s.profile(&BETA, a.id),
        Err(CustomerError::NotFound)
    ));
}

#[test]
fn bad_registrations_are_refused_with_their_fields() {
    let test = TestDb::with_two_vendors();
    let s = service(&test);
    let mut bad = register("not-an-email");
    bad.password = "short".into();
    bad.first_name = "   ".into();
    let Err(CustomerError::Validation(errors)) = s.register(&ALPHA, &bad) else {
        panic!("expected validation errors");
    };
    let fields = errors.field_errors();
    for field in ["email", "password", "first_name"] {
        assert!(fields.contains_key(field), "{field} not reported");
    }
}

#[test]
fn profile_updates_change_only_what_is_given() {
    let test = TestDb::with_two_vendors();
    let s = service(&test);
    let c = s.register(&ALPHA, &register("p@example.lu")).unwrap();
    let phone: ProfileUpdate = serde_json::from_str(r#"{"phone": "+352 621 000 000"}"#).unwrap();
    let updated = s.update_profile(&ALPHA, c.id, &phone).unwrap();
    assert_eq!(
        (updated.first_name.as_str(), updated.phone.as_deref()),
        ("Léa", Some("+352 621 000 000"))
    );
    let clear: ProfileUpdate = serde_json::from_str(r#"{"phone": null}"#).unwrap();
    assert_eq!(s.update_profile(&ALPHA, c.id, &clear).unwrap().phone, None);
}

#[test]
fn one_default_address_of_each_kind() {
    let test = TestDb::with_two_vendors();
    let s = service(&test);
    let c = s.register(&ALPHA, &register("a@example.lu")).unwrap();
    let first = s
        .add_address(&ALPHA, c.id, &address("Home", false, false))
        .unwrap();
    assert!(first.is_default_shipping && first.is_default_billing);
    let office = s
        .add_address(&ALPHA, c.id, &address("Office", true, false))
        .unwrap();
    let book = s.addresses(&ALPHA, c.id).unwrap();
    let defaults: Vec<(&str, bool, bool)> = book
        .iter()
        .map(|a| (a.name.as_str(), a.is_default_shipping, a.is_default_billing))
        .collect();
    assert_eq!(
        defaults,
        vec![("Home", false, true), ("Office", true, false)]
    );
    s.delete_address(&ALPHA, c.id, office.id).unwrap();
    assert_eq!(s.addresses(&ALPHA, c.id).unwrap().len(), 1);

    // Another customer (at the same shop or another) cannot touch the address.
    let other = s.register(&ALPHA, &register("o@example.lu")).unwrap();
    assert!(matches!(
        s.replace_address(&ALPHA, other.id, first.id, &address("Mine", false, false)),
        Err(CustomerError::AddressNotFound)
    ));
    assert!(matches!(
        s.delete_address(&BETA, c.id, first.id),
        Err(CustomerError::AddressNotFound)
    ));
    assert!(matches!(
        s.delete_address(&ALPHA, c.id, AddressId(first.id.0 + 1000)),
        Err(CustomerError::AddressNotFound)
    ));
}

fn live_sessions(test: &TestDb, customer: CustomerId) -> i64 {
    use db::schema::refresh_tokens::dsl as rt;
    rt::refresh_tokens
        .filter(rt::customer_id.eq(customer))
        .filter(rt::revoked_at.is_null())
        .count()
        .get_result(&mut test.owner_conn())
        .unwrap()
}

fn add_session(test: &TestDb, customer: CustomerId) {
    diesel::sql_query(format!(
        "INSERT INTO refresh_tokens (token_hash, family, principal_kind, customer_id, vendor_id, expires_at)
         VALUES (md5(random()::text), gen_random_uuid(), 'customer', {customer}, 10, now() + interval '1 day')"
    ))
    .execute(&mut test.owner_conn())
    .unwrap();
}

#[test]
fn changing_the_password_needs_the_current_one_and_ends_every_session() {
    let test = TestDb::with_two_vendors();
    let s = service(&test);
    let c = s.register(&ALPHA, &register("c@example.lu")).unwrap();
    add_session(&test, c.id);
    let wrong = PasswordChange {
        current_password: "not it at all".into(),
        new_password: "another long one".into(),
    };
    assert!(matches!(
        s.change_password(&ALPHA, c.id, &wrong),
        Err(CustomerError::WrongPassword)
    ));
    assert_eq!(live_sessions(&test, c.id), 1);
    let right = PasswordChange {
        current_password: "a long password".into(),
        ..wrong
    };
    s.change_password(&ALPHA, c.id, &right).unwrap();
    assert_eq!(live_sessions(&test, c.id), 0);
}

#[test]
fn a_reset_link_works_once_at_its_own_shop() {
    let test = TestDb::with_two_vendors();
    let s = service(&test);
    let c = s.register(&ALPHA, &register("r@example.lu")).unwrap();
    add_session(&test, c.id);
    let unknown = s
        .request_reset(
            &ALPHA,
            &ResetRequest {
                email: "nobody@example.lu".into(),
                language: None,
            },
        )
        .unwrap();
    assert!(unknown.is_none());
    let link = s
        .request_reset(
            &ALPHA,
            &ResetRequest {
                email: "R@example.lu".into(),
                language: Some(catalog::Language::En),
            },
        )
        .unwrap()
        .expect("a link for a real account");
    assert_eq!(link.customer.id, c.id);
    let queued: Vec<(String, String, String)> = {
        use db::schema::outbound_emails::dsl as e;
        e::outbound_emails
            .filter(e::to_address.eq("r@example.lu"))
            .order(e::id)
            .select((e::template, e::language, e::context))
            .load::<(String, String, serde_json::Value)>(&mut test.owner_conn())
            .unwrap()
            .into_iter()
            .map(|(t, l, c)| (t, l, c["token"].as_str().unwrap_or_default().to_owned()))
            .collect()
    };
    assert_eq!(
        queued,
        vec![
            ("welcome".to_owned(), "fr".to_owned(), String::new()),
            (
                "password_reset".to_owned(),
                "en".to_owned(),
                link.token.clone()
            )
        ],
        "the welcome and the reset e-mail, with the link's token"
    );
    let reset = PasswordReset {
        token: link.token.clone(),
        new_password: "a brand new password".into(),
    };
    // Another shop does not know the link.
    assert!(matches!(
        s.reset_password(&BETA, &reset),
        Err(CustomerError::ResetLinkInvalid)
    ));
    assert_eq!(s.reset_password(&ALPHA, &reset).unwrap().id, c.id);
    assert_eq!(live_sessions(&test, c.id), 0);
    assert!(matches!(
        s.reset_password(&ALPHA, &reset),
        Err(CustomerError::ResetLinkInvalid)
    ));
    // The new password is the one that works now.
    let change = PasswordChange {
        current_password: "a brand new password".into(),
        new_password: "yet another password".into(),
    };
    s.change_password(&ALPHA, c.id, &change).unwrap();
}
