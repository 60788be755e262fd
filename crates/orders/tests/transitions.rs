//! The status table tried exhaustively against a real database: every pair of statuses is
//! either a move (with its inventory effect and history row) or a 409 that changes nothing;
//! and two concurrent moves of one order cannot both succeed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use std::sync::Arc;

use catalog::{CatalogService, NewProduct, PgCatalog};
use customers::PostalAddress;
use db::test_support::TestDb;
use db::{ProductId, TenantScope, UserId, VendorId};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use inventory::{InventoryService, PgInventory, SetQuantity};
use orders::{
    Buyer, Carrier, CartItemInput, CartService, CartSession, CheckoutInput, OrderError,
    OrderService, OrderStatus, PaymentMethod, PgCarts, PgOrders, ShippingMethod, StatusChange,
};

const ALPHA: TenantScope = TenantScope::trusted(VendorId(10));
const BETA: TenantScope = TenantScope::trusted(VendorId(20));
const OWNER: UserId = UserId(1);

struct Shop {
    test: TestDb,
    carts: PgCarts,
    orders: Arc<PgOrders>,
    lamp: ProductId,
    placed: std::sync::atomic::AtomicU32,
}

fn shop() -> Shop {
    let test = TestDb::with_two_vendors();
    test.owner_conn()
        .batch_execute("INSERT INTO vendor_settings (vendor_id) VALUES (10), (20);")
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
    let lamp = catalog
        .create(
            &ALPHA,
            &NewProduct {
                sku: "LAMP".into(),
                title: "Lampe".into(),
                description: None,
                language: None,
                translations: None,
                price_cents: 2500,
                sale_price_cents: None,
                currency: None,
                brand: None,
                gtin: None,
                condition: None,
                is_active: None,
                is_featured: None,
                low_inventory_threshold: None,
            },
        )
        .unwrap()
        .id;
    inventory
        .set(
            &ALPHA,
            OWNER,
            &SetQuantity {
                product_id: lamp,
                location: None,
                quantity: 1000,
            },
        )
        .unwrap();
    Shop {
        carts: PgCarts::new(db.clone(), catalog.clone()),
        orders: Arc::new(PgOrders::new(db, catalog, inventory)),
        test,
        lamp,
        placed: std::sync::atomic::AtomicU32::new(0),
    }
}

impl Shop {
    /// A new pending order of one lamp: its number.
    fn order(&self) -> String {
        let n = self
            .placed
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        let session = CartSession::parse(&format!("transition-test-cart-{n:0>20}")).unwrap();
        self.carts
            .add(
                &ALPHA,
                &session,
                &CartItemInput {
                    product_id: self.lamp,
                    quantity: 1,
                },
                None,
            )
            .unwrap();
        let input = CheckoutInput {
            cart_session: session.as_str().to_owned(),
            email: Some("g@example.lu".into()),
            shipping_address: PostalAddress {
                name: "Léa".into(),
                street: "1 rue".into(),
                postal_code: "L-1".into(),
                city: "Luxembourg".into(),
                country: "LU".into(),
                phone: None,
            },
            billing_address: None,
            shipping_method: ShippingMethod::Delivery,
            payment_method: PaymentMethod::BankTransfer,
            notes: None,
            language: None,
        };
        self.orders
            .checkout(&ALPHA, Buyer::Guest, &input, None)
            .unwrap()
            .0
            .order_number
    }

    fn step(&self, number: &str, to: OrderStatus) -> Result<orders::VendorOrderView, OrderError> {
        let shipped = to == OrderStatus::Shipped;
        self.orders.change_status(
            &ALPHA,
            OWNER,
            number,
            &StatusChange {
                status: to,
                note: Some(format!("to {}", to.as_str())),
                carrier: shipped.then_some(Carrier::PostLu),
                tracking_number: shipped.then(|| "LU123456789".to_owned()),
            },
        )
    }

    /// A new order brought to `status` through the table.
    fn order_at(&self, status: OrderStatus) -> String {
        use OrderStatus::*;
        let path: &[OrderStatus] = match status {
            Pending => &[],
            Confirmed => &[Confirmed],
            Processing => &[Confirmed, Processing],
            Shipped => &[Confirmed, Processing, Shipped],
            Delivered => &[Confirmed, Processing, Shipped, Delivered],
            Cancelled => &[Cancelled],
            Refunded => &[Confirmed, Processing, Shipped, Delivered, Refunded],
        };
        let number = self.order();
        for to in path {
            self.step(&number, *to).unwrap();
        }
        number
    }

