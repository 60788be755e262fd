//! Carts and checkout against a real database: prices from the catalogue, VAT and shipping,
//! reservations with one movement per item, all-or-nothing shortages, idempotent retries,
//! the cart merge on sign-in, and no oversold unit under a crowd of buyers.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use std::sync::Arc;

use catalog::{CatalogService, NewProduct, PgCatalog};
use customers::PostalAddress;
use db::test_support::TestDb;
use db::{CustomerId, ProductId, TenantScope, UserId, VendorId};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use inventory::{InventoryService, NewLocation, PgInventory, SetQuantity};
use orders::{
    Buyer, CartItemInput, CartService, CartSession, CheckoutInput, OrderError, OrderService,
    PaymentMethod, PgCarts, PgOrders, QuantityInput, ShippingMethod,
};

const ALPHA: TenantScope = TenantScope::trusted(VendorId(10));
const BETA: TenantScope = TenantScope::trusted(VendorId(20));

struct Shop {
    test: TestDb,
    catalog: Arc<PgCatalog>,
    inventory: Arc<PgInventory>,
    carts: PgCarts,
    orders: PgOrders,
}

fn shop() -> Shop {
    let test = TestDb::with_two_vendors();
    test.owner_conn()
        .batch_execute(
            "INSERT INTO vendor_settings (vendor_id, default_language) VALUES (10, 'fr'), (20, 'fr');",
        )
        .unwrap();
    let db = test.db();
    let inventory = Arc::new(PgInventory::new(db.clone()));
    for scope in [ALPHA, BETA] {
        db.tenant(&scope, |tx| inventory.provision(tx)).unwrap();
    }
    let catalog = Arc::new(PgCatalog::new(
        db.clone(),
        inventory.clone(),
        media::MediaStore::in_memory("/media"),
    ));
    Shop {
        carts: PgCarts::new(db.clone(), catalog.clone()),
        orders: PgOrders::new(db, catalog.clone(), inventory.clone()),
        test,
        catalog,
        inventory,
    }
}

impl Shop {
    /// An active product with `stock` units at the default location.
    fn product(
        &self,
        scope: &TenantScope,
        sku: &str,
        price: i64,
        sale: Option<i64>,
        stock: i32,
    ) -> ProductId {
        let created = self
            .catalog
            .create(
                scope,
                &NewProduct {
                    sku: sku.into(),
                    title: format!("Produit {sku}"),
                    description: None,
                    language: None,
                    translations: None,
                    price_cents: price,
                    sale_price_cents: sale,
                    currency: None,
                    brand: None,
                    gtin: None,
                    condition: None,
                    is_active: None,
                    is_featured: None,
                    low_inventory_threshold: None,
                },
            )
            .unwrap();
        self.stock(scope, created.id, None, stock);
        created.id
    }

    fn stock(
        &self,
        scope: &TenantScope,
        product: ProductId,
        location: Option<&str>,
        quantity: i32,
    ) {
        self.inventory
            .set(
                scope,
                UserId(1),
                &SetQuantity {
                    product_id: product,
                    location: location.map(str::to_owned),
                    quantity,
                },
            )
            .unwrap();
    }

    fn add(&self, scope: &TenantScope, session: &CartSession, product: ProductId, quantity: i32) {
        self.carts
            .add(
                scope,
                session,
                &CartItemInput {
                    product_id: product,
                    quantity,
                },
                None,
            )
            .unwrap();
    }

    fn reserved(&self, product: ProductId) -> i64 {
        diesel::sql_query(format!(
            "SELECT coalesce(sum(reserved_quantity), 0)::bigint AS n FROM inventory WHERE product_id = {product}"
        ))
        .get_result::<Count>(&mut self.test.owner_conn())
        .unwrap()
        .n
    }

