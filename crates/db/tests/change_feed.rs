//! The change feed's triggers announce each vendor whose catalogue or team a transaction
//! changed, once, at commit — and nothing for what no cache shows.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use std::time::Duration;

use db::VendorId;
use db::notices::{Listener, Notice};
use db::test_support::TestDb;
use diesel::connection::SimpleConnection;

const ALPHA: VendorId = VendorId(10);
const BETA: VendorId = VendorId(20);

/// What one write announced: everything that arrives until the feed has been quiet for a
/// moment (nothing at all within half a second counts as nothing).
fn heard(listener: &mut Listener) -> Vec<Notice> {
    let mut all = listener.wait(Duration::from_millis(500)).unwrap();
    while !all.is_empty() {
        let more = listener.wait(Duration::from_millis(100)).unwrap();
        if more.is_empty() {
            break;
        }
        all.extend(more);
    }
    all.sort_by_key(|n| format!("{n:?}"));
    all
}

#[test]
fn catalogue_and_team_changes_are_announced_once_per_vendor_and_others_not_at_all() {
    let test = TestDb::with_two_vendors();
    let mut listener = test.db().listener().unwrap();
    let mut owner = test.owner_conn();
    let mut run = |sql: &str| owner.batch_execute(sql).unwrap();

    // Three products of two vendors in one statement: each vendor once.
    run("INSERT INTO products (vendor_id, sku, price_cents) VALUES
           (10, 'A-1', 100), (10, 'A-2', 200), (20, 'B-1', 300)");
    assert_eq!(
        heard(&mut listener),
        [Notice::Catalog(ALPHA), Notice::Catalog(BETA)]
    );
    // Texts and stock of one vendor in one transaction: one announcement.
    run("BEGIN;
         INSERT INTO product_translations (vendor_id, product_id, language, title)
           SELECT vendor_id, id, 'fr', sku FROM products WHERE vendor_id = 10;
         UPDATE products SET price_cents = price_cents + 1 WHERE vendor_id = 10;
         COMMIT");
    assert_eq!(heard(&mut listener), [Notice::Catalog(ALPHA)]);
    // Nothing is announced for what was rolled back, nor for a statement that changed no row.
    run("BEGIN; UPDATE products SET price_cents = 1 WHERE vendor_id = 20; ROLLBACK");
    run("UPDATE products SET price_cents = 1 WHERE vendor_id = 999");
    assert_eq!(heard(&mut listener), []);

    // Teams: roles and members; the vendor's own standing, not its description.
    run("INSERT INTO roles (vendor_id, name) VALUES (20, 'Viewer')");
    assert_eq!(heard(&mut listener), [Notice::Team(BETA)]);
    run("UPDATE vendors SET description = 'New words' WHERE id = 10");
    assert_eq!(heard(&mut listener), []);
    run("UPDATE vendors SET is_active = false WHERE id = 10");
    assert_eq!(heard(&mut listener), [Notice::Team(ALPHA)]);

    // Accounts: a sign-in's stamp is not a change; switching a user off is.
    run("UPDATE users SET last_login_at = now() WHERE id = 2");
    assert_eq!(heard(&mut listener), []);
    run("UPDATE users SET is_active = false WHERE id = 2");
    assert_eq!(heard(&mut listener), [Notice::Accounts]);

    // Deleting products takes their texts along: still one announcement.
    run("DELETE FROM products WHERE vendor_id = 10");
    assert_eq!(heard(&mut listener), [Notice::Catalog(ALPHA)]);
}