    /// The lamp's (quantity, reserved) over all locations.
    fn stock(&self) -> (i64, i64) {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = BigInt)]
            q: i64,
            #[diesel(sql_type = BigInt)]
            r: i64,
        }
        let row: Row = diesel::sql_query(format!(
            "SELECT sum(quantity)::bigint AS q, sum(reserved_quantity)::bigint AS r FROM inventory WHERE product_id = {}",
            self.lamp
        ))
        .get_result(&mut self.test.owner_conn())
        .unwrap();
        (row.q, row.r)
    }

    /// The order's last history row (from, to, note) and its last movement's kind.
    fn last_marks(&self, number: &str) -> (Option<String>, String, String, Option<String>) {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
            from_status: Option<String>,
            #[diesel(sql_type = Text)]
            to_status: String,
            #[diesel(sql_type = Text)]
            note: String,
            #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
            movement: Option<String>,
        }
        let row: Row = diesel::sql_query(format!(
            "SELECT h.from_status, h.to_status, h.note,
                    (SELECT m.kind FROM inventory_movements m WHERE m.order_id = o.id ORDER BY m.id DESC LIMIT 1) AS movement
             FROM orders o JOIN order_status_history h ON h.order_id = o.id
             WHERE o.order_number = '{number}' ORDER BY h.id DESC LIMIT 1"
        ))
        .get_result(&mut self.test.owner_conn())
        .unwrap();
        (row.from_status, row.to_status, row.note, row.movement)
    }
}

#[test]
fn every_pair_of_statuses_is_a_move_with_its_effect_or_a_refusal_that_changes_nothing() {
    let s = shop();
    let mut moves = 0;
    for from in OrderStatus::ALL {
        for to in OrderStatus::ALL {
            let number = s.order_at(from);
            let before = s.stock();
            let marks_before = s.last_marks(&number);
            match s.step(&number, to) {
                Ok(order) => {
                    moves += 1;
                    assert!(from.may_become(to), "{from:?} -> {to:?} was let through");
                    assert_eq!(order.order.status, to.as_str());
                    assert_eq!(order.allowed_next, to.next());
                    let (q0, r0) = before;
                    let (q1, r1) = s.stock();
                    let (effect, movement) = match to {
                        OrderStatus::Shipped => ((-1, -1), Some("sold")),
                        OrderStatus::Cancelled => ((0, -1), Some("released")),
                        OrderStatus::Refunded => ((1, 0), Some("returned")),
                        _ => ((0, 0), marks_before.3.as_deref()),
                    };
                    assert_eq!((q1 - q0, r1 - r0), effect, "{from:?} -> {to:?}");
                    let marks = s.last_marks(&number);
                    assert_eq!(
                        (
                            marks.0.as_deref(),
                            marks.1.as_str(),
                            marks.2.clone(),
                            marks.3.as_deref()
                        ),
                        (
                            Some(from.as_str()),
                            to.as_str(),
                            format!("to {}", to.as_str()),
                            movement
                        ),
                        "{from:?} -> {to:?}"
                    );
                }
                Err(OrderError::InvalidTransition { .. }) => {
                    assert!(!from.may_become(to), "{from:?} -> {to:?} was refused");
                    assert_eq!(s.stock(), before, "a refusal changes no inventory");
                    assert_eq!(s.last_marks(&number), marks_before, "nor the history");
                }
                Err(other) => panic!("{from:?} -> {to:?}: {other:?}"),
            }
        }
    }
    assert_eq!(moves, orders::TRANSITIONS.len());
}

#[test]
fn a_shipped_order_names_its_carrier_and_another_vendor_cannot_move_it() {
    let s = shop();
    let number = s.order_at(OrderStatus::Processing);
    let bare = StatusChange {
        status: OrderStatus::Shipped,
        note: None,
        carrier: None,
        tracking_number: None,
    };
    assert!(matches!(
        s.orders.change_status(&ALPHA, OWNER, &number, &bare),
        Err(OrderError::ShipmentRequired)
    ));
    assert!(matches!(
        s.orders.change_status(&BETA, OWNER, &number, &bare),
        Err(OrderError::NotFound)
    ));
    assert!(matches!(
        s.orders.vendor_order(&BETA, &number),
        Err(OrderError::NotFound)
    ));
    let shipped = s.step(&number, OrderStatus::Shipped).unwrap();
    assert_eq!(
        shipped.order.tracking_url.as_deref(),
        Some("https://www.post.lu/particuliers/colis-courrier/track-and-trace#/search/LU123456789")
    );
}

#[test]
fn of_two_concurrent_moves_of_one_order_one_wins() {
    let s = Arc::new(shop());
    let number = s.order_at(OrderStatus::Processing);
    let before = s.stock();
    let outcomes: Vec<bool> = std::thread::scope(|scope| {
        let handles: Vec<_> = [OrderStatus::Shipped, OrderStatus::Cancelled]
            .into_iter()
            .map(|to| {
                let (s, number) = (s.clone(), number.clone());
                scope.spawn(move || match s.step(&number, to) {
                    Ok(_) => true,
                    Err(OrderError::InvalidTransition { .. }) => false,
                    Err(other) => panic!("{other:?}"),
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        outcomes.iter().filter(|won| **won).count(),
        1,
        "{outcomes:?}"
    );
    let (q, r) = s.stock();
    assert_eq!(r, before.1 - 1, "the one reservation is used once");
    assert!(
        q == before.0 || q == before.0 - 1,
        "sold once or released once"
    );
}
