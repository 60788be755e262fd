//! The server's login can do what the server needs and nothing more (docs/database.md).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use db::test_support::TestDb;
use db::{Db, LoginPolicy, TenantScope, VendorId};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;

fn one_vendor(test: &TestDb) -> TenantScope {
    test.owner_conn()
        .batch_execute(
            "INSERT INTO users (id, email, password_hash) VALUES (1, 'a@x.lu', 'h');
             INSERT INTO vendors (id, code, name, subdomain, owner_user_id) VALUES (10, 'alpha', 'A', 'alpha', 1);",
        )
        .unwrap();
    TenantScope::trusted(VendorId(10))
}

/// Runs `sql` in a tenant transaction of its own; answers the database's refusal, if any.
fn refusal(db: &Db, scope: &TenantScope, sql: &str) -> Option<String> {
    db.tenant(scope, |tx| tx.raw().batch_execute(sql))
        .err()
        .map(|e| e.to_string())
}

#[test]
fn the_server_login_cannot_leave_the_application_role() {
    let test = TestDb::new();
    let scope = one_vendor(&test);
    let db = test.db();
    let reset = refusal(&db, &scope, "RESET ROLE; SELECT count(*) FROM vendors");
    assert!(
        reset
            .as_deref()
            .is_some_and(|e| e.contains("permission denied")),
        "after RESET ROLE the login itself may read nothing: {reset:?}"
    );
    let escalate = refusal(&db, &scope, "SET ROLE postgres");
    assert!(
        escalate
            .as_deref()
            .is_some_and(|e| e.contains("permission denied")),
        "{escalate:?}"
    );
    assert_eq!(refusal(&db, &scope, "SELECT count(*) FROM vendors"), None);
}

#[test]
fn pooled_connections_are_the_application_role_without_jit() {
    let test = TestDb::new();
    let scope = one_vendor(&test);
    #[derive(QueryableByName, Debug, PartialEq)]
    struct Session {
        #[diesel(sql_type = Text)]
        role: String,
        #[diesel(sql_type = Text)]
        jit: String,
    }
    let session = test
        .db()
        .tenant(&scope, |tx| {
            diesel::sql_query("SELECT current_user::text AS role, current_setting('jit') AS jit")
                .get_result::<Session>(tx.raw())
        })
        .unwrap();
    assert_eq!(
        session,
        Session {
            role: "wizamart_app".into(),
            jit: "off".into()
        }
    );
}

#[test]
fn audit_logs_are_append_only_and_nothing_can_be_truncated() {
    let test = TestDb::new();
    let scope = one_vendor(&test);
    let db = test.db();
    let insert = "INSERT INTO audit_logs (vendor_id, action, target_type, target_id) VALUES (10, 'x', 'vendor', '10')";
    assert_eq!(refusal(&db, &scope, insert), None);
    for attempt in [
        "UPDATE audit_logs SET action = 'rewritten'",
        "DELETE FROM audit_logs",
    ] {
        let e = refusal(&db, &scope, attempt);
        assert!(
            e.as_deref()
                .is_some_and(|e| e.contains("permission denied")),
            "{attempt}: {e:?}"
        );
    }
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        relname: String,
    }
    let tables = diesel::sql_query(
        "SELECT relname::text AS relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'",
    )
    .load::<Name>(&mut test.owner_conn())
    .unwrap();
    assert!(tables.len() >= 15);
    for t in tables {
        let e = refusal(&db, &scope, &format!("TRUNCATE {}", t.relname));
        assert!(e.is_some(), "TRUNCATE {} was allowed", t.relname);
    }
    let kept: i64 = diesel::sql_query("SELECT count(*)::text AS relname FROM audit_logs")
        .get_result::<Name>(&mut test.owner_conn())
        .unwrap()
        .relname
        .parse()
        .unwrap();
    assert_eq!(kept, 1, "the entry is still there");
    // Not even the owner (who runs migrations) may rewrite or remove an entry.
    for attempt in [
        "UPDATE audit_logs SET action = 'rewritten'",
        "DELETE FROM audit_logs",
        "TRUNCATE audit_logs",
    ] {
        let e = test.owner_conn().batch_execute(attempt).err();
        assert!(
            e.as_ref()
                .is_some_and(|e| e.to_string().contains("append-only")),
            "{attempt} as the owner: {e:?}"
        );
    }
}

