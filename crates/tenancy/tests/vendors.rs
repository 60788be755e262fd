//! Vendor management and request resolution against a real database.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use std::sync::Arc;

use auth::PasswordHasher;
use db::test_support::TestDb;
use db::users::NewUser;
use db::{Email, PlatformScope, TenantScope, UserId, VendorId};
use diesel::prelude::*;
use tenancy::{
    Actor, CreateVendor, PgResolver, PgVendors, RequestTarget, TenancyError, UpdateVendor,
    VendorListQuery, VendorResolver, VendorService,
};

struct Fixture {
    test: TestDb,
    vendors: PgVendors,
    actor: Actor,
}

fn fixture() -> Fixture {
    let test = TestDb::new();
    let admin = test
        .db()
        .unscoped(|tx| {
            db::users::insert(
                tx,
                &NewUser {
                    email: &Email::new("root@wizamart.lu"),
                    password_hash: "x",
                    first_name: "",
                    last_name: "",
                    is_platform_admin: true,
                },
            )
        })
        .unwrap();
    let vendors = PgVendors::new(
        test.db(),
        Arc::new(PasswordHasher::new(4).unwrap()),
        Arc::new(teams::PgTeams::new(test.db())),
        Arc::new(inventory::PgInventory::new(test.db())),
    );
    let actor = Actor {
        user_id: admin.id,
        ip: Some("127.0.0.1".into()),
        request_id: Some("req-1".into()),
        on_behalf: None,
    };
    Fixture {
        test,
        vendors,
        actor,
    }
}

fn input(code: &str, owner: &str) -> CreateVendor {
    CreateVendor {
        code: code.into(),
        name: format!("Shop {code}"),
        subdomain: None,
        owner_email: owner.into(),
        owner_first_name: "Ana".into(),
        owner_last_name: "Muller".into(),
        business_email: None,
        business_phone: None,
        business_address: None,
        description: Some("  Fine things  ".into()),
    }
}

const PLATFORM: PlatformScope = PlatformScope::trusted();

#[test]
fn creating_a_vendor_creates_its_owner_roles_settings_and_an_audit_entry() {
    let f = fixture();
    let created = f
        .vendors
        .create(&PLATFORM, &f.actor, &input("luxtech", "Owner@LuxTech.lu"))
        .unwrap();
    assert_eq!(created.vendor.code, "luxtech");
    assert_eq!(
        created.vendor.subdomain, "luxtech",
        "the subdomain defaults to the code"
    );
    assert_eq!(created.vendor.description, "Fine things");
    assert_eq!(
        created.owner.email, "owner@luxtech.lu",
        "e-mails are stored lower-case"
    );
    let password = created
        .temporary_password
        .clone()
        .expect("a new owner gets a temporary password");
    assert!(password.len() >= 12);

    let mut conn = f.test.owner_conn();
    let hash: String = db::schema::users::table
        .find(created.owner.id)
        .select(db::schema::users::password_hash)
        .first(&mut conn)
        .unwrap();
    assert!(
        PasswordHasher::new(4)
            .unwrap()
            .verify(&password, Some(&hash)),
        "only the hash is stored, and it matches"
    );

    let roles: Vec<String> = db::schema::roles::table
        .filter(db::schema::roles::vendor_id.eq(created.vendor.id))
        .order(db::schema::roles::id)
        .select(db::schema::roles::name)
        .load(&mut conn)
        .unwrap();
    assert_eq!(roles, ["Owner", "Manager", "Editor", "Viewer"]);

    let teams = teams::PgTeams::new(f.test.db());
    let membership = teams::TeamService::active_member(
        &teams,
        &TenantScope::trusted(created.vendor.id),
        created.owner.id,
    )
    .expect("the owner is an active member");
    assert_eq!(membership.role, "Owner");
    assert!(membership.has(teams::Permission::TeamManage));

    let settings: i64 = db::schema::vendor_settings::table
        .filter(db::schema::vendor_settings::vendor_id.eq(created.vendor.id))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(settings, 1);

    let (action, actor, request_id): (String, Option<UserId>, Option<String>) =
        db::schema::audit_logs::table
            .filter(db::schema::audit_logs::vendor_id.eq(created.vendor.id))
            .select((
                db::schema::audit_logs::action,
                db::schema::audit_logs::actor_user_id,
                db::schema::audit_logs::request_id,
            ))
            .first(&mut conn)
            .unwrap();
    assert_eq!(
        (action.as_str(), actor, request_id.as_deref()),
        ("vendor.create", Some(f.actor.user_id), Some("req-1"))
    );
}

