//! Transaction handles. Repository functions take one of these, never a raw connection, so
//! the scope a query runs in is part of its type: a function over vendor-owned rows takes a
//! [`TenantTx`] and reads the vendor id from it, so the id it filters by can never disagree
//! with the `app.vendor_id` that row-level security checks.
//!
//! Handles are made only by [`crate::Db`] (and [`PlatformTx::vendor`]); the connection inside
//! is private to this crate.

use diesel::PgConnection;

use crate::scope::{Queue, Resolving, Scope, Unscoped};
use crate::{PlatformScope, TenantScope, VendorId};

/// An open transaction in scope `S`.
pub struct Tx<'c, S: Scope> {
    conn: &'c mut PgConnection,
    scope: S,
}

/// A transaction that sees one vendor's rows (`app.vendor_id` is set).
pub type TenantTx<'c> = Tx<'c, TenantScope>;
/// A transaction that sees every vendor's rows (`app.scope = 'platform'`).
pub type PlatformTx<'c> = Tx<'c, PlatformScope>;
/// A transaction that sees platform tables only.
pub type UnscopedTx<'c> = Tx<'c, Unscoped>;
/// A transaction of the job queue (claims, leases, outcomes).
pub type QueueTx<'c> = Tx<'c, Queue>;
/// A transaction that may resolve custom domains.
pub type ResolvingTx<'c> = Tx<'c, Resolving>;

impl<'c, S: Scope> Tx<'c, S> {
    pub(crate) fn new(conn: &'c mut PgConnection, scope: S) -> Self {
        Self { conn, scope }
    }

    pub(crate) fn conn(&mut self) -> &mut PgConnection {
        self.conn
    }

    /// The raw connection, for tests that write the SQL a careless developer would.
    #[cfg(feature = "test-support")]
    pub fn raw(&mut self) -> &mut PgConnection {
        self.conn
    }
}

impl TenantTx<'_> {
    pub fn vendor_id(&self) -> VendorId {
        self.scope.vendor_id()
    }

    pub fn scope(&self) -> TenantScope {
        self.scope
    }
}

impl<S: Scope> Tx<'_, S> {
    /// Runs `f` inside a savepoint: its changes stay when it succeeds and `keep` is true, and
    /// are undone otherwise (a failed statement included, so the transaction goes on). A
    /// rehearsal (`keep = false`) answers what `f` would have done, having written nothing.
    pub fn savepoint<T, E>(
        &mut self,
        keep: bool,
        f: impl FnOnce(&mut Self) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<diesel::result::Error>,
    {
        use diesel::connection::SimpleConnection;
        self.conn.batch_execute("SAVEPOINT wz_step")?;
        let outcome = f(self);
        let end = match (&outcome, keep) {
            (Ok(_), true) => "RELEASE SAVEPOINT wz_step",
            _ => "ROLLBACK TO SAVEPOINT wz_step; RELEASE SAVEPOINT wz_step",
        };
        self.conn.batch_execute(end)?;
        outcome
    }
}

impl PlatformTx<'_> {
    /// A tenant handle for one vendor inside this platform transaction (an admin acting on
    /// that vendor's rows): `app.vendor_id` is set to it, so the handle's id and the database
    /// setting agree as in any tenant transaction.
    pub fn vendor(&mut self, vendor_id: VendorId) -> diesel::QueryResult<TenantTx<'_>> {
        crate::pool::set_local(self.conn, "app.vendor_id", &vendor_id.0.to_string())?;
        Ok(Tx::new(self.conn, TenantScope::trusted(vendor_id)))
    }
}
