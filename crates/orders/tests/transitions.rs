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
    Buyer, Carrier, CartItemInput, CartService, CartSession, CheckoutInput, MarkPaid, OrderError,
    OrderService, OrderStatus, PaymentMethod, PgCarts, PgOrders, RefundInput, RefundLine,
    ShippingMethod, StatusChange,
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
        self.order_of(1)
    }

    /// A new pending order of `lamps` lamps: its number.
    fn order_of(&self, lamps: i32) -> String {
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
                    quantity: lamps,
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

    /// The e-mails queued to the customer about the order: (notice, refund cents) in order.
    fn notices(&self, number: &str) -> Vec<(String, Option<i64>)> {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = Text)]
            notice: String,
            #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
            refund: Option<i64>,
        }
        let rows: Vec<Row> = diesel::sql_query(format!(
            "SELECT context->>'notice' AS notice, (context->>'refund_cents')::bigint AS refund
             FROM outbound_emails WHERE template = 'order_status'
               AND context->'order'->>'order_number' = '{number}' AND to_address = 'g@example.lu'
             ORDER BY id"
        ))
        .load(&mut self.test.owner_conn())
        .unwrap();
        rows.into_iter().map(|r| (r.notice, r.refund)).collect()
    }

    fn actor(&self) -> db::audit::Actor {
        db::audit::Actor {
            user_id: OWNER,
            ip: None,
            request_id: None,
            on_behalf: None,
        }
    }

    fn mark_paid(&self, number: &str) -> Result<orders::VendorOrderView, OrderError> {
        self.orders.mark_paid(
            &ALPHA,
            &self.actor(),
            number,
            &MarkPaid {
                note: Some("virement reçu".into()),
            },
        )
    }

    fn refund(
        &self,
        number: &str,
        sku: &str,
        quantity: i32,
    ) -> Result<orders::VendorOrderView, OrderError> {
        self.orders.refund(
            &ALPHA,
            &self.actor(),
            number,
            &RefundInput {
                items: vec![RefundLine {
                    sku: sku.into(),
                    quantity,
                }],
                note: None,
            },
        )
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
            let notices_before = s.notices(&number);
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
                    // Exactly one e-mail for the moves a customer hears of, none for processing.
                    let mut expected = notices_before.clone();
                    if to != OrderStatus::Processing {
                        let refund = (to == OrderStatus::Refunded).then_some(0);
                        expected.push((to.as_str().to_owned(), refund));
                    }
                    assert_eq!(s.notices(&number), expected, "{from:?} -> {to:?}");
                }
                Err(OrderError::InvalidTransition { .. }) => {
                    assert!(!from.may_become(to), "{from:?} -> {to:?} was refused");
                    assert_eq!(s.stock(), before, "a refusal changes no inventory");
                    assert_eq!(s.last_marks(&number), marks_before, "nor the history");
                    assert_eq!(s.notices(&number), notices_before, "nor sends anything");
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

#[test]
fn marking_paid_confirms_a_pending_order_once_and_tells_the_customer() {
    let s = shop();
    let number = s.order();
    let paid = s.mark_paid(&number).unwrap();
    assert_eq!(
        (
            paid.order.status.as_str(),
            paid.order.payment_status.as_str()
        ),
        ("confirmed", "paid")
    );
    assert!(paid.order.paid_at.is_some());
    assert_eq!(
        s.last_marks(&number).1,
        "confirmed",
        "the confirmation is in the history"
    );
    assert_eq!(s.last_marks(&number).2, "virement reçu");
    assert_eq!(s.notices(&number), vec![("confirmed".to_owned(), None)]);
    assert!(matches!(
        s.mark_paid(&number),
        Err(OrderError::PaymentClosed { .. })
    ));
    assert_eq!(s.notices(&number).len(), 1, "paid once, told once");

    // A processing order paid late stays processing; a cancelled one cannot be paid.
    let late = s.order_at(OrderStatus::Processing);
    let paid = s.mark_paid(&late).unwrap();
    assert_eq!(
        (
            paid.order.status.as_str(),
            paid.order.payment_status.as_str()
        ),
        ("processing", "paid")
    );
    let cancelled = s.order_at(OrderStatus::Cancelled);
    assert!(matches!(
        s.mark_paid(&cancelled),
        Err(OrderError::PaymentClosed { .. })
    ));
    assert!(matches!(
        s.orders
            .mark_paid(&BETA, &s.actor(), &number, &MarkPaid::default()),
        Err(OrderError::NotFound)
    ));
    let audited: i64 = diesel::sql_query(
        "SELECT count(*)::bigint AS n FROM audit_logs WHERE action = 'order.mark_paid'",
    )
    .get_result::<Count>(&mut s.test.owner_conn())
    .unwrap()
    .n;
    assert_eq!(audited, 2);
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[test]
fn a_partial_refund_restocks_its_units_and_the_last_units_refund_the_whole_order() {
    let s = shop();
    let number = s.order_of(3);
    s.mark_paid(&number).unwrap();
    for to in [
        OrderStatus::Processing,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
    ] {
        s.step(&number, to).unwrap();
    }
    let (sold_q, sold_r) = s.stock();

    let part = s.refund(&number, "LAMP", 1).unwrap();
    assert_eq!(
        (
            part.order.status.as_str(),
            part.order.payment_status.as_str(),
            part.order.refunded_cents
        ),
        ("delivered", "partially_refunded", 2500)
    );
    assert_eq!(part.order.items[0].refunded_quantity, 1);
    assert_eq!(
        s.stock(),
        (sold_q + 1, sold_r),
        "one lamp back on the shelf"
    );
    assert_eq!(
        s.notices(&number).last(),
        Some(&("partially_refunded".to_owned(), Some(2500)))
    );

    for (sku, quantity) in [("LAMP", 3), ("CHAIR", 1)] {
        assert!(
            matches!(
                s.refund(&number, sku, quantity),
                Err(OrderError::Validation(_))
            ),
            "{sku} x {quantity}"
        );
    }
    assert_eq!(
        s.stock(),
        (sold_q + 1, sold_r),
        "a refused refund restocks nothing"
    );

    let rest = s.refund(&number, "LAMP", 2).unwrap();
    assert_eq!(
        (
            rest.order.status.as_str(),
            rest.order.payment_status.as_str(),
            rest.order.refunded_cents
        ),
        ("refunded", "refunded", rest.order.total_cents)
    );
    assert_eq!(s.stock(), (sold_q + 3, sold_r));
    assert_eq!(s.last_marks(&number).1, "refunded");
    assert_eq!(
        s.notices(&number).last(),
        Some(&("refunded".to_owned(), Some(5000)))
    );
    assert!(matches!(
        s.refund(&number, "LAMP", 1),
        Err(OrderError::NotRefundable { .. })
    ));

    // An unpaid delivered order has nothing to refund in part.
    let unpaid = s.order_at(OrderStatus::Delivered);
    assert!(matches!(
        s.refund(&unpaid, "LAMP", 1),
        Err(OrderError::NotRefundable { .. })
    ));
}

#[test]
fn a_new_order_is_announced_to_the_active_members_who_see_orders() {
    let s = shop();
    s.test
        .owner_conn()
        .batch_execute(
            "INSERT INTO users (id, email, password_hash) VALUES (3, 'editor@x.lu', 'h'), (4, 'gone@x.lu', 'h'), (5, 'manager@x.lu', 'h');
             INSERT INTO roles (id, vendor_id, name, permissions) VALUES
               (1, 10, 'Owner', '{orders.view,orders.edit,products.view}'),
               (2, 10, 'Editor', '{products.view,products.edit}'),
               (3, 20, 'Owner', '{orders.view}');
             INSERT INTO vendor_users (vendor_id, user_id, role_id, is_active) VALUES
               (10, 1, 1, true), (10, 3, 2, true), (10, 4, 1, false), (10, 5, 1, true), (20, 2, 3, true);",
        )
        .unwrap();
    let number = s.order();
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        to_address: String,
    }
    let to: Vec<String> = diesel::sql_query(format!(
        "SELECT to_address FROM outbound_emails WHERE template = 'new_order'
           AND context->'order'->>'order_number' = '{number}' ORDER BY to_address"
    ))
    .load::<Row>(&mut s.test.owner_conn())
    .unwrap()
    .into_iter()
    .map(|r| r.to_address)
    .collect();
    assert_eq!(to, vec!["a@x.lu", "manager@x.lu"]);
}

#[test]
fn card_orders_never_paid_are_cancelled_after_a_day_and_their_units_freed() {
    let s = shop();
    let (stale, recent, paid, bank) = (s.order(), s.order(), s.order(), s.order());
    s.test
        .owner_conn()
        .batch_execute(&format!(
            "UPDATE orders SET payment_method = 'card', placed_at = now() - interval '26 hours'
               WHERE order_number IN ('{stale}', '{paid}');
             UPDATE orders SET payment_method = 'card', placed_at = now() - interval '2 hours'
               WHERE order_number = '{recent}';
             UPDATE orders SET placed_at = now() - interval '26 hours' WHERE order_number = '{bank}';"
        ))
        .unwrap();
    s.mark_paid(&paid).unwrap();
    let before = s.stock();
    let worker = jobs::Worker::new(s.test.db(), jobs::WorkerConfig::default()).handle(
        orders::CARD_EXPIRY_JOB,
        Arc::new(orders::CardExpiryJob::new(s.test.db(), s.orders.clone())),
    );
    assert!(
        worker.run_one().unwrap(),
        "the migration queued the first run"
    );
    let status = |number: &str| s.orders.vendor_order(&ALPHA, number).unwrap().order.status;
    assert_eq!(
        [
            status(&stale),
            status(&recent),
            status(&paid),
            status(&bank)
        ],
        ["cancelled", "pending", "confirmed", "pending"],
        "only the day-old unpaid card order"
    );
    assert_eq!(
        s.stock(),
        (before.0, before.1 - 1),
        "its lamp is on sale again"
    );
    let (_, _, note, _) = s.last_marks(&stale);
    assert!(note.contains("card payment was not completed"), "{note}");
    assert_eq!(s.notices(&stale), vec![("cancelled".to_owned(), None)]);
    #[derive(QueryableByName)]
    struct Next {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let next = diesel::sql_query(
        "SELECT count(*)::bigint AS n FROM jobs WHERE kind = 'orders.expire_card_payments' AND status = 'queued' AND run_at > now() + interval '59 minutes'",
    )
    .get_result::<Next>(&mut s.test.owner_conn())
    .unwrap()
    .n;
    assert_eq!(next, 1, "the next run, an hour later");
}

#[test]
fn a_download_reads_batch_after_batch_newest_first_and_an_order_placed_meanwhile_moves_nothing() {
    let s = shop();
    let placed: Vec<String> = (0..5).map(|_| s.order()).collect();
    let cancelled = s.order_at(OrderStatus::Cancelled);
    let pending = orders::VendorOrderQuery {
        status: Some(OrderStatus::Pending),
        ..Default::default()
    };
    let numbers = |batch: &[orders::ExportedOrder]| -> Vec<String> {
        batch.iter().map(|o| o.order_number.clone()).collect()
    };

    let first = s
        .orders
        .vendor_export_batch(&ALPHA, &pending, None, 2)
        .unwrap();
    assert_eq!(numbers(&first), [placed[4].clone(), placed[3].clone()]);
    // An order placed between two batches belongs to no batch still to come.
    let meanwhile = s.order();
    let second = s
        .orders
        .vendor_export_batch(&ALPHA, &pending, Some(first[1].id), 2)
        .unwrap();
    assert_eq!(numbers(&second), [placed[2].clone(), placed[1].clone()]);
    let last = s
        .orders
        .vendor_export_batch(&ALPHA, &pending, Some(second[1].id), 2)
        .unwrap();
    assert_eq!(numbers(&last), [placed[0].clone()], "short: the last batch");
    assert!(
        ![&first, &second, &last].iter().any(|b| numbers(b)
            .iter()
            .any(|n| *n == meanwhile || *n == cancelled)),
        "neither the later order nor the cancelled one (filtered out) is in it"
    );
    let unfiltered = s
        .orders
        .vendor_export_batch(&ALPHA, &Default::default(), None, 100)
        .unwrap();
    assert_eq!(
        unfiltered.len(),
        7,
        "five, the cancelled one and the later one"
    );
    assert_eq!(unfiltered[0].order_number, meanwhile);
    assert_eq!(unfiltered[0].item_count, 1);

    assert!(
        s.orders
            .vendor_export_batch(&BETA, &Default::default(), None, 100)
            .unwrap()
            .is_empty(),
        "another vendor's download holds none of them"
    );
}
