//! Demo data: one admin and two vendors with their owners, products, a shop customer with
//! an address and two orders at luxtech, created through the same services the API uses. Idempotent: what exists is kept, except that the demo logins' passwords
//! are set to the documented ones on every run (so they work whatever happened before).

use std::fmt::Write;
use std::sync::Arc;

use auth::PasswordHasher;
use catalog::Language;
use db::{Db, Email, PlatformScope, TenantScope};
use teams::PgTeams;
use tenancy::{Actor, CreateVendor, PgVendors, VendorService};

pub const DEMO_ADMIN_EMAIL: &str = "admin@wizamart.local";
pub const DEMO_ADMIN_PASSWORD: &str = "admin-demo-2026";
pub const DEMO_OWNER_PASSWORD: &str = "owner-demo-2026";
pub const DEMO_VENDOR_CODES: [&str; 2] = ["luxtech", "bakery"];
pub const DEMO_CUSTOMER_EMAIL: &str = "client@example.lu";
pub const DEMO_CUSTOMER_PASSWORD: &str = "customer-demo-2026";

struct DemoVendor {
    code: &'static str,
    /// How many demo products (SKU prefix: the code in capitals).
    products: i64,
    /// The sample Letzshop feeds imported into its staging area (`tests/data/letzshop/clean/
    /// {name}_{fr,de,en}.csv`), waiting to be published.
    feed: Option<&'static str>,
    name: &'static str,
    owner_email: &'static str,
    owner_first_name: &'static str,
    owner_last_name: &'static str,
    description: &'static str,
}

const VENDORS: [DemoVendor; 2] = [
    DemoVendor {
        code: "luxtech",
        products: 36,
        feed: Some("luxtech"),
        name: "LuxTech Electronics",
        owner_email: "owner@luxtech.lu",
        owner_first_name: "Marie",
        owner_last_name: "Schmit",
        description: "Electronics and accessories from Luxembourg City.",
    },
    DemoVendor {
        code: "bakery",
        products: 24,
        feed: None,
        name: "Boulangerie Esch",
        owner_email: "owner@bakery.lu",
        owner_first_name: "Luc",
        owner_last_name: "Weber",
        description: "Bread, pastries and coffee from Esch-sur-Alzette.",
    },
];

/// The operator's handle on the database: a small pool switched to the application role,
/// like the server's.
fn database(url: &str) -> Db {
    Db::new(db::build_pool(url, 2, db::LoginPolicy::Allow))
}

/// Creates the admin, or makes an existing user an admin with this password. Answers
/// whether the account is new.
pub fn upsert_admin(
    url: &str,
    cost: u32,
    email: &str,
    password: &str,
) -> Result<bool, Box<dyn std::error::Error>> {
    let hash = PasswordHasher::new(cost)?.hash(password)?;
    let email = Email::new(email);
    let created = database(url).unscoped(|tx| -> Result<bool, db::Error> {
        match db::users::find_by_email(tx, &email)? {
            Some(user) => {
                db::users::promote_to_admin(tx, user.id, &hash)?;
                Ok(false)
            }
            None => {
                db::users::insert(
                    tx,
                    &db::users::NewUser {
                        email: &email,
                        password_hash: &hash,
                        first_name: "Platform",
                        last_name: "Admin",
                        is_platform_admin: true,
                    },
                )?;
                Ok(true)
            }
        }
    })?;
    Ok(created)
}

