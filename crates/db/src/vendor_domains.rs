//! Vendors' custom domains (vendor-owned; row-level security applies).

use diesel::prelude::*;

use crate::VendorId;
use crate::schema::vendor_domains;

/// Finds the vendor owning a custom domain; callable only inside `Db::resolving` (or a
/// platform scope), as nothing else may read other vendors' domains.
pub fn vendor_for_domain(conn: &mut PgConnection, domain: &str) -> QueryResult<Option<VendorId>> {
    vendor_domains::table
        .filter(vendor_domains::domain.eq(domain.to_lowercase()))
        .select(vendor_domains::vendor_id)
        .first(conn)
        .optional()
}

/// Adds a domain to the vendor of the enclosing tenant transaction.
pub fn insert(
    conn: &mut PgConnection,
    vendor_id: VendorId,
    domain: &str,
    is_primary: bool,
) -> QueryResult<()> {
    diesel::insert_into(vendor_domains::table)
        .values((
            vendor_domains::vendor_id.eq(vendor_id),
            vendor_domains::domain.eq(domain.to_lowercase()),
            vendor_domains::is_primary.eq(is_primary),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The domains visible in the enclosing transaction (the tenant's own).
pub fn list(conn: &mut PgConnection, vendor_id: VendorId) -> QueryResult<Vec<String>> {
    vendor_domains::table
        .filter(vendor_domains::vendor_id.eq(vendor_id))
        .order(vendor_domains::domain)
        .select(vendor_domains::domain)
        .load(conn)
}
