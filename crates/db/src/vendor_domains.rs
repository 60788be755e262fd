//! Vendors' custom domains (vendor-owned; row-level security applies).

use diesel::prelude::*;

use crate::schema::vendor_domains;
use crate::{ResolvingTx, TenantTx, VendorId};

/// Finds the vendor owning a custom domain; only a resolving transaction may, as nothing
/// else may read other vendors' domains.
pub fn vendor_for_domain(tx: &mut ResolvingTx<'_>, domain: &str) -> QueryResult<Option<VendorId>> {
    vendor_domains::table
        .filter(vendor_domains::domain.eq(domain.to_lowercase()))
        // A domain routes to its shop only once the vendor proved it owns it.
        .filter(vendor_domains::verified_at.is_not_null())
        .select(vendor_domains::vendor_id)
        .first(tx.conn())
        .optional()
}

/// The handle's vendor's domains.
pub fn list(tx: &mut TenantTx<'_>) -> QueryResult<Vec<String>> {
    let vendor_id = tx.vendor_id();
    vendor_domains::table
        .filter(vendor_domains::vendor_id.eq(vendor_id))
        .order(vendor_domains::domain)
        .select(vendor_domains::domain)
        .load(tx.conn())
}