#[test]
fn an_existing_account_becomes_owner_without_a_new_password() {
    let f = fixture();
    let first = f
        .vendors
        .create(&PLATFORM, &f.actor, &input("first", "multi@x.lu"))
        .unwrap();
    let second = f
        .vendors
        .create(&PLATFORM, &f.actor, &input("second", "MULTI@x.lu"))
        .unwrap();
    assert_eq!(first.owner.id, second.owner.id);
    assert!(second.temporary_password.is_none());
}

#[test]
fn codes_and_subdomains_are_unique_and_a_failed_create_leaves_nothing_behind() {
    let f = fixture();
    f.vendors
        .create(&PLATFORM, &f.actor, &input("luxtech", "a@x.lu"))
        .unwrap();
    let again = f
        .vendors
        .create(&PLATFORM, &f.actor, &input("luxtech", "b@x.lu"));
    assert!(
        matches!(again, Err(TenancyError::CodeTaken(ref c)) if c == "luxtech"),
        "{again:?}"
    );
    let mut clash = input("other", "c@x.lu");
    clash.subdomain = Some("luxtech".into());
    let clash = f.vendors.create(&PLATFORM, &f.actor, &clash);
    assert!(
        matches!(clash, Err(TenancyError::SubdomainTaken(ref s)) if s == "luxtech"),
        "{clash:?}"
    );
    let users: i64 = db::schema::users::table
        .count()
        .get_result(&mut f.test.owner_conn())
        .unwrap();
    assert_eq!(
        users, 2,
        "the admin and the first owner: refused creates rolled their owners back"
    );
}

#[test]
fn invalid_input_names_the_fields() {
    let f = fixture();
    let mut bad = input("Bad Code", "not-an-email");
    bad.name = String::new();
    let Err(TenancyError::Validation(errors)) = f.vendors.create(&PLATFORM, &f.actor, &bad) else {
        panic!("expected a validation error");
    };
    let fields = errors.field_errors();
    for field in ["code", "owner_email", "name"] {
        assert!(
            fields.contains_key(field),
            "{field} should be reported: {fields:?}"
        );
    }
}

