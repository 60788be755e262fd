//! The r2d2 pool and the scoped transactions every query runs in.

use std::time::Duration;

use diesel::PgConnection;
use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};

use crate::scope::{Queue, Resolving, Unscoped};
use crate::tx::{PlatformTx, QueueTx, ResolvingTx, TenantTx, Tx, UnscopedTx};
use crate::{Error, PlatformScope, TenantScope};

pub type PgPool = Pool<ConnectionManager<PgConnection>>;

/// The restricted role created by the first migration; row-level security applies to it.
const APP_ROLE: &str = "wizamart_app";

/// Whether the pool accepts a login with more privileges than the server needs
/// ([`crate::login::LoginPrivileges::is_excessive`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginPolicy {
    /// Development and tools: any login that may become the application role.
    Allow,
    /// Production: a connection whose login is a superuser or table owner is refused.
    Refuse,
}

/// Switches each new pooled connection to the application role, so row-level security
/// holds even when DATABASE_URL logs in as a superuser (which RLS would not restrict), and in
/// production refuses such a login outright. Also switches PostgreSQL's JIT compiler off: the
/// server's queries are short, and one whose cost is misjudged (a table grown by an import
/// before its statistics follow) spent about 300 ms compiling on top of its own run.
#[derive(Debug)]
struct AppRole(LoginPolicy);