pub fn run(url: &str, cost: u32) -> Result<String, Box<dyn std::error::Error>> {
    let mut report = String::from("Demo logins\n");
    let db = database(url);
    upsert_admin(url, cost, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)?;
    let admin_email = Email::new(DEMO_ADMIN_EMAIL);
    let admin = db
        .unscoped(|tx| db::users::find_by_email(tx, &admin_email))?
        .ok_or("the demo admin was not created")?
        .id;
    writeln!(
        report,
        "  admin   {DEMO_ADMIN_EMAIL} / {DEMO_ADMIN_PASSWORD}"
    )?;

    let hasher = Arc::new(PasswordHasher::new(cost)?);
    let owner_hash = hasher.hash(DEMO_OWNER_PASSWORD)?;
    let vendors = PgVendors::new(
        db.clone(),
        hasher,
        Arc::new(PgTeams::new(db.clone())),
        Arc::new(inventory::PgInventory::new(db.clone())),
    );
    let actor = Actor {
        user_id: admin,
        ip: None,
        request_id: Some("xtask-seed".into()),
        on_behalf: None,
    };
    for demo in &VENDORS {
        let existing = db.unscoped(|tx| db::vendors::find_by_code(tx, demo.code))?;
        let owner = match existing {
            Some(vendor) => vendor.owner_user_id,
            None => {
                vendors
                    .create(
                        &PlatformScope::trusted(),
                        &actor,
                        &CreateVendor {
                            code: demo.code.into(),
                            name: demo.name.into(),
                            subdomain: None,
                            owner_email: demo.owner_email.into(),
                            owner_first_name: demo.owner_first_name.into(),
                            owner_last_name: demo.owner_last_name.into(),
                            business_email: Some(demo.owner_email.into()),
                            business_phone: None,
                            business_address: None,
                            description: Some(demo.description.into()),
                        },
                    )?
                    .owner
                    .id
            }
        };
        // Demo owners get the documented password instead of a temporary one.
        db.unscoped(|tx| db::users::set_password(tx, owner, &owner_hash))?;
        let vendor = db
            .unscoped(|tx| db::vendors::find_by_code(tx, demo.code))?
            .ok_or("the demo vendor was not created")?;
        let prefix = demo.code.to_uppercase();
        db.tenant(&TenantScope::trusted(vendor.id), |tx| {
            db::catalog::generate(tx, demo.products, &prefix)
        })?;
        writeln!(
            report,
            "  vendor  {} / {}  (vendor code {})",
            demo.owner_email, DEMO_OWNER_PASSWORD, demo.code
        )?;
        if let Some(feed) = demo.feed {
            stage_demo_feed(&db, &TenantScope::trusted(vendor.id), feed)?;
            // The shop with a feed also gets a customer with orders to look at.
            demo_customer(&db, &TenantScope::trusted(vendor.id), cost)?;
            writeln!(
                report,
                "  shop    {DEMO_CUSTOMER_EMAIL} / {DEMO_CUSTOMER_PASSWORD}  (customer of {})",
                demo.code
            )?;
        }
    }
    Ok(report)
}

/// The demo customer (the documented password set again on every run), their address, and
/// two orders of the shop's first products when they have none yet.
fn demo_customer(
    db: &Db,
    scope: &TenantScope,
    cost: u32,
) -> Result<(), Box<dyn std::error::Error>> {
    use customers::CustomerService;
    use orders::{CartService, OrderService};
    let hasher = Arc::new(PasswordHasher::new(cost)?);
    let email = Email::new(DEMO_CUSTOMER_EMAIL);
    let accounts =
        customers::PgCustomers::new(db.clone(), hasher.clone(), chrono::Duration::hours(1));
    let id = match db.tenant(scope, |tx| db::customers::find_by_email(tx, &email))? {
        Some(existing) => existing.id,
        None => {
            let created = accounts.register(
                scope,
                &customers::Register {
                    email: DEMO_CUSTOMER_EMAIL.into(),
                    password: DEMO_CUSTOMER_PASSWORD.into(),
                    first_name: "Léa".into(),
                    last_name: "Muller".into(),
                    phone: None,
                    language: None,
                },
            )?;
            accounts.add_address(scope, created.id, &demo_address())?;
            created.id
        }
    };
    let hash = hasher.hash(DEMO_CUSTOMER_PASSWORD)?;
    let changes = db::customers::CustomerChanges {
        password_hash: Some(&hash),
        ..Default::default()
    };
    db.tenant(scope, |tx| db::customers::update(tx, id, &changes))?;

    let inventory = Arc::new(inventory::PgInventory::new(db.clone()));
    let catalog = Arc::new(catalog::PgCatalog::new(
        db.clone(),
        inventory.clone(),
        media::MediaStore::in_memory("/media"),
    ));
    let orders = orders::PgOrders::new(db.clone(), catalog.clone(), inventory);
    let placed = orders.customer_orders(scope, id, db::pagination::PageRequest::new(None, None))?;
    if placed.total > 0 {
        return Ok(());
    }
    let carts = orders::PgCarts::new(db.clone(), catalog);
    let products = db.tenant(scope, |tx| db::catalog::after(tx, None, 3))?;
    for (n, lines) in [
        &products[..products.len().min(2)],
        &products[products.len().min(2)..],
    ]
    .into_iter()
    .enumerate()
    {
        let session = orders::CartSession::parse(&format!("demo-seed-cart-{n:0>24}"))?;
        for product in lines {
            let line = orders::CartItemInput {
                product_id: product.id,
                quantity: 1,
            };
            carts.add(scope, &session, &line, None)?;
        }
        let address = demo_address();
        orders.checkout(
            scope,
            orders::Buyer::Customer(id),
            &orders::CheckoutInput {
                cart_session: session.as_str().to_owned(),
                email: None,
                shipping_address: customers::PostalAddress {
                    name: address.name,
                    street: address.street,
                    postal_code: address.postal_code,
                    city: address.city,
                    country: address.country,
                    phone: None,
                },
                billing_address: None,
                shipping_method: orders::ShippingMethod::Delivery,
                payment_method: orders::PaymentMethod::BankTransfer,
                notes: None,
                language: None,
            },
            Some(&format!("demo-seed-{n}")),
        )?;
    }
    demo_fulfilment(db, scope, &orders, id)
}

