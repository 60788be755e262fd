//! The database enforces the tenant wall by itself: row-level security through the pool's
//! restricted role, whatever SQL the application sends.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use db::test_support::TestDb;
use db::{Db, PlatformScope, TenantScope, VendorId};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Two vendors with two roles each, written as the owner (no RLS for a superuser).
fn two_vendors(test: &TestDb) -> (VendorId, VendorId) {
    let mut conn = test.owner_conn();
    conn.batch_execute(
        "INSERT INTO users (id, email, password_hash) VALUES (1, 'a@x.lu', 'h'), (2, 'b@x.lu', 'h');
         INSERT INTO vendors (id, code, name, subdomain, owner_user_id) VALUES
           (10, 'alpha', 'Alpha', 'alpha', 1), (20, 'beta', 'Beta', 'beta', 2);
         INSERT INTO roles (vendor_id, name) VALUES (10, 'Owner'), (10, 'Viewer'), (20, 'Owner'), (20, 'Viewer');
         INSERT INTO vendor_domains (vendor_id, domain) VALUES (10, 'alpha.example'), (20, 'beta.example');",
    )
    .unwrap();
    (VendorId(10), VendorId(20))
}

fn count(db: &Db, scope: Option<&TenantScope>, sql: &str) -> i64 {
    let run = |conn: &mut PgConnection| {
        diesel::sql_query(sql)
            .get_result::<Count>(conn)
            .map(|c| c.n)
    };
    match scope {
        Some(s) => db.tenant(s, run).unwrap(),
        None => db.unscoped(run).unwrap(),
    }
}

#[test]
fn a_query_that_forgets_the_vendor_filter_still_sees_only_its_vendor() {
    let test = TestDb::new();
    let (alpha, beta) = two_vendors(&test);
    let db = test.db();
    // Hand-written SQL with no WHERE clause at all: RLS adds the wall.
    assert_eq!(
        count(
            &db,
            Some(&TenantScope::trusted(alpha)),
            "SELECT count(*) AS n FROM roles"
        ),
        2
    );
    assert_eq!(
        count(
            &db,
            Some(&TenantScope::trusted(alpha)),
            "SELECT count(*) AS n FROM roles WHERE vendor_id = 20"
        ),
        0,
        "asking for vendor B's rows by id from vendor A's scope finds nothing"
    );
    assert_eq!(
        count(
            &db,
            Some(&TenantScope::trusted(beta)),
            "SELECT count(*) AS n FROM vendor_domains"
        ),
        1
    );
    assert_eq!(
        count(&db, None, "SELECT count(*) AS n FROM roles"),
        0,
        "no scope, no vendor rows"
    );
    let all = db
        .platform(&PlatformScope::trusted(), |c| {
            diesel::sql_query("SELECT count(*) AS n FROM roles")
                .get_result::<Count>(c)
                .map(|c| c.n)
        })
        .unwrap();
    assert_eq!(all, 4, "platform scope sees every vendor");
}

#[test]
fn a_tenant_cannot_write_rows_for_another_vendor() {
    let test = TestDb::new();
    let (alpha, _beta) = two_vendors(&test);
    let db = test.db();
    let insert = db.tenant(&TenantScope::trusted(alpha), |c| {
        diesel::sql_query("INSERT INTO roles (vendor_id, name) VALUES (20, 'Planted')").execute(c)
    });
    assert!(
        insert.is_err(),
        "the WITH CHECK policy refuses a row for vendor B"
    );
    let updated = db
        .tenant(&TenantScope::trusted(alpha), |c| {
            diesel::sql_query("UPDATE roles SET name = name || '!' WHERE vendor_id = 20").execute(c)
        })
        .unwrap();
    assert_eq!(updated, 0, "vendor B's rows are invisible to an update");
    let deleted = db
        .tenant(&TenantScope::trusted(alpha), |c| {
            diesel::sql_query("DELETE FROM vendor_domains").execute(c)
        })
        .unwrap();
    assert_eq!(deleted, 1, "only vendor A's own domain goes");
    let mut owner = test.owner_conn();
    let left = diesel::sql_query("SELECT count(*) AS n FROM vendor_domains")
        .get_result::<Count>(&mut owner)
        .unwrap();
    assert_eq!(left.n, 1, "vendor B's domain is still there");
}

#[test]
fn the_vendor_setting_does_not_leak_to_the_next_user_of_a_pooled_connection() {
    let test = TestDb::new();
    let (alpha, _) = two_vendors(&test);
    // A pool of one connection: the second transaction reuses the first one's connection.
    let db = Db::new(db::build_pool(test.url(), 1));
    assert_eq!(
        count(
            &db,
            Some(&TenantScope::trusted(alpha)),
            "SELECT count(*) AS n FROM roles"
        ),
        2
    );
    assert_eq!(count(&db, None, "SELECT count(*) AS n FROM roles"), 0);
}

#[test]
fn domain_resolution_can_read_domains_but_not_other_vendor_rows() {
    let test = TestDb::new();
    two_vendors(&test);
    let db = test.db();
    let found = db
        .resolving(|c| db::vendor_domains::vendor_for_domain(c, "BETA.example"))
        .unwrap();
    assert_eq!(found, Some(VendorId(20)));
    let roles = db
        .resolving(|c| {
            diesel::sql_query("SELECT count(*) AS n FROM roles")
                .get_result::<Count>(c)
                .map(|c| c.n)
        })
        .unwrap();
    assert_eq!(roles, 0, "the resolver scope opens domains only");
}

#[test]
fn migrations_are_reversible() {
    let test = TestDb::new();
    let reverted = db::revert_all_migrations(test.url()).unwrap();
    assert_eq!(reverted.len(), 2);
    let mut conn = test.owner_conn();
    let tables = diesel::sql_query(
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
    )
    .get_result::<Count>(&mut conn)
    .unwrap();
    assert_eq!(tables.n, 0, "down migrations leave no table behind");
    let applied = db::run_migrations(test.url()).unwrap();
    assert_eq!(applied.len(), 2, "and the migrations apply again");
}

#[test]
fn every_vendor_owned_table_forces_row_level_security() {
    let test = TestDb::new();
    let mut conn = test.owner_conn();
    #[derive(QueryableByName)]
    struct Table {
        #[diesel(sql_type = diesel::sql_types::Text)]
        relname: String,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        relrowsecurity: bool,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        relforcerowsecurity: bool,
    }
    // Every table with a vendor_id column, except the tenants themselves and refresh tokens
    // (found by hash before any vendor is known; see the migration).
    let tables = diesel::sql_query(
        "SELECT c.relname::text AS relname, c.relrowsecurity, c.relforcerowsecurity
         FROM pg_class c JOIN information_schema.columns col
           ON col.table_name = c.relname AND col.column_name = 'vendor_id' AND col.table_schema = 'public'
         WHERE c.relkind = 'r' AND c.relname NOT IN ('refresh_tokens')",
    )
    .load::<Table>(&mut conn)
    .unwrap();
    assert!(
        tables.len() >= 5,
        "found {} vendor-owned tables",
        tables.len()
    );
    for t in tables {
        assert!(
            t.relrowsecurity && t.relforcerowsecurity,
            "{} lacks forced row-level security",
            t.relname
        );
    }
}
