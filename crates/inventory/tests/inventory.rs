//! Inventory against a real database: concurrency, the ledger, and the wall between vendors.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use db::test_support::TestDb;
use db::{Db, ProductId, TenantScope, UserId, VendorId};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use inventory::{
    AdjustQuantity, AdjustReason, InventoryError, InventoryService, PgInventory, SetQuantity,
    StockLine,
};

const ALPHA: TenantScope = TenantScope::trusted(VendorId(10));
const BETA: TenantScope = TenantScope::trusted(VendorId(20));
const OWNER: UserId = UserId(1);

/// Two vendors with a default location each; alpha sells product 100, beta product 200.
fn setup(test: &TestDb) {
    test.owner_conn()
        .batch_execute(
            "INSERT INTO users (id, email, password_hash) VALUES (1, 'a@x.lu', 'h'), (2, 'b@x.lu', 'h');
             INSERT INTO vendors (id, code, name, subdomain, owner_user_id) VALUES
               (10, 'alpha', 'A', 'alpha', 1), (20, 'beta', 'B', 'beta', 2);
             INSERT INTO inventory_locations (vendor_id, code, name, is_default) VALUES
               (10, 'main', 'Main', true), (20, 'main', 'Main', true);
             INSERT INTO products (id, vendor_id, sku, price_cents) VALUES (100, 10, 'A-1', 500), (200, 20, 'B-1', 700);",
        )
        .unwrap();
}

fn stock(product: i64, quantity: i32) -> StockLine {
    StockLine {
        product_id: ProductId(product),
        location_id: None,
        quantity,
        // No order row exists here; the movements name the order only when one does.
        order_id: None,
    }
}

fn set(
    inv: &PgInventory,
    scope: &TenantScope,
    product: i64,
    quantity: i32,
) -> Result<inventory::InventoryRow, InventoryError> {
    inv.set(
        scope,
        OWNER,
        &SetQuantity {
            product_id: ProductId(product),
            location: None,
            quantity,
        },
    )
}

#[derive(QueryableByName)]
struct Sums {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    movements: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    quantity_sum: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    reserved_sum: i64,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    quantity: i32,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    reserved: i32,
}

/// The ledger's sums beside the row it explains.
fn ledger(test: &TestDb, product: i64) -> Sums {
    diesel::sql_query(format!(
        "SELECT (SELECT count(*) FROM inventory_movements WHERE product_id = {product}) AS movements,
                (SELECT coalesce(sum(quantity_delta), 0) FROM inventory_movements WHERE product_id = {product})::bigint AS quantity_sum,
                (SELECT coalesce(sum(reserved_delta), 0) FROM inventory_movements WHERE product_id = {product})::bigint AS reserved_sum,
                quantity, reserved_quantity AS reserved
         FROM inventory WHERE product_id = {product}"
    ))
    .get_result(&mut test.owner_conn())
    .unwrap()
}

#[test]
fn fifty_buyers_for_the_last_ten_units_exactly_ten_get_one() {
    let test = TestDb::new();
    setup(&test);
    let db: Db = db::Db::new(db::build_pool(
        test.server_url(),
        12,
        db::LoginPolicy::Refuse,
    ));
    let inv = PgInventory::new(db.clone());
    set(&inv, &ALPHA, 100, 10).unwrap();
    let outcomes: Vec<Result<inventory::InventoryRow, InventoryError>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..50)
            .map(|_| s.spawn(|| db.tenant(&ALPHA, |tx| inv.reserve(tx, &stock(100, 1)))))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let won = outcomes.iter().filter(|o| o.is_ok()).count();
    assert_eq!(won, 10, "exactly the ten units were reserved");
    for outcome in &outcomes {
        match outcome {
            Ok(row) => assert!(row.available >= 0),
            Err(InventoryError::Insufficient { available, .. }) => assert_eq!(*available, 0),
            Err(other) => panic!("no other failure (no deadlock, no pool error): {other:?}"),
        }
    }
    let sums = ledger(&test, 100);
    assert_eq!((sums.quantity, sums.reserved), (10, 10));
    assert_eq!(sums.movements, 11, "one for the count, one per reservation");
    assert_eq!((sums.quantity_sum, sums.reserved_sum), (10, 10));
}

