//! Invitations to a vendor's team (vendor-owned; row-level security applies). Only a token's
//! hash is stored; a token names its vendor, so it is looked up inside that vendor's wall.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::schema::{roles, vendor_invitations};
use crate::{RoleId, TenantTx, UserId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = vendor_invitations, check_for_backend(diesel::pg::Pg))]
pub struct Invitation {
    pub id: i64,
    pub email: String,
    pub role_id: RoleId,
    pub invited_by: Option<UserId>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

pub struct NewInvitation<'a> {
    pub email: &'a str,
    pub role_id: RoleId,
    pub token_hash: &'a str,
    pub invited_by: UserId,
    pub expires_at: DateTime<Utc>,
}

pub fn insert(tx: &mut TenantTx<'_>, new: &NewInvitation<'_>) -> QueryResult<Invitation> {
    let vendor_id = tx.vendor_id();
    diesel::insert_into(vendor_invitations::table)
        .values((
            vendor_invitations::vendor_id.eq(vendor_id),
            vendor_invitations::email.eq(new.email),
            vendor_invitations::role_id.eq(new.role_id),
            vendor_invitations::token_hash.eq(new.token_hash),
            vendor_invitations::invited_by.eq(new.invited_by),
            vendor_invitations::expires_at.eq(new.expires_at),
        ))
        .returning(Invitation::as_returning())
        .get_result(tx.conn())
}

/// The vendor's open invitations (neither accepted nor revoked; expired ones included) with
/// their role's name, newest first.
pub fn open(tx: &mut TenantTx<'_>) -> QueryResult<Vec<(Invitation, String)>> {
    let vendor_id = tx.vendor_id();
    vendor_invitations::table
        .inner_join(roles::table.on(roles::id.eq(vendor_invitations::role_id)))
        .filter(vendor_invitations::vendor_id.eq(vendor_id))
        .filter(vendor_invitations::accepted_at.is_null())
        .filter(vendor_invitations::revoked_at.is_null())
        .order(vendor_invitations::id.desc())
        .select((Invitation::as_select(), roles::name))
        .load(tx.conn())
}

/// Finds and locks an invitation by its id.
pub fn lock(tx: &mut TenantTx<'_>, id: i64) -> QueryResult<Option<Invitation>> {
    let vendor_id = tx.vendor_id();
    vendor_invitations::table
        .filter(vendor_invitations::vendor_id.eq(vendor_id))
        .filter(vendor_invitations::id.eq(id))
        .select(Invitation::as_select())
        .for_update()
        .first(tx.conn())
        .optional()
}

/// Finds and locks an invitation by its token's hash.
pub fn lock_by_hash(tx: &mut TenantTx<'_>, token_hash: &str) -> QueryResult<Option<Invitation>> {
    let vendor_id = tx.vendor_id();
    vendor_invitations::table
        .filter(vendor_invitations::vendor_id.eq(vendor_id))
        .filter(vendor_invitations::token_hash.eq(token_hash))
        .select(Invitation::as_select())
        .for_update()
        .first(tx.conn())
        .optional()
}

pub fn revoke(tx: &mut TenantTx<'_>, id: i64) -> QueryResult<usize> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        vendor_invitations::table
            .filter(vendor_invitations::vendor_id.eq(vendor_id))
            .filter(vendor_invitations::id.eq(id)),
    )
    .set(vendor_invitations::revoked_at.eq(diesel::dsl::now))
    .execute(tx.conn())
}

/// A new token (the old one stops working) and a new expiry.
pub fn renew(
    tx: &mut TenantTx<'_>,
    id: i64,
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> QueryResult<Invitation> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        vendor_invitations::table
            .filter(vendor_invitations::vendor_id.eq(vendor_id))
            .filter(vendor_invitations::id.eq(id)),
    )
    .set((
        vendor_invitations::token_hash.eq(token_hash),
        vendor_invitations::expires_at.eq(expires_at),
    ))
    .returning(Invitation::as_returning())
    .get_result(tx.conn())
}

pub fn accept(tx: &mut TenantTx<'_>, id: i64, by: UserId) -> QueryResult<usize> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        vendor_invitations::table
            .filter(vendor_invitations::vendor_id.eq(vendor_id))
            .filter(vendor_invitations::id.eq(id)),
    )
    .set((
        vendor_invitations::accepted_at.eq(diesel::dsl::now),
        vendor_invitations::accepted_by.eq(by),
    ))
    .execute(tx.conn())
}
