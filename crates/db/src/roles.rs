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
    /// One of the four roles every vendor starts with: never changed or deleted.
    pub is_default: bool,
}

/// A role to create for the handle's vendor.
pub struct NewRole<'a> {
    pub name: &'a str,
    pub permissions: Vec<Option<String>>,
    pub is_default: bool,
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
                roles::is_default.eq(r.is_default),
            )
        })
        .collect();
    diesel::insert_into(roles::table)
        .values(rows)
        .returning(Role::as_returning())
        .get_results(tx.conn())
}

/// The handle's vendor's roles with how many members hold each, defaults first.
pub fn with_member_counts(tx: &mut TenantTx<'_>) -> QueryResult<Vec<(Role, i64)>> {
    use crate::schema::vendor_users;
    let vendor_id = tx.vendor_id();
    let roles: Vec<Role> = roles::table
        .filter(roles::vendor_id.eq(vendor_id))
        .order((roles::is_default.desc(), roles::id))
        .select(Role::as_select())
        .load(tx.conn())?;
    let counts: Vec<(RoleId, i64)> = vendor_users::table
        .filter(vendor_users::vendor_id.eq(vendor_id))
        .group_by(vendor_users::role_id)
        .select((vendor_users::role_id, diesel::dsl::count_star()))
        .load(tx.conn())?;
    Ok(roles
        .into_iter()
        .map(|r| {
            let n = counts
                .iter()
                .find(|(id, _)| *id == r.id)
                .map_or(0, |(_, n)| *n);
            (r, n)
        })
        .collect())
}

pub fn find(tx: &mut TenantTx<'_>, id: RoleId) -> QueryResult<Option<Role>> {
    let vendor_id = tx.vendor_id();
    roles::table
        .filter(roles::vendor_id.eq(vendor_id))
        .filter(roles::id.eq(id))
        .select(Role::as_select())
        .first(tx.conn())
        .optional()
}

/// Locks the vendor's default role of this name until the transaction ends: team changes
/// take the Owner role's lock first, so they run one at a time per vendor.
pub fn lock_default(tx: &mut TenantTx<'_>, name: &str) -> QueryResult<Option<RoleId>> {
    let vendor_id = tx.vendor_id();
    roles::table
        .filter(roles::vendor_id.eq(vendor_id))
        .filter(roles::is_default.eq(true))
        .filter(roles::name.eq(name))
        .select(roles::id)
        .for_update()
        .first(tx.conn())
        .optional()
}

/// The vendor's default role of this name (Owner, Manager, Editor, Viewer).
pub fn find_default(tx: &mut TenantTx<'_>, name: &str) -> QueryResult<Option<Role>> {
    let vendor_id = tx.vendor_id();
    roles::table
        .filter(roles::vendor_id.eq(vendor_id))
        .filter(roles::is_default.eq(true))
        .filter(roles::name.eq(name))
        .select(Role::as_select())
        .first(tx.conn())
        .optional()
}

/// Renames a role and sets its permissions.
pub fn update(
    tx: &mut TenantTx<'_>,
    id: RoleId,
    name: &str,
    permissions: &[Option<String>],
) -> QueryResult<Role> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        roles::table
            .filter(roles::vendor_id.eq(vendor_id))
            .filter(roles::id.eq(id)),
    )
    .set((roles::name.eq(name), roles::permissions.eq(permissions)))
    .returning(Role::as_returning())
    .get_result(tx.conn())
}

pub fn delete(tx: &mut TenantTx<'_>, id: RoleId) -> QueryResult<usize> {
    let vendor_id = tx.vendor_id();
    diesel::delete(
        roles::table
            .filter(roles::vendor_id.eq(vendor_id))
            .filter(roles::id.eq(id)),
    )
    .execute(tx.conn())
}
