//! Refresh tokens, stored only as hashes. Not vendor-owned (see the migration): they are
//! found by hash before any vendor is known.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::schema::refresh_tokens;
use crate::scope::Scope;
use crate::{CustomerId, Tx, UserId, VendorId};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = refresh_tokens, check_for_backend(diesel::pg::Pg))]
pub struct RefreshToken {
    pub id: i64,
    pub token_hash: String,
    pub family: Uuid,
    pub principal_kind: String,
    pub user_id: Option<UserId>,
    pub customer_id: Option<CustomerId>,
    pub vendor_id: Option<VendorId>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub replaced_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct NewRefreshToken<'a> {
    pub token_hash: &'a str,
    pub family: Uuid,
    pub principal_kind: &'a str,
    pub user_id: Option<UserId>,
    pub customer_id: Option<CustomerId>,
    pub vendor_id: Option<VendorId>,
    pub expires_at: DateTime<Utc>,
}

pub fn insert<S: Scope>(
    tx: &mut Tx<'_, S>,
    new: &NewRefreshToken<'_>,
) -> QueryResult<RefreshToken> {
    diesel::insert_into(refresh_tokens::table)
        .values(new)
        .returning(RefreshToken::as_returning())
        .get_result(tx.conn())
}

/// Finds a token by hash without locking it (to check its holder before rotating).
pub fn find<S: Scope>(tx: &mut Tx<'_, S>, token_hash: &str) -> QueryResult<Option<RefreshToken>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select(RefreshToken::as_select())
        .first(tx.conn())
        .optional()
}

/// Finds a token by hash and locks its row, so two concurrent refreshes with the same
/// token cannot both rotate it.
pub fn find_for_update<S: Scope>(
    tx: &mut Tx<'_, S>,
    token_hash: &str,
) -> QueryResult<Option<RefreshToken>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select(RefreshToken::as_select())
        .for_update()
        .first(tx.conn())
        .optional()
}

/// Spends `id`: it is revoked and points at the token that replaced it.
pub fn mark_replaced<S: Scope>(tx: &mut Tx<'_, S>, id: i64, replaced_by: i64) -> QueryResult<()> {
    diesel::update(refresh_tokens::table.find(id))
        .set((
            refresh_tokens::revoked_at.eq(diesel::dsl::now),
            refresh_tokens::replaced_by.eq(replaced_by),
        ))
        .execute(tx.conn())
        .map(|_| ())
}

/// Revokes every still-live token of a family (logout, or reuse of a spent token).
pub fn revoke_family<S: Scope>(tx: &mut Tx<'_, S>, family: Uuid) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family.eq(family))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(diesel::dsl::now))
    .execute(tx.conn())
}

/// Revokes every live token of a customer (a changed or reset password ends their other
/// sessions).
pub fn revoke_customer<S: Scope>(tx: &mut Tx<'_, S>, customer: CustomerId) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::customer_id.eq(customer))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(diesel::dsl::now))
    .execute(tx.conn())
}

/// Ends a member's sessions for the handle's vendor (their role or membership changed).
pub fn revoke_member(tx: &mut crate::TenantTx<'_>, user: crate::UserId) -> QueryResult<usize> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user))
            .filter(refresh_tokens::vendor_id.eq(vendor_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(diesel::dsl::now))
    .execute(tx.conn())
}

/// Ends every session of a team member or admin, at every vendor (their account was switched
/// off or their password reset).
pub fn revoke_user(tx: &mut crate::PlatformTx<'_>, user: crate::UserId) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(diesel::dsl::now))
    .execute(tx.conn())
}