#[test]
fn list_searches_filters_and_pages() {
    let f = fixture();
    for code in ["alpha", "beta", "gamma"] {
        f.vendors
            .create(&PLATFORM, &f.actor, &input(code, &format!("{code}@x.lu")))
            .unwrap();
    }
    let beta = f
        .vendors
        .list(
            &PLATFORM,
            &VendorListQuery {
                q: Some("BET".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        beta.items
            .iter()
            .map(|v| v.code.as_str())
            .collect::<Vec<_>>(),
        ["beta"]
    );
    let id = beta.items[0].id;
    f.vendors
        .set_active(&PLATFORM, &f.actor, id, false)
        .unwrap();
    f.vendors
        .set_verified(&PLATFORM, &f.actor, id, true)
        .unwrap();
    let inactive = f
        .vendors
        .list(
            &PLATFORM,
            &VendorListQuery {
                is_active: Some(false),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        (inactive.total, inactive.items[0].code.as_str()),
        (1, "beta")
    );
    let verified = f
        .vendors
        .list(
            &PLATFORM,
            &VendorListQuery {
                is_verified: Some(true),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(verified.total, 1);
    let page2 = f
        .vendors
        .list(
            &PLATFORM,
            &VendorListQuery {
                page: Some(2),
                per_page: Some(2),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        (page2.total, page2.items.len(), page2.items[0].code.as_str()),
        (3, 1, "alpha"),
        "newest first"
    );
    let literal = f
        .vendors
        .list(
            &PLATFORM,
            &VendorListQuery {
                q: Some("%".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(literal.total, 0, "search text is matched literally");
}

#[test]
fn update_changes_only_given_fields_and_clears_explicit_nulls() {
    let f = fixture();
    let mut with_phone = input("store", "o@x.lu");
    with_phone.business_phone = Some("+352 1".into());
    let created = f.vendors.create(&PLATFORM, &f.actor, &with_phone).unwrap();
    let update: UpdateVendor =
        serde_json::from_str(r#"{"name": "New name", "business_phone": null}"#).unwrap();
    let updated = f
        .vendors
        .update(&PLATFORM, &f.actor, created.vendor.id, &update)
        .unwrap();
    assert_eq!(updated.name, "New name");
    assert_eq!(updated.business_phone, None);
    assert_eq!(updated.description, "Fine things", "untouched fields stay");
    let missing = f
        .vendors
        .update(&PLATFORM, &f.actor, VendorId(999_999), &update);
    assert!(matches!(missing, Err(TenancyError::NotFound)));
}

#[test]
fn soft_delete_hides_the_vendor_and_keeps_its_code_reserved() {
    let f = fixture();
    let created = f
        .vendors
        .create(&PLATFORM, &f.actor, &input("gone", "g@x.lu"))
        .unwrap();
    f.vendors
        .delete(&PLATFORM, &f.actor, created.vendor.id)
        .unwrap();
    assert!(matches!(
        f.vendors.get(&PLATFORM, created.vendor.id),
        Err(TenancyError::NotFound)
    ));
    assert_eq!(
        f.vendors
            .list(&PLATFORM, &VendorListQuery::default())
            .unwrap()
            .total,
        0
    );
    assert!(matches!(
        f.vendors.delete(&PLATFORM, &f.actor, created.vendor.id),
        Err(TenancyError::NotFound)
    ));
    let reuse = f
        .vendors
        .create(&PLATFORM, &f.actor, &input("gone", "h@x.lu"));
    assert!(matches!(reuse, Err(TenancyError::CodeTaken(_))));
    let resolver = PgResolver::new(f.test.db(), "wizamart.lu");
    assert!(
        resolver.by_code("gone").unwrap().is_none(),
        "a deleted vendor resolves to nothing"
    );
}

#[test]
fn requests_resolve_by_custom_domain_subdomain_and_path() {
    let f = fixture();
    let lux = f
        .vendors
        .create(&PLATFORM, &f.actor, &input("luxtech", "a@x.lu"))
        .unwrap()
        .vendor;
    let mut b = input("bakery", "b@x.lu");
    b.subdomain = Some("brot".into());
    let bakery = f.vendors.create(&PLATFORM, &f.actor, &b).unwrap().vendor;
    diesel::sql_query(format!(
        "INSERT INTO vendor_domains (vendor_id, domain, is_primary, verified_at) VALUES
           ({0}, 'shop.bakery.lu', true, now()), ({0}, 'pending.bakery.lu', false, NULL)",
        bakery.id
    ))
    .execute(&mut f.test.owner_conn())
    .unwrap();
    let resolver = PgResolver::new(f.test.db(), "wizamart.lu");
    let resolve = |host: &str, path: &str| {
        resolver
            .resolve(&RequestTarget { host, path })
            .unwrap()
            .map(|v| v.code)
    };

    assert_eq!(
        resolve("Shop.Bakery.lu:443", "/"),
        Some("bakery".into()),
        "custom domain"
    );
    assert_eq!(
        resolve("brot.wizamart.lu", "/products"),
        Some("bakery".into()),
        "subdomain"
    );
    assert_eq!(
        resolve("wizamart.lu", "/shop/luxtech/products"),
        Some("luxtech".into()),
        "path"
    );
    assert_eq!(
        resolve("localhost:8080", "/vendor/luxtech/login"),
        Some("luxtech".into()),
        "path on localhost"
    );
    assert_eq!(resolve("wizamart.lu", "/shop/nobody/"), None);
    assert_eq!(
        resolve("unknown.example", "/shop/luxtech/"),
        None,
        "an unknown custom domain is not a path fallback"
    );
    assert_eq!(resolve("admin.wizamart.lu", "/admin"), None);
    assert_eq!(
        resolve("pending.bakery.lu", "/"),
        None,
        "a domain not yet verified routes nowhere"
    );
    assert!(
        resolver.is_vendor_host("brot.wizamart.lu")
            && resolver.is_vendor_host("shop.bakery.lu:443")
    );
    assert!(
        !resolver.is_vendor_host("wizamart.lu")
            && !resolver.is_vendor_host("admin.wizamart.lu")
            && !resolver.is_vendor_host("localhost:8080")
            && !resolver.is_vendor_host("127.0.0.1:8080"),
        "the platform's own hosts"
    );

    f.vendors
        .set_active(&PLATFORM, &f.actor, lux.id, false)
        .unwrap();
    assert_eq!(
        resolve("luxtech.wizamart.lu", "/"),
        None,
        "an inactive vendor resolves to nothing"
    );
    assert_eq!(resolve("wizamart.lu", "/shop/luxtech/"), None);
    let resolved = resolver.by_code("bakery").unwrap().unwrap();
    assert_eq!(resolved.scope, TenantScope::trusted(bakery.id));
}
