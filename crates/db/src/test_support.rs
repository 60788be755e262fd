//! Per-test databases: one migrated template per test process, and for each test a fresh
//! database cloned from it (`CREATE DATABASE ... TEMPLATE`), dropped when the test ends.
//! Databases left by crashed runs (their process is gone) are swept when a process starts.
//!
//! The server to use comes from TEST_DATABASE_URL, else DATABASE_URL, else the local
//! trust-auth default `postgres://postgres@127.0.0.1:5432/postgres`; that login (normally a
//! superuser) creates the databases and migrates them, and the pools tests use log in as the
//! server's own restricted login (`crate::login`), as the server does.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::{Db, LoginPolicy, PgPool, build_pool, run_migrations};

const PREFIX: &str = "wzt";

/// A database of one test's own, dropped on drop.
pub struct TestDb {
    name: String,
    url: String,
    server_url: String,
}

impl TestDb {
    /// Clones a fresh database from this process's migrated template.
    pub fn new() -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        // CREATE DATABASE refuses a template that another clone is reading from, so clones
        // are taken one at a time within the process.
        static CLONING: Mutex<()> = Mutex::new(());
        let template = template();
        let name = format!(
            "{PREFIX}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        {
            let _guard = CLONING.lock().unwrap_or_else(|p| p.into_inner());
            admin_conn()
                .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                .unwrap_or_else(|e| panic!("cannot clone test database {name}: {e}"));
        }
        let url = url_for(&base_url(), &name);
        let server_url = crate::login::login_url(&url, crate::login::SERVER_LOGIN, None)
            .unwrap_or_else(|e| panic!("{e}"));
        Self {
            name,
            url,
            server_url,
        }
    }

    /// The owner's URL (migrations, arranging data).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The URL of the server's restricted login (no password: test clusters trust local
    /// connections).
    pub fn server_url(&self) -> &str {
        &self.server_url
    }

    /// A small pool over this database as the server's login, switched to the application
    /// role like the server's, and refusing a privileged login as production does.
    pub fn pool(&self) -> PgPool {
        build_pool(&self.server_url, 4, LoginPolicy::Refuse)
    }

    pub fn db(&self) -> Db {
        Db::new(self.pool())
    }

    /// Two vendors for isolation tests: alpha (id 10, owned by user 1) and beta (id 20, owned
    /// by user 2), with nothing else.
    pub fn with_two_vendors() -> Self {
        let test = Self::new();
        test.owner_conn()
            .batch_execute(
                "INSERT INTO users (id, email, password_hash) VALUES (1, 'a@x.lu', 'h'), (2, 'b@x.lu', 'h');
                 INSERT INTO vendors (id, code, name, subdomain, owner_user_id) VALUES
                   (10, 'alpha', 'A', 'alpha', 1), (20, 'beta', 'B', 'beta', 2);",
            )
            .unwrap_or_else(|e| panic!("cannot arrange two vendors: {e}"));
        test
    }

    /// A direct connection as the login user (typically a superuser, so row-level security
    /// does not hide anything): for arranging data and asserting on what was stored.
    pub fn owner_conn(&self) -> PgConnection {
        PgConnection::establish(&self.url).unwrap_or_else(|e| panic!("connect {}: {e}", self.name))
    }
}

impl Default for TestDb {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = admin_conn().batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}

fn base_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .or_else(|_| std::env::var("DATABASE_URL"))
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// The same server and credentials as `base`, another database name.
pub fn url_for(base: &str, database: &str) -> String {
    let (main, query) = match base.split_once('?') {
        Some((m, q)) => (m, Some(q)),
        None => (base, None),
    };
    let authority_start = main.find("://").map_or(0, |i| i + 3);
    let server = match main[authority_start..].find('/') {
        Some(slash) => &main[..authority_start + slash],
        None => main,
    };
    match query {
        Some(q) => format!("{server}/{database}?{q}"),
        None => format!("{server}/{database}"),
    }
}

fn admin_conn() -> PgConnection {
    let url = url_for(&base_url(), "postgres");
    PgConnection::establish(&url).unwrap_or_else(|e| {
        panic!("tests need PostgreSQL at {url} (set TEST_DATABASE_URL, or run `make test`): {e}")
    })
}

/// The migrated template of this process, created on first use.
fn template() -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        sweep_leftovers();
        let name = format!("{PREFIX}_tpl_{}", std::process::id());
        let mut admin = admin_conn();
        for statement in [
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            format!("CREATE DATABASE {name}"),
        ] {
            admin
                .batch_execute(&statement)
                .unwrap_or_else(|e| panic!("cannot create template {name}: {e}"));
        }
        let url = url_for(&base_url(), &name);
        run_migrations(&url).unwrap_or_else(|e| panic!("migrating {name}: {e}"));
        crate::login::ensure_server_login(&url, None)
            .unwrap_or_else(|e| panic!("creating the server login: {e}"));
        name
    })
}

#[derive(QueryableByName)]
struct DatName {
    #[diesel(sql_type = Text)]
    datname: String,
}

/// Drops test databases whose owning process no longer runs (the pid is part of the name).
/// The template of the current process is dropped by the next run's sweep.
fn sweep_leftovers() {
    let mut admin = admin_conn();
    let Ok(names) = diesel::sql_query("SELECT datname FROM pg_database WHERE datname LIKE $1")
        .bind::<Text, _>(format!("{PREFIX}\\_%"))
        .load::<DatName>(&mut admin)
    else {
        return;
    };
    for DatName { datname } in names {
        let pid = datname
            .trim_start_matches(PREFIX)
            .trim_start_matches("_tpl")
            .split('_')
            .find(|part| !part.is_empty())
            .and_then(|p| p.parse::<u32>().ok());
        let alive = pid.is_some_and(|p| std::path::Path::new(&format!("/proc/{p}")).exists());
        if !alive {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {datname} WITH (FORCE)"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::url_for;

    #[test]
    fn url_for_swaps_only_the_database() {
        assert_eq!(
            url_for("postgres://u:p@h:1/app?sslmode=disable", "x"),
            "postgres://u:p@h:1/x?sslmode=disable"
        );
        assert_eq!(url_for("postgres://h", "x"), "postgres://h/x");
        assert_eq!(url_for("postgres://h/", "x"), "postgres://h/x");
    }
}