/// The shop's bank account for transfers, and its first demo order paid and shipped (with a
/// tracking link), so the dashboard, the order pages and the customer's history have
/// something to show.
fn demo_fulfilment(
    db: &Db,
    scope: &TenantScope,
    orders: &orders::PgOrders,
    customer: db::CustomerId,
) -> Result<(), Box<dyn std::error::Error>> {
    use orders::OrderService;
    let vendor_id = scope.vendor_id();
    let owner = db
        .tenant(scope, |tx| db::vendors::find(tx, vendor_id))?
        .map(|v| v.owner_user_id)
        .ok_or("the demo shop has no owner")?;
    let actor = db::audit::Actor {
        user_id: owner,
        ip: None,
        request_id: None,
        on_behalf: None,
    };
    let settings = orders::CheckoutSettings {
        bank_account: Some(orders::BankAccount {
            holder: "LuxTech SARL".into(),
            iban: "LU28 0019 4006 4475 0000".into(),
            bic: Some("BCEELULL".into()),
        }),
        ..orders::CheckoutSettings::default()
    };
    orders.set_settings(scope, &actor, &settings)?;
    let placed = orders.customer_orders(
        scope,
        customer,
        db::pagination::PageRequest::new(None, None),
    )?;
    let first = placed
        .items
        .last()
        .map(|o| o.order_number.clone())
        .ok_or("the demo customer has no order")?;
    orders.mark_paid(scope, &actor, &first, &orders::MarkPaid::default())?;
    for (status, tracking) in [
        (orders::OrderStatus::Processing, None),
        (orders::OrderStatus::Shipped, Some("JD014600006281")),
    ] {
        orders.change_status(
            scope,
            owner,
            &first,
            &orders::StatusChange {
                status,
                note: None,
                carrier: tracking.map(|_| orders::Carrier::Dhl),
                tracking_number: tracking.map(str::to_owned),
            },
        )?;
    }
    Ok(())
}

fn demo_address() -> customers::AddressInput {
    customers::AddressInput {
        label: "Home".into(),
        name: "Léa Muller".into(),
        street: "12 rue de la Gare".into(),
        postal_code: "L-1611".into(),
        city: "Luxembourg".into(),
        country: "LU".into(),
        phone: None,
        is_default_shipping: true,
        is_default_billing: true,
    }
}