#[test]
fn grants_are_minimal_and_listed() {
    let test = TestDb::new();
    #[derive(QueryableByName, Debug, PartialEq)]
    struct Grant {
        #[diesel(sql_type = Text)]
        table_name: String,
        #[diesel(sql_type = Text)]
        privileges: String,
    }
    let grants = diesel::sql_query(
        "SELECT table_name::text AS table_name,
                string_agg(privilege_type, ',' ORDER BY privilege_type) AS privileges
         FROM information_schema.role_table_grants
         WHERE grantee = 'wizamart_app' GROUP BY table_name ORDER BY table_name",
    )
    .load::<Grant>(&mut test.owner_conn())
    .unwrap();
    let listed: Vec<(&str, &str)> = grants
        .iter()
        .map(|g| (g.table_name.as_str(), g.privileges.as_str()))
        .collect();
    // docs/database.md lists the same grants, with the reason for each.
    assert_eq!(
        listed,
        [
            ("admin_mass_actions", "INSERT,SELECT,UPDATE"),
            ("audit_logs", "INSERT,SELECT"),
            ("cart_items", "DELETE,INSERT,SELECT,UPDATE"),
            ("carts", "DELETE,INSERT,SELECT,UPDATE"),
            ("catalog_counters", "INSERT,SELECT,UPDATE"),
            ("customer_addresses", "DELETE,INSERT,SELECT,UPDATE"),
            ("customer_password_resets", "INSERT,SELECT,UPDATE"),
            ("customers", "INSERT,SELECT,UPDATE"),
            ("inventory", "INSERT,SELECT,UPDATE"),
            ("inventory_locations", "INSERT,SELECT,UPDATE"),
            ("inventory_movements", "INSERT,SELECT"),
            ("jobs", "INSERT,SELECT,UPDATE"),
            ("marketplace_import_errors", "DELETE,INSERT,SELECT"),
            ("marketplace_imports", "INSERT,SELECT,UPDATE"),
            ("marketplace_product_translations", "INSERT,SELECT,UPDATE"),
            ("marketplace_products", "INSERT,SELECT,UPDATE"),
            ("order_counters", "INSERT,SELECT,UPDATE"),
            ("order_items", "INSERT,SELECT"),
            ("order_status_history", "INSERT,SELECT"),
            ("orders", "INSERT,SELECT,UPDATE"),
            ("outbound_emails", "INSERT,SELECT,UPDATE"),
            ("payment_accounts", "DELETE,INSERT,SELECT,UPDATE"),
            ("payment_events", "INSERT,SELECT"),
            ("platform_settings", "INSERT,SELECT,UPDATE"),
            ("product_images", "DELETE,INSERT,SELECT,UPDATE"),
            ("product_translations", "DELETE,INSERT,SELECT,UPDATE"),
            ("products", "INSERT,SELECT,UPDATE"),
            ("refresh_tokens", "INSERT,SELECT,UPDATE"),
            ("roles", "DELETE,INSERT,SELECT,UPDATE"),
            ("users", "INSERT,SELECT,UPDATE"),
            ("vendor_bulk_imports", "INSERT,SELECT,UPDATE"),
            ("vendor_domains", "DELETE,INSERT,SELECT,UPDATE"),
            ("vendor_invitations", "INSERT,SELECT,UPDATE"),
            ("vendor_settings", "INSERT,SELECT,UPDATE"),
            ("vendor_users", "DELETE,INSERT,SELECT,UPDATE"),
            ("vendors", "INSERT,SELECT,UPDATE"),
        ]
    );
}

#[test]
fn production_pools_refuse_a_superuser_or_owner_login() {
    let test = TestDb::new();
    let owner = db::login::inspect(test.url()).unwrap();
    assert!(
        owner.is_excessive(),
        "the test cluster's login is a superuser: {owner:?}"
    );
    let server = db::login::inspect(test.server_url()).unwrap();
    assert!(!server.is_excessive(), "{server:?}");
    assert_eq!(server.login, db::login::SERVER_LOGIN);

    let refusing = Db::new(db::build_pool(test.url(), 1, LoginPolicy::Refuse));
    let nobody = |tx: &mut db::UnscopedTx<'_>| db::users::find(tx, db::UserId(1));
    let answer = refusing.unscoped(nobody);
    assert!(
        answer.is_err(),
        "a superuser login is refused in production"
    );
    let allowing = Db::new(db::build_pool(test.url(), 1, LoginPolicy::Allow));
    assert!(allowing.unscoped(nobody).unwrap().is_none());
}