impl CustomizeConnection<PgConnection, diesel::r2d2::Error> for AppRole {
    fn on_acquire(&self, conn: &mut PgConnection) -> Result<(), diesel::r2d2::Error> {
        if self.0 == LoginPolicy::Refuse {
            let login = crate::login::privileges(conn).map_err(diesel::r2d2::Error::QueryError)?;
            if login.is_excessive() {
                return Err(diesel::r2d2::Error::QueryError(
                    diesel::result::Error::QueryBuilderError(Box::new(Error::PrivilegedLogin(
                        login.login,
                    ))),
                ));
            }
        }
        conn.batch_execute(&format!(
            "SET ROLE {APP_ROLE}; SET application_name = 'wizamart'; SET jit = off"
        ))
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// Builds the pool: `max_size` connections, no test query on checkout (a broken connection
/// fails its query and is discarded), and a short checkout timeout so an exhausted pool
/// answers quickly instead of hanging requests. Connections are opened in the background:
/// the server starts while the database is still down and reports it on `/health/ready`.
pub fn build_pool(database_url: &str, max_size: u32, login: LoginPolicy) -> PgPool {
    Pool::builder()
        .max_size(max_size)
        .min_idle(Some(1))
        .test_on_check_out(false)
        .connection_timeout(Duration::from_secs(5))
        .connection_customizer(Box::new(AppRole(login)))
        .build_unchecked(ConnectionManager::<PgConnection>::new(database_url))
}

/// The database handle the services hold. Every method opens one transaction, so a request's
/// reads and writes commit or roll back together, and hands the closure a [`Tx`] handle of
/// that transaction's scope.
#[derive(Clone)]
pub struct Db {
    pub(crate) pool: PgPool,
}

impl Db {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }

    /// Runs `f` in a transaction that can see only `scope`'s vendor-owned rows:
    /// `app.vendor_id` is set transaction-locally, so it never leaks to the next user of the
    /// pooled connection.
    pub fn tenant<T, E>(
        &self,
        scope: &TenantScope,
        f: impl FnOnce(&mut TenantTx<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<Error> + From<diesel::result::Error>,
    {
        // An integer, so writing it into the statement is safe.
        let begin = format!(
            "BEGIN; SELECT set_config('app.vendor_id', '{}', true)",
            scope.vendor_id().0
        );
        self.transaction(&begin, |conn| f(&mut Tx::new(conn, *scope)))
    }

    /// Runs `f` in a transaction that sees every vendor's rows; only platform-admin code can
    /// hold the [`PlatformScope`] this needs.
    pub fn platform<T, E>(
        &self,
        scope: &PlatformScope,
        f: impl FnOnce(&mut PlatformTx<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<Error> + From<diesel::result::Error>,
    {
        self.transaction(
            "BEGIN; SELECT set_config('app.scope', 'platform', true)",
            |conn| f(&mut Tx::new(conn, *scope)),
        )
    }

    /// Runs `f` in a transaction that may look up custom domains (and nothing else
    /// vendor-owned): resolving a request to its vendor precedes any tenant scope.
    pub fn resolving<T, E>(
        &self,
        f: impl FnOnce(&mut ResolvingTx<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<Error> + From<diesel::result::Error>,
    {
        self.transaction(
            "BEGIN; SELECT set_config('app.scope', 'resolve', true)",
            |conn| f(&mut Tx::new(conn, Resolving::new())),
        )
    }

    /// Runs `f` in a transaction of the job queue: it sees every job and no other
    /// vendor-owned row.
    pub fn queue<T, E>(&self, f: impl FnOnce(&mut QueueTx<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<Error> + From<diesel::result::Error>,
    {
        self.transaction(
            "BEGIN; SELECT set_config('app.scope', 'jobs', true)",
            |conn| f(&mut Tx::new(conn, Queue::new())),
        )
    }

    /// Runs `f` in a transaction with no scope: it sees the platform tables (users, vendors,
    /// refresh tokens) and no vendor-owned row at all.
    pub fn unscoped<T, E>(
        &self,
        f: impl FnOnce(&mut UnscopedTx<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<Error> + From<diesel::result::Error>,
    {
        self.transaction("BEGIN", |conn| f(&mut Tx::new(conn, Unscoped::new())))
    }

    /// Diesel's `transaction`, except that `begin` opens it: the scope's settings travel with
    /// `BEGIN` in one round trip instead of two (every request opens one or two transactions).
    fn transaction<T, E>(
        &self,
        begin: &str,
        f: impl FnOnce(&mut PgConnection) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<Error> + From<diesel::result::Error>,
    {
        use diesel::connection::{AnsiTransactionManager, TransactionManager};
        let mut conn = self.pool.get().map_err(Error::from)?;
        let conn: &mut PgConnection = &mut conn;
        if let Err(e) = AnsiTransactionManager::begin_transaction_sql(conn, begin) {
            // BEGIN may have run before the setting failed: leave no transaction open.
            let _ = conn.batch_execute("ROLLBACK");
            return Err(e.into());
        }
        match f(conn) {
            Ok(value) => {
                AnsiTransactionManager::commit_transaction(conn)?;
                Ok(value)
            }
            Err(error) => match AnsiTransactionManager::rollback_transaction(conn) {
                Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(error),
                Err(rollback) => Err(rollback.into()),
            },
        }
    }

    /// What health checks and metrics may know of the database, and nothing more.
    pub fn probe(&self) -> Probe {
        Probe {
            pool: self.pool.clone(),
        }
    }
}

/// A narrow view of the pool for `/health` and `/metrics`: can it answer, how many
/// connections are open. It reads no table.
#[derive(Clone)]
pub struct Probe {
    pool: PgPool,
}

impl Probe {
    /// Whether the database answers a trivial query within a second (for `/health/ready`,
    /// whose callers time out quickly).
    pub fn ping(&self) -> bool {
        self.pool
            .get_timeout(Duration::from_secs(1))
            .ok()
            .is_some_and(|mut c| c.batch_execute("SELECT 1").is_ok())
    }

    /// Open and idle connections.
    pub fn connections(&self) -> (u32, u32) {
        let state = self.pool.state();
        (state.connections, state.idle_connections)
    }
}

pub(crate) fn set_local(
    conn: &mut PgConnection,
    key: &str,
    value: &str,
) -> Result<(), diesel::result::Error> {
    use diesel::RunQueryDsl;
    use diesel::sql_types::Text;
    diesel::sql_query("SELECT set_config($1, $2, true)")
        .bind::<Text, _>(key)
        .bind::<Text, _>(value)
        .execute(conn)
        .map(|_| ())
}
