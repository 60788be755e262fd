//! Roles of one vendor (vendor-owned; row-level security applies).

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::schema::roles;
use crate::{RoleId, TenantTx, VendorId};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = roles, check_for_backend(diesel::pg::Pg))]
pub struct Role {
    pub id: RoleId,
    pub vendor_id: VendorId,
    pub name: String,
    /// PostgreSQL arrays may hold NULLs, so Diesel reads elements as `Option`s; none are
    /// ever written.
    pub permissions: Vec<Option<String>>,
    pub created_at: DateTime<Utc>,
}

/// A role to create for the handle's vendor.
pub struct NewRole<'a> {
    pub name: &'a str,
    pub permissions: Vec<Option<String>>,
}

pub fn insert_many(tx: &mut TenantTx<'_>, new: &[NewRole<'_>]) -> QueryResult<Vec<Role>> {
    let vendor_id = tx.vendor_id();
    let rows: Vec<_> = new
        .iter()
        .map(|r| {
            (
                roles::vendor_id.eq(vendor_id),
                roles::name.eq(r.name),
                roles::permissions.eq(&r.permissions),
            )
        })
        .collect();
    diesel::insert_into(roles::table)
        .values(rows)
        .returning(Role::as_returning())
        .get_results(tx.conn())
}
