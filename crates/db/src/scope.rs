//! Proofs of who may see what. A [`TenantScope`] names the one vendor whose rows a
//! transaction may touch; a [`PlatformScope`] allows reading across vendors.
//!
//! `TenantScope::trusted` is called only after the scope is proven: by the tenancy resolver
//! (vendor looked up and open) or a verified vendor or customer token. `PlatformScope::trusted`
//! is called only by the auth service once it has verified an admin token, by the job worker
//! for a platform job (whose row only a platform transaction can write), and by the
//! operator's xtask; `crates/db/tests/scope_minting.rs` fails if it appears anywhere else.

use crate::VendorId;

/// The kinds of transaction a [`crate::Tx`] can be. Sealed: only this crate's scopes exist.
pub trait Scope: sealed::Sealed {}

mod sealed {
    pub trait Sealed {}
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenantScope {
    vendor_id: VendorId,
}

impl TenantScope {
    /// For a vendor id already proven by the resolver or a verified token.
    pub const fn trusted(vendor_id: VendorId) -> Self {
        Self { vendor_id }
    }

    pub fn vendor_id(&self) -> VendorId {
        self.vendor_id
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlatformScope {
    _proof: (),
}

impl PlatformScope {
    /// For the auth service's admin check (a verified platform-admin token) and the
    /// operator's xtask; nothing else may call it (see the module docs).
    pub const fn trusted() -> Self {
        Self { _proof: () }
    }
}

/// A transaction with no scope: it sees the platform tables (users, vendors, refresh tokens)
/// and no vendor-owned row at all.
#[derive(Debug, Clone, Copy)]
pub struct Unscoped(());

/// A transaction that may look up custom domains and nothing else vendor-owned: resolving a
/// request to its vendor precedes any tenant scope.
#[derive(Debug, Clone, Copy)]
pub struct Resolving(());

/// A transaction of the job queue's workers: it sees every vendor's jobs (to claim them) and
/// nothing else vendor-owned. A job's work then runs in the tenant scope of the job's vendor.
#[derive(Debug, Clone, Copy)]
pub struct Queue(());

impl Queue {
    pub(crate) const fn new() -> Self {
        Self(())
    }
}

impl Unscoped {
    pub(crate) const fn new() -> Self {
        Self(())
    }
}

impl Resolving {
    pub(crate) const fn new() -> Self {
        Self(())
    }
}

impl sealed::Sealed for TenantScope {}
impl sealed::Sealed for PlatformScope {}
impl sealed::Sealed for Unscoped {}
impl sealed::Sealed for Resolving {}
impl sealed::Sealed for Queue {}
impl Scope for TenantScope {}
impl Scope for PlatformScope {}
impl Scope for Unscoped {}
impl Scope for Resolving {}
impl Scope for Queue {}
