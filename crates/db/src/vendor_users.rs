//! Memberships: which users belong to which vendor's team, in which role (vendor-owned;
//! row-level security applies).

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::roles::Role;
use crate::schema::{roles, users, vendor_users, vendors};
use crate::users::User;
use crate::vendors::Vendor;
use crate::{RoleId, TenantTx, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = vendor_users, check_for_backend(diesel::pg::Pg))]
pub struct VendorUser {
    pub id: i64,
    pub vendor_id: crate::VendorId,
    pub user_id: UserId,
    pub role_id: RoleId,
    pub invited_by: Option<UserId>,
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub fn insert(
    tx: &mut TenantTx<'_>,
    user_id: UserId,
    role_id: RoleId,
    invited_by: Option<UserId>,
) -> QueryResult<VendorUser> {
    let vendor_id = tx.vendor_id();
    diesel::insert_into(vendor_users::table)
        .values((
            vendor_users::vendor_id.eq(vendor_id),
            vendor_users::user_id.eq(user_id),
            vendor_users::role_id.eq(role_id),
            vendor_users::invited_by.eq(invited_by),
        ))
        .returning(VendorUser::as_returning())
        .get_result(tx.conn())
}

/// The user's membership of the handle's vendor with its role, the user and the vendor, in
/// one query: what every vendor request checks (see `TeamService::active_member`).
pub fn find_member(
    tx: &mut TenantTx<'_>,
    user_id: UserId,
) -> QueryResult<Option<(VendorUser, Role, User, Vendor)>> {
    let vendor_id = tx.vendor_id();
    vendor_users::table
        .inner_join(roles::table.on(roles::id.eq(vendor_users::role_id)))
        .inner_join(users::table.on(users::id.eq(vendor_users::user_id)))
        .inner_join(vendors::table.on(vendors::id.eq(vendor_users::vendor_id)))
        .filter(vendor_users::vendor_id.eq(vendor_id))
        .filter(vendor_users::user_id.eq(user_id))
        .select((
            VendorUser::as_select(),
            Role::as_select(),
            User::as_select(),
            Vendor::as_select(),
        ))
        .first(tx.conn())
        .optional()
}

/// Every member of the handle's vendor with user and role, oldest first.
pub fn list_with_users(tx: &mut TenantTx<'_>) -> QueryResult<Vec<(VendorUser, User, Role)>> {
    let vendor_id = tx.vendor_id();
    vendor_users::table
        .inner_join(users::table.on(users::id.eq(vendor_users::user_id)))
        .inner_join(roles::table.on(roles::id.eq(vendor_users::role_id)))
        .filter(vendor_users::vendor_id.eq(vendor_id))
        .order(vendor_users::id)
        .select((
            VendorUser::as_select(),
            User::as_select(),
            Role::as_select(),
        ))
        .load(tx.conn())
}

pub fn count(tx: &mut TenantTx<'_>) -> QueryResult<i64> {
    let vendor_id = tx.vendor_id();
    vendor_users::table
        .filter(vendor_users::vendor_id.eq(vendor_id))
        .count()
        .get_result(tx.conn())
}

/// The e-mail addresses of the vendor's active members whose role holds `permission`
/// (who hears of a new order, say).
pub fn emails_with_permission(tx: &mut TenantTx<'_>, permission: &str) -> QueryResult<Vec<String>> {
    let vendor_id = tx.vendor_id();
    vendor_users::table
        .inner_join(users::table.on(users::id.eq(vendor_users::user_id)))
        .inner_join(roles::table.on(roles::id.eq(vendor_users::role_id)))
        .filter(vendor_users::vendor_id.eq(vendor_id))
        .filter(vendor_users::is_active.eq(true))
        .filter(users::is_active.eq(true))
        .filter(roles::permissions.contains(vec![Some(permission.to_owned())]))
        .order(vendor_users::id)
        .select(users::email)
        .load(tx.conn())
}

/// Locks the user's membership of the handle's vendor (with its role): changes to a team are
/// made one at a time, so two changes cannot both leave the vendor without an Owner.
pub fn lock_member(
    tx: &mut TenantTx<'_>,
    user_id: UserId,
) -> QueryResult<Option<(VendorUser, Role)>> {
    let vendor_id = tx.vendor_id();
    vendor_users::table
        .inner_join(roles::table.on(roles::id.eq(vendor_users::role_id)))
        .filter(vendor_users::vendor_id.eq(vendor_id))
        .filter(vendor_users::user_id.eq(user_id))
        .select((VendorUser::as_select(), Role::as_select()))
        .for_update()
        .first(tx.conn())
        .optional()
}

/// How many active members hold the role.
pub fn count_active_in_role(tx: &mut TenantTx<'_>, role: RoleId) -> QueryResult<i64> {
    let vendor_id = tx.vendor_id();
    vendor_users::table
        .filter(vendor_users::vendor_id.eq(vendor_id))
        .filter(vendor_users::role_id.eq(role))
        .filter(vendor_users::is_active.eq(true))
        .count()
        .get_result(tx.conn())
}

/// The users holding the role (active or not).
pub fn users_in_role(tx: &mut TenantTx<'_>, role: RoleId) -> QueryResult<Vec<UserId>> {
    let vendor_id = tx.vendor_id();
    vendor_users::table
        .filter(vendor_users::vendor_id.eq(vendor_id))
        .filter(vendor_users::role_id.eq(role))
        .select(vendor_users::user_id)
        .load(tx.conn())
}

pub fn set_role(tx: &mut TenantTx<'_>, user_id: UserId, role: RoleId) -> QueryResult<usize> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        vendor_users::table
            .filter(vendor_users::vendor_id.eq(vendor_id))
            .filter(vendor_users::user_id.eq(user_id)),
    )
    .set((
        vendor_users::role_id.eq(role),
        vendor_users::updated_at.eq(diesel::dsl::now),
    ))
    .execute(tx.conn())
}

