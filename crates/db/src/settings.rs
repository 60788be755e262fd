//! Per-vendor settings (vendor-owned; row-level security applies).

use diesel::prelude::*;

use crate::VendorId;
use crate::schema::vendor_settings;

/// Creates the empty settings row every vendor has from the start.
pub fn create_defaults(conn: &mut PgConnection, vendor_id: VendorId) -> QueryResult<()> {
    diesel::insert_into(vendor_settings::table)
        .values(vendor_settings::vendor_id.eq(vendor_id))
        .on_conflict_do_nothing()
        .execute(conn)
        .map(|_| ())
}
