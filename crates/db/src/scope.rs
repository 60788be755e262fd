//! Proofs of who may see what. A [`TenantScope`] names the one vendor whose rows a
//! transaction may touch; a [`PlatformScope`] allows reading across vendors.
//!
//! Both are constructed only with `trusted`, which the code calls only after it has proven
//! the scope: the tenancy resolver (vendor looked up and active), a verified vendor or
//! customer token, or a verified admin token. Grep for `trusted(` to audit them.

use crate::VendorId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenantScope {
    vendor_id: VendorId,
}

impl TenantScope {
    /// For a vendor id already proven by the resolver or a verified token.
    pub fn trusted(vendor_id: VendorId) -> Self {
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
    /// For code holding a verified platform-admin token (or the operator's xtask).
    pub fn trusted() -> Self {
        Self::trusted_const()
    }

    /// The same, usable in a `const` (tests and tools).
    pub const fn trusted_const() -> Self {
        Self { _proof: () }
    }
}