#[test]
fn each_change_writes_one_movement_and_sales_come_only_from_reservations() {
    let test = TestDb::new();
    setup(&test);
    let db = test.db();
    let inv = PgInventory::new(db.clone());
    set(&inv, &ALPHA, 100, 5).unwrap();
    let received = inv
        .adjust(
            &ALPHA,
            OWNER,
            &AdjustQuantity {
                product_id: ProductId(100),
                location: None,
                delta: 3,
                reason: AdjustReason::Received,
                note: Some("delivery 42".into()),
            },
        )
        .unwrap();
    assert_eq!((received.quantity, received.available), (8, 8));

    let in_tx =
        |f: &dyn Fn(&mut db::TenantTx<'_>) -> Result<inventory::InventoryRow, InventoryError>| {
            db.tenant(&ALPHA, |tx| f(tx))
        };
    assert!(
        matches!(
            in_tx(&|tx| inv.commit_sale(tx, &stock(100, 1))),
            Err(InventoryError::Insufficient { .. })
        ),
        "nothing reserved, nothing to sell"
    );
    assert!(
        matches!(
            in_tx(&|tx| inv.release(tx, &stock(100, 1))),
            Err(InventoryError::Insufficient { .. })
        ),
        "nothing reserved, nothing to release"
    );
    let reserved = in_tx(&|tx| inv.reserve(tx, &stock(100, 3))).unwrap();
    assert_eq!((reserved.reserved_quantity, reserved.available), (3, 5));
    let sold = in_tx(&|tx| inv.commit_sale(tx, &stock(100, 2))).unwrap();
    assert_eq!(
        (sold.quantity, sold.reserved_quantity, sold.available),
        (6, 1, 5)
    );
    let released = in_tx(&|tx| inv.release(tx, &stock(100, 1))).unwrap();
    assert_eq!((released.reserved_quantity, released.available), (0, 6));
    let restocked = in_tx(&|tx| inv.restock(tx, &stock(100, 1))).unwrap();
    assert_eq!(restocked.quantity, 7);

    // A count below what is reserved, or taking away more than is available, is refused.
    in_tx(&|tx| inv.reserve(tx, &stock(100, 4))).unwrap();
    assert!(matches!(
        set(&inv, &ALPHA, 100, 3),
        Err(InventoryError::Insufficient { .. })
    ));
    let take = AdjustQuantity {
        product_id: ProductId(100),
        location: None,
        delta: -4,
        reason: AdjustReason::Adjusted,
        note: None,
    };
    assert!(matches!(
        inv.adjust(&ALPHA, OWNER, &take),
        Err(InventoryError::Insufficient { .. })
    ));

    let sums = ledger(&test, 100);
    assert_eq!(
        sums.movements, 7,
        "set, received, reserve, sale, release, restock, reserve"
    );
    assert_eq!(
        (sums.quantity_sum, sums.reserved_sum),
        (i64::from(sums.quantity), i64::from(sums.reserved))
    );
    let kinds: Vec<String> = inv
        .movements(
            &ALPHA,
            &inventory::MovementQuery {
                product_id: Some(ProductId(100)),
                ..Default::default()
            },
        )
        .unwrap()
        .items
        .into_iter()
        .map(|m| m.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            "reserved", "returned", "released", "sold", "reserved", "received", "adjusted"
        ]
    );
}

#[test]
fn another_vendors_product_is_not_found_and_its_rows_are_invisible() {
    let test = TestDb::new();
    setup(&test);
    let inv = PgInventory::new(test.db());
    set(&inv, &BETA, 200, 9).unwrap();
    assert!(matches!(
        set(&inv, &ALPHA, 200, 1),
        Err(InventoryError::ProductNotFound)
    ));
    let sneak = test
        .db()
        .tenant(&ALPHA, |tx| inv.reserve(tx, &stock(200, 1)));
    assert!(sneak.is_err(), "alpha cannot reserve beta's product");
    let listed = inv
        .list(&ALPHA, &inventory::InventoryQuery::default())
        .unwrap();
    assert_eq!(listed.total, 0);
    let movements = inv
        .movements(&ALPHA, &inventory::MovementQuery::default())
        .unwrap();
    assert_eq!(movements.total, 0);
    assert_eq!(
        ledger(&test, 200).quantity,
        9,
        "beta's inventory is untouched"
    );
}
