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
         INSERT INTO vendor_domains (vendor_id, domain, verified_at) VALUES (10, 'alpha.example', now()), (20, 'beta.example', now());",
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
        Some(s) => db.tenant(s, |tx| run(tx.raw())).unwrap(),
        None => db.unscoped(|tx| run(tx.raw())).unwrap(),
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
                .get_result::<Count>(c.raw())
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
        diesel::sql_query("INSERT INTO roles (vendor_id, name) VALUES (20, 'Planted')")
            .execute(c.raw())
    });
    assert!(
        insert.is_err(),
        "the WITH CHECK policy refuses a row for vendor B"
    );
    let updated = db
        .tenant(&TenantScope::trusted(alpha), |c| {
            diesel::sql_query("UPDATE roles SET name = name || '!' WHERE vendor_id = 20")
                .execute(c.raw())
        })
        .unwrap();
    assert_eq!(updated, 0, "vendor B's rows are invisible to an update");
    let deleted = db
        .tenant(&TenantScope::trusted(alpha), |c| {
            diesel::sql_query("DELETE FROM vendor_domains").execute(c.raw())
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
    let db = Db::new(db::build_pool(
        test.server_url(),
        1,
        db::LoginPolicy::Refuse,
    ));
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
        .resolving(|tx| db::vendor_domains::vendor_for_domain(tx, "BETA.example"))
        .unwrap();
    assert_eq!(found, Some(VendorId(20)));
    let roles = db
        .resolving(|c| {
            diesel::sql_query("SELECT count(*) AS n FROM roles")
                .get_result::<Count>(c.raw())
                .map(|c| c.n)
        })
        .unwrap();
    assert_eq!(roles, 0, "the resolver scope opens domains only");
}

#[test]
fn migrations_are_reversible() {
    let test = TestDb::new();
    let reverted = db::revert_all_migrations(test.url()).unwrap();
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations"))
        .unwrap()
        .count();
    assert_eq!(reverted.len(), migrations);
    let mut conn = test.owner_conn();
    let tables = diesel::sql_query(
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
    )
    .get_result::<Count>(&mut conn)
    .unwrap();
    assert_eq!(tables.n, 0, "down migrations leave no table behind");
    let applied = db::run_migrations(test.url()).unwrap();
    assert_eq!(applied.len(), migrations, "and the migrations apply again");
}

/// The tables that hold no vendor-owned rows and so carry no row-level security. Anything
/// else — a new table, a child table such as translations or order items — must force RLS,
/// or this list must say why not.
const WITHOUT_RLS: &[(&str, &str)] = &[
    ("__diesel_schema_migrations", "the migration ledger"),
    ("users", "platform accounts, shared by vendors"),
    ("vendors", "the list of tenants itself"),
    ("refresh_tokens", "found by hash before any vendor is known"),
    ("platform_settings", "platform-wide, admin only"),
];

/// Tables with row-level security enabled but not forced, so that their owner's SECURITY
/// DEFINER functions can use indexes that RLS would rule out. The server's role has no
/// privilege on them at all; the functions apply the wall themselves.
const RLS_NOT_FORCED: &[(&str, &str)] = &[(
    "product_search",
    "full-text vectors, read only through wz_product_matches (the GIN index is unusable under forced RLS)",
)];

#[test]
fn every_table_forces_row_level_security_or_is_on_the_allow_list() {
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
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        policies: i64,
    }
    let tables = diesel::sql_query(
        "SELECT c.relname::text AS relname, c.relrowsecurity, c.relforcerowsecurity,
                (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
         FROM pg_class c
         WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
         ORDER BY 1",
    )
    .load::<Table>(&mut conn)
    .unwrap();
    let names: Vec<&str> = tables.iter().map(|t| t.relname.as_str()).collect();
    for (allowed, _why) in WITHOUT_RLS {
        assert!(
            names.contains(allowed),
            "{allowed} is on the allow-list but no longer exists"
        );
    }
    for (name, _why) in RLS_NOT_FORCED {
        let t = tables.iter().find(|t| t.relname == *name).unwrap();
        assert!(
            t.relrowsecurity && !t.relforcerowsecurity && t.policies > 0,
            "{name}: RLS enabled with a policy, not forced"
        );
        let granted: i64 = diesel::sql_query(format!(
            "SELECT count(*) AS n FROM information_schema.role_table_grants
             WHERE grantee = 'wizamart_app' AND table_name = '{name}'"
        ))
        .get_result::<Count>(&mut conn)
        .unwrap()
        .n;
        assert_eq!(granted, 0, "the server's role cannot touch {name}");
    }
    let walled: Vec<&Table> = tables
        .iter()
        .filter(|t| !WITHOUT_RLS.iter().any(|(name, _)| *name == t.relname))
        .filter(|t| !RLS_NOT_FORCED.iter().any(|(name, _)| *name == t.relname))
        .collect();
    assert!(walled.len() >= 5, "found {} walled tables", walled.len());
    for t in walled {
        assert!(
            t.relrowsecurity && t.relforcerowsecurity && t.policies > 0,
            "{} lacks forced row-level security with a policy (or a reason on WITHOUT_RLS)",
            t.relname
        );
    }
}

#[test]
fn the_search_function_answers_only_the_transactions_own_vendor() {
    let test = TestDb::new();
    let (alpha, beta) = two_vendors(&test);
    test.owner_conn()
        .batch_execute(
            "INSERT INTO products (id, vendor_id, sku, price_cents) VALUES (1, 10, 'A', 1), (2, 20, 'B', 1);
             INSERT INTO product_translations (vendor_id, product_id, language, title) VALUES
               (10, 1, 'fr', 'Lanterne secrète'), (20, 2, 'fr', 'Lanterne publique');",
        )
        .unwrap();
    let db = test.db();
    let matches = "SELECT count(*) AS n FROM wz_product_matches('lanterne')";
    assert_eq!(count(&db, Some(&TenantScope::trusted(alpha)), matches), 1);
    assert_eq!(
        count(
            &db,
            Some(&TenantScope::trusted(beta)),
            "SELECT count(*) AS n FROM wz_product_matches('secrete')"
        ),
        0,
        "B cannot find A's words"
    );
    let platform = db
        .platform(&PlatformScope::trusted(), |c| {
            diesel::sql_query(matches)
                .get_result::<Count>(c.raw())
                .map(|c| c.n)
        })
        .unwrap();
    assert_eq!(platform, 0, "no vendor, no matches");
    let direct = db.tenant(&TenantScope::trusted(beta), |c| {
        diesel::sql_query("SELECT count(*) AS n FROM product_search")
            .get_result::<Count>(c.raw())
            .map(|c| c.n)
    });
    assert!(
        direct.is_err_and(|e| e.to_string().contains("permission denied")),
        "the vectors are not readable directly"
    );
}

#[test]
fn bulk_vendor_imports_are_seen_in_the_platform_scope_only() {
    let test = TestDb::new();
    let (alpha, _) = two_vendors(&test);
    test.owner_conn()
        .batch_execute(
            "INSERT INTO vendor_bulk_imports (file_name, csv, total_rows, created)
             VALUES ('v.csv', 'x', 1, '[{\"temporary_password\": \"secret\"}]')",
        )
        .unwrap();
    let db = test.db();
    let sql = "SELECT count(*) AS n FROM vendor_bulk_imports";
    assert_eq!(count(&db, Some(&TenantScope::trusted(alpha)), sql), 0);
    assert_eq!(count(&db, None, sql), 0, "nor without a scope");
    let seen = db
        .platform(&PlatformScope::trusted(), |tx| {
            diesel::sql_query(sql).get_result::<Count>(tx.raw())
        })
        .unwrap();
    assert_eq!(seen.n, 1);
}