pub fn set_active(tx: &mut TenantTx<'_>, user_id: UserId, active: bool) -> QueryResult<usize> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        vendor_users::table
            .filter(vendor_users::vendor_id.eq(vendor_id))
            .filter(vendor_users::user_id.eq(user_id)),
    )
    .set((
        vendor_users::is_active.eq(active),
        vendor_users::updated_at.eq(diesel::dsl::now),
    ))
    .execute(tx.conn())
}

pub fn delete(tx: &mut TenantTx<'_>, user_id: UserId) -> QueryResult<usize> {
    let vendor_id = tx.vendor_id();
    diesel::delete(
        vendor_users::table
            .filter(vendor_users::vendor_id.eq(vendor_id))
            .filter(vendor_users::user_id.eq(user_id)),
    )
    .execute(tx.conn())
}

/// A vendor a user may act for, with their role there.
#[derive(Debug, Clone, QueryableByName)]
pub struct MemberVendor {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub vendor_id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub code: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub role: String,
}

/// The open vendors where the user's membership is active, by name: the one read across
/// vendors' walls that a member may make, of their own memberships only
/// (`wz_member_vendors`).
pub fn member_vendors<S: crate::scope::Scope>(
    tx: &mut crate::Tx<'_, S>,
    user: UserId,
) -> QueryResult<Vec<MemberVendor>> {
    diesel::sql_query("SELECT vendor_id, code, name, role FROM wz_member_vendors($1)")
        .bind::<diesel::sql_types::BigInt, _>(user.0)
        .load(tx.conn())
}

/// One membership as the admin's user list shows it.
#[derive(Debug, Clone, Queryable)]
pub struct Membership {
    pub user_id: UserId,
    pub vendor_id: crate::VendorId,
    pub vendor_code: String,
    pub vendor_name: String,
    pub role: String,
    pub is_active: bool,
}

/// The memberships of these users at every live vendor, by vendor name.
pub fn memberships_of(
    tx: &mut crate::PlatformTx<'_>,
    users: &[UserId],
) -> QueryResult<Vec<Membership>> {
    use crate::schema::{roles, vendors};
    vendor_users::table
        .inner_join(vendors::table)
        .inner_join(roles::table.on(roles::id.eq(vendor_users::role_id)))
        .filter(vendor_users::user_id.eq_any(users))
        .filter(vendors::deleted_at.is_null())
        .order((vendors::name, vendors::id))
        .select((
            vendor_users::user_id,
            vendor_users::vendor_id,
            vendors::code,
            vendors::name,
            roles::name,
            vendor_users::is_active,
        ))
        .load(tx.conn())
}