    fn count(&self, sql: &str) -> i64 {
        diesel::sql_query(sql)
            .get_result::<Count>(&mut self.test.owner_conn())
            .unwrap()
            .n
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn session(n: u32) -> CartSession {
    CartSession::parse(&format!("test-session-{n:0>20}")).unwrap()
}

fn address() -> PostalAddress {
    PostalAddress {
        name: "Léa Schmit".into(),
        street: "1 rue du Fort".into(),
        postal_code: "L-1234".into(),
        city: "Luxembourg".into(),
        country: "LU".into(),
        phone: None,
    }
}

fn checkout(session: &CartSession, email: Option<&str>) -> CheckoutInput {
    CheckoutInput {
        cart_session: session.as_str().to_owned(),
        email: email.map(str::to_owned),
        shipping_address: address(),
        billing_address: None,
        shipping_method: ShippingMethod::Delivery,
        payment_method: PaymentMethod::BankTransfer,
        notes: None,
        language: None,
    }
}

#[test]
fn a_guest_checks_out_at_catalogue_prices_with_vat_and_shipping() {
    let s = shop();
    let scarf = s.product(&ALPHA, "SCARF", 4990, Some(3990), 5);
    let lamp = s.product(&ALPHA, "LAMP", 2500, None, 3);
    let cart = session(1);
    s.add(&ALPHA, &cart, scarf, 1);
    s.add(&ALPHA, &cart, lamp, 2);
    let view = s.carts.cart(&ALPHA, &cart, None).unwrap();
    assert_eq!((view.item_count, view.subtotal_cents), (3, 3990 + 5000));

    let (order, placed) = s
        .orders
        .checkout(
            &ALPHA,
            Buyer::Guest,
            &checkout(&cart, Some("Guest@Example.lu")),
            None,
        )
        .unwrap();
    assert!(placed);
    assert_eq!(order.order_number, "ALP-000001");
    assert_eq!(order.email, "guest@example.lu");
    // 89.90 is above the 50.00 free-shipping threshold; 17 % VAT included.
    assert_eq!(
        (
            order.subtotal_cents,
            order.shipping_cents,
            order.total_cents,
            order.tax_cents
        ),
        (8990, 0, 8990, 1306)
    );
    let lines: Vec<(String, i64, i32)> = order
        .items
        .iter()
        .map(|i| (i.sku.clone(), i.unit_price_cents, i.quantity))
        .collect();
    assert_eq!(
        lines,
        vec![("SCARF".into(), 3990, 1), ("LAMP".into(), 2500, 2)]
    );
    assert_eq!(order.history.len(), 1);
    assert_eq!(order.history[0].to_status, "pending");
    assert_eq!(
        s.count("SELECT count(*) AS n FROM outbound_emails e JOIN jobs j ON j.payload->>'email_id' = e.id::text
                 WHERE e.template = 'order_confirmation' AND e.to_address = 'guest@example.lu'
                   AND e.context->'order'->>'order_number' = 'ALP-000001'"),
        1,
        "the confirmation is queued with its sending job"
    );
    assert_eq!((s.reserved(scarf), s.reserved(lamp)), (1, 2));
    assert_eq!(
        s.count("SELECT count(*) AS n FROM inventory_movements WHERE kind = 'reserved' AND order_id IS NOT NULL"),
        2,
        "one movement per item"
    );
    // The cart is gone; the next order counts on.
    assert_eq!(s.carts.cart(&ALPHA, &cart, None).unwrap().items.len(), 0);
    let small = session(2);
    s.add(&ALPHA, &small, lamp, 1);
    let (second, _) = s
        .orders
        .checkout(
            &ALPHA,
            Buyer::Guest,
            &checkout(&small, Some("g@example.lu")),
            None,
        )
        .unwrap();
    assert_eq!(second.order_number, "ALP-000002");
    assert_eq!((second.shipping_cents, second.total_cents), (490, 2990));
}

#[test]
fn a_shortage_names_every_product_short_and_changes_nothing() {
    let s = shop();
    let scarf = s.product(&ALPHA, "SCARF", 4990, None, 2);
    let lamp = s.product(&ALPHA, "LAMP", 2500, None, 1);
    let mug = s.product(&ALPHA, "MUG", 900, None, 9);
    let cart = session(3);
    s.add(&ALPHA, &cart, scarf, 2);
    s.add(&ALPHA, &cart, lamp, 1);
    s.add(&ALPHA, &cart, mug, 1);
    // Someone else takes units meanwhile.
    s.stock(&ALPHA, scarf, None, 1);
    s.stock(&ALPHA, lamp, None, 0);
    let Err(OrderError::Insufficient(short)) = s.orders.checkout(
        &ALPHA,
        Buyer::Guest,
        &checkout(&cart, Some("g@example.lu")),
        None,
    ) else {
        panic!("expected a shortage");
    };
    let named: Vec<(ProductId, i64, i64)> = short
        .iter()
        .map(|x| (x.product_id, x.requested, x.available))
        .collect();
    assert_eq!(named, vec![(scarf, 2, 1), (lamp, 1, 0)]);
    assert_eq!(s.reserved(mug), 0, "nothing reserved");
    assert_eq!(s.count("SELECT count(*) AS n FROM orders"), 0);
    assert_eq!(
        s.carts.cart(&ALPHA, &cart, None).unwrap().items.len(),
        3,
        "the cart stays"
    );
}

#[test]
fn units_are_reserved_across_locations_default_first() {
    let s = shop();
    let lamp = s.product(&ALPHA, "LAMP", 2500, None, 2);
    s.inventory
        .create_location(
            &ALPHA,
            &NewLocation {
                code: "back".into(),
                name: "Back room".into(),
            },
        )
        .unwrap();
    s.stock(&ALPHA, lamp, Some("back"), 3);
    let cart = session(4);
    s.add(&ALPHA, &cart, lamp, 4);
    s.orders
        .checkout(
            &ALPHA,
            Buyer::Guest,
            &checkout(&cart, Some("g@example.lu")),
            None,
        )
        .unwrap();
    assert_eq!(s.reserved(lamp), 4);
    assert_eq!(
        s.count("SELECT count(*) AS n FROM inventory i JOIN inventory_locations l ON l.id = i.location_id WHERE l.is_default AND i.reserved_quantity = 2"),
        1,
        "the default location's two units first"
    );
}

#[test]
fn a_retried_checkout_with_its_key_makes_one_order() {
    let s = shop();
    let lamp = s.product(&ALPHA, "LAMP", 2500, None, 5);
    let cart = session(5);
    s.add(&ALPHA, &cart, lamp, 1);
    let input = checkout(&cart, Some("g@example.lu"));
    let (first, placed) = s
        .orders
        .checkout(&ALPHA, Buyer::Guest, &input, Some("key-1"))
        .unwrap();
    let (again, placed_again) = s
        .orders
        .checkout(&ALPHA, Buyer::Guest, &input, Some("key-1"))
        .unwrap();
    assert!(placed && !placed_again);
    assert_eq!(first.order_number, again.order_number);
    assert_eq!(s.count("SELECT count(*) AS n FROM orders"), 1);
    assert_eq!(s.reserved(lamp), 1);
    // Without the key the emptied cart cannot be bought twice.
    assert!(matches!(
        s.orders.checkout(&ALPHA, Buyer::Guest, &input, None),
        Err(OrderError::CartEmpty)
    ));
}

#[test]
fn carts_check_availability_and_stay_in_their_shop() {
    let s = shop();
    let lamp = s.product(&ALPHA, "LAMP", 2500, None, 2);
    let beta_mug = s.product(&BETA, "MUG", 900, None, 5);
    let cart = session(6);
    s.add(&ALPHA, &cart, lamp, 2);
    assert!(matches!(
        s.carts.add(
            &ALPHA,
            &cart,
            &CartItemInput {
                product_id: lamp,
                quantity: 1
            },
            None
        ),
        Err(OrderError::Insufficient(_))
    ));
    // Beta's product is not on sale at alpha.
    assert!(matches!(
        s.carts.add(
            &ALPHA,
            &cart,
            &CartItemInput {
                product_id: beta_mug,
                quantity: 1
            },
            None
        ),
        Err(OrderError::ProductNotFound)
    ));
    // The same session at beta is another (empty) cart.
    assert!(s.carts.cart(&BETA, &cart, None).unwrap().items.is_empty());
    let view = s
        .carts
        .set_quantity(&ALPHA, &cart, lamp, &QuantityInput { quantity: 1 }, None)
        .unwrap();
    assert_eq!(view.items[0].quantity, 1);
    // A product taken off sale drops out of the total and blocks checkout.
    s.test
        .owner_conn()
        .batch_execute(&format!(
            "UPDATE products SET is_active = false WHERE id = {lamp}"
        ))
        .unwrap();
    let view = s.carts.cart(&ALPHA, &cart, None).unwrap();
    assert_eq!(
        (view.subtotal_cents, view.unavailable_product_ids.clone()),
        (0, vec![lamp])
    );
    assert!(matches!(
        s.orders.checkout(
            &ALPHA,
            Buyer::Guest,
            &checkout(&cart, Some("g@example.lu")),
            None
        ),
        Err(OrderError::Insufficient(_))
    ));
}

#[test]
fn signing_in_merges_the_guest_cart_into_the_customers() {
    let s = shop();
    let lamp = s.product(&ALPHA, "LAMP", 2500, None, 9);
    let mug = s.product(&ALPHA, "MUG", 900, None, 9);
    s.test
        .owner_conn()
        .batch_execute(
            "INSERT INTO customers (id, vendor_id, email, password_hash, first_name, last_name)
             VALUES (7, 10, 'lea@example.lu', 'h', 'Léa', 'Schmit');",
        )
        .unwrap();
    let lea = CustomerId(7);
    let laptop = session(7);
    s.add(&ALPHA, &laptop, lamp, 1);
    s.carts.claim(&ALPHA, &laptop, lea, None).unwrap();
    // Later, as a guest on the phone.
    let phone = session(8);
    s.add(&ALPHA, &phone, lamp, 2);
    s.add(&ALPHA, &phone, mug, 1);
    let merged = s.carts.claim(&ALPHA, &phone, lea, None).unwrap();
    let mut lines: Vec<(ProductId, i32)> = merged
        .items
        .iter()
        .map(|i| (i.product_id, i.quantity))
        .collect();
    lines.sort();
    assert_eq!(lines, vec![(lamp, 3), (mug, 1)]);
    assert!(
        s.carts
            .cart(&ALPHA, &laptop, None)
            .unwrap()
            .items
            .is_empty(),
        "one cart left"
    );
    let (order, _) = s
        .orders
        .checkout(&ALPHA, Buyer::Customer(lea), &checkout(&phone, None), None)
        .unwrap();
    assert_eq!(order.email, "lea@example.lu");
    let history = s
        .orders
        .customer_orders(&ALPHA, lea, db::pagination::PageRequest::new(None, None))
        .unwrap();
    assert_eq!(history.items[0].order_number, order.order_number);
    assert_eq!(history.items[0].item_count, 4);
    assert!(matches!(
        s.orders.customer_order(&BETA, lea, &order.order_number),
        Err(OrderError::NotFound)
    ));
}

#[test]
fn a_hundred_buyers_race_for_ten_units_and_ten_win() {
    let s = Arc::new(shop());
    let lamp = s.product(&ALPHA, "LAMP", 2500, None, 10);
    for n in 0..100 {
        s.add(&ALPHA, &session(100 + n), lamp, 1);
    }
    let outcomes: Vec<Result<(), String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..100)
            .map(|n| {
                let s = s.clone();
                scope.spawn(move || {
                    match s.orders.checkout(
                        &ALPHA,
                        Buyer::Guest,
                        &checkout(&session(100 + n), Some("g@example.lu")),
                        None,
                    ) {
                        Ok(_) => Ok(()),
                        Err(OrderError::Insufficient(_)) => Err("short".to_owned()),
                        Err(other) => Err(format!("unexpected: {other:?}")),
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let won = outcomes.iter().filter(|o| o.is_ok()).count();
    let short = outcomes
        .iter()
        .filter(|o| o.as_ref().err().map(String::as_str) == Some("short"))
        .count();
    assert_eq!((won, short), (10, 90), "{outcomes:?}");
    assert_eq!(s.reserved(lamp), 10);
    assert_eq!(
        s.count("SELECT count(DISTINCT order_number) AS n FROM orders"),
        10
    );
}

#[test]
fn the_clean_up_job_deletes_expired_carts_and_queues_its_next_run() {
    let s = shop();
    let lamp = s.product(&ALPHA, "LAMP", 2500, None, 9);
    let mug = s.product(&BETA, "MUG", 900, None, 9);
    let (old_alpha, old_beta, fresh) = (session(20), session(21), session(22));
    s.add(&ALPHA, &old_alpha, lamp, 1);
    s.add(&BETA, &old_beta, mug, 1);
    s.add(&ALPHA, &fresh, lamp, 2);
    s.test
        .owner_conn()
        .batch_execute(
            "UPDATE carts SET expires_at = now() - interval '1 day'
             WHERE id IN (SELECT id FROM carts ORDER BY id LIMIT 2);",
        )
        .unwrap();
    let worker = jobs::Worker::new(s.test.db(), jobs::WorkerConfig::default()).handle(
        orders::CART_EXPIRY_JOB,
        Arc::new(orders::CartExpiryJob::new(s.test.db())),
    );
    assert!(
        worker.run_one().unwrap(),
        "the migration queued the first run"
    );
    assert_eq!(
        s.count("SELECT count(*) AS n FROM carts"),
        1,
        "both vendors' expired carts went"
    );
    assert_eq!(s.carts.cart(&ALPHA, &fresh, None).unwrap().item_count, 2);
    assert_eq!(
        s.count("SELECT count(*) AS n FROM jobs WHERE kind = 'carts.expire' AND status = 'queued' AND run_at > now() + interval '59 minutes'"),
        1,
        "the next run, an hour later"
    );
    assert!(!worker.run_one().unwrap(), "not due yet");
}