/// Imports the sample feeds into a vendor's staging area, once (a vendor with imports keeps
/// them).
fn stage_demo_feed(
    db: &Db,
    scope: &TenantScope,
    name: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let (_, imports) = db.tenant(scope, |tx| db::marketplace_imports::page(tx, 1, 0))?;
    if imports > 0 {
        return Ok(());
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/letzshop/clean");
    for language in [Language::Fr, Language::De, Language::En] {
        let file_name = format!("{name}_{}.csv", language.as_str());
        let file = std::fs::File::open(dir.join(&file_name))?;
        marketplace::staging::stage_file(db, scope, language, &file_name, file)?;
    }
    Ok(())
}

/// Adds `count` generated products (with inventory) to one vendor's catalogue; SKUs `GEN-n`,
/// so running it again adds nothing twice.
pub fn generate(url: &str, code: &str, count: i64) -> Result<String, Box<dyn std::error::Error>> {
    let db = database(url);
    let vendor = db
        .unscoped(|tx| db::vendors::find_by_code(tx, code))?
        .ok_or_else(|| format!("no vendor with the code '{code}'"))?;
    let started = std::time::Instant::now();
    let added = db.tenant(&TenantScope::trusted(vendor.id), |tx| {
        db::catalog::generate(tx, count, "GEN")
    })?;
    // Fresh statistics, or the planner takes 100,000 new rows for one (as the owner: ANALYZE
    // is the table owner's).
    use diesel::{Connection, RunQueryDsl};
    diesel::sql_query(
        "ANALYZE products, product_translations, product_search, inventory, inventory_movements",
    )
    .execute(&mut diesel::PgConnection::establish(url)?)?;
    Ok(format!(
        "{added} products added to {code} in {:.1} s",
        started.elapsed().as_secs_f64()
    ))
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;

    use super::*;

    #[test]
    fn seeding_twice_gives_the_demo_data_once_with_working_logins() {
        let test = db::test_support::TestDb::new();
        let first = run(test.url(), 4).unwrap();
        let second = run(test.url(), 4).unwrap();
        assert_eq!(first, second, "the report lists the same logins");
        assert!(first.contains(DEMO_ADMIN_EMAIL) && first.contains("luxtech"));

        let mut conn = test.owner_conn();
        let users: i64 = db::schema::users::table
            .count()
            .get_result(&mut conn)
            .unwrap();
        let vendors: Vec<String> = db::schema::vendors::table
            .order(db::schema::vendors::code)
            .select(db::schema::vendors::code)
            .load(&mut conn)
            .unwrap();
        assert_eq!(
            (users, vendors),
            (3, vec!["bakery".to_owned(), "luxtech".to_owned()])
        );
        let products: i64 = db::schema::products::table
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(products, 60, "36 + 24 demo products, once");
        let staged: i64 = db::schema::marketplace_products::table
            .count()
            .get_result(&mut conn)
            .unwrap();
        let imports: Vec<String> = db::schema::marketplace_imports::table
            .order(db::schema::marketplace_imports::id)
            .select(db::schema::marketplace_imports::status)
            .load(&mut conn)
            .unwrap();
        assert_eq!(staged, 250, "the sample feed staged once");
        assert_eq!(imports, ["completed", "completed", "completed"]);
        let unexplained: i64 = diesel::sql_query(
            "SELECT count(*) AS n FROM inventory i WHERE quantity <> (SELECT coalesce(sum(quantity_delta), 0) FROM inventory_movements m WHERE m.product_id = i.product_id)",
        )
        .get_result::<Count>(&mut conn)
        .unwrap()
        .n;
        assert_eq!(unexplained, 0, "the ledger explains every seeded unit");
        let orders: Vec<(String, String, String, String)> = db::schema::orders::table
            .order(db::schema::orders::order_number)
            .select((
                db::schema::orders::order_number,
                db::schema::orders::email,
                db::schema::orders::status,
                db::schema::orders::payment_status,
            ))
            .load(&mut conn)
            .unwrap();
        let owned = |n: &str, status: &str, paid: &str| {
            (
                n.to_owned(),
                DEMO_CUSTOMER_EMAIL.to_owned(),
                status.to_owned(),
                paid.to_owned(),
            )
        };
        assert_eq!(
            orders,
            [
                owned("LUX-000001", "shipped", "paid"),
                owned("LUX-000002", "pending", "unpaid")
            ],
            "the demo customer's two orders, once: the first paid and shipped"
        );
        let customer: String = db::schema::customers::table
            .select(db::schema::customers::password_hash)
            .first(&mut conn)
            .unwrap();
        assert!(
            PasswordHasher::new(4)
                .unwrap()
                .verify(DEMO_CUSTOMER_PASSWORD, Some(&customer))
        );
        let find = |email: &str| {
            test.db()
                .unscoped(|tx| db::users::find_by_email(tx, &Email::new(email)))
                .unwrap()
                .unwrap()
        };
        let owner = find("owner@luxtech.lu");
        let hasher = PasswordHasher::new(4).unwrap();
        assert!(hasher.verify(DEMO_OWNER_PASSWORD, Some(&owner.password_hash)));
        let admin = find(DEMO_ADMIN_EMAIL);
        assert!(
            admin.is_platform_admin
                && hasher.verify(DEMO_ADMIN_PASSWORD, Some(&admin.password_hash))
        );
    }

    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }

    #[test]
    fn generated_products_are_searchable_and_added_once() {
        let test = db::test_support::TestDb::new();
        run(test.url(), 4).unwrap();
        let report = generate(test.url(), "bakery", 500).unwrap();
        assert!(report.starts_with("500 products added"), "{report}");
        assert!(
            generate(test.url(), "bakery", 500)
                .unwrap()
                .starts_with("0 products")
        );
        let found: i64 = diesel::sql_query(
            "SELECT count(*) AS n FROM product_search WHERE search_vector @@ wz_search_query('echarpe')",
        )
        .get_result::<Count>(&mut test.owner_conn())
        .unwrap()
        .n;
        assert!(
            found >= 50,
            "generated titles are in the search vector ({found})"
        );
        assert!(generate(test.url(), "nobody", 1).is_err());
    }

    #[test]
    fn create_admin_promotes_an_existing_user() {
        let test = db::test_support::TestDb::new();
        db::run_migrations(test.url()).unwrap();
        assert!(upsert_admin(test.url(), 4, "Ops@Wizamart.lu", "first-password").unwrap());
        assert!(!upsert_admin(test.url(), 4, "ops@wizamart.lu", "second-password").unwrap());
        let user = test
            .db()
            .unscoped(|tx| db::users::find_by_email(tx, &Email::new("ops@wizamart.lu")))
            .unwrap()
            .unwrap();
        assert!(
            user.is_platform_admin
                && PasswordHasher::new(4)
                    .unwrap()
                    .verify("second-password", Some(&user.password_hash))
        );
    }
}
