//! Refresh tokens: random, stored only as SHA-256 hashes, rotated on every use. Each login
//! starts a family; presenting a token that was already spent revokes the whole family,
//! since one of the two holders must be a thief.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use db::refresh_tokens::{self, NewRefreshToken, RefreshToken};
use db::{PgConnection, UserId, VendorId};
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{AuthError, PrincipalKind};

/// Who a refresh token belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Holder {
    pub kind: PrincipalKind,
    pub user_id: Option<UserId>,
    pub customer_id: Option<i64>,
    pub vendor_id: Option<VendorId>,
}

impl Holder {
    /// The id the access token names: the user, or the customer.
    pub fn subject(&self) -> Result<i64, AuthError> {
        self.user_id
            .map(|u| u.0)
            .or(self.customer_id)
            .ok_or(AuthError::TokenInvalid)
    }

    pub fn of(token: &RefreshToken) -> Result<Self, AuthError> {
        let kind = match token.principal_kind.as_str() {
            "admin" => PrincipalKind::Admin,
            "vendor" => PrincipalKind::Vendor,
            "customer" => PrincipalKind::Customer,
            _ => return Err(AuthError::TokenInvalid),
        };
        Ok(Self {
            kind,
            user_id: token.user_id,
            customer_id: token.customer_id,
            vendor_id: token.vendor_id,
        })
    }
}

pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Stores a new token for `holder` in `family` (a new family when `None`); answers the
/// token itself, which exists nowhere else.
pub fn issue(
    conn: &mut PgConnection,
    holder: Holder,
    family: Option<Uuid>,
    ttl: Duration,
) -> Result<(String, RefreshToken), AuthError> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let row = refresh_tokens::insert(
        conn,
        &NewRefreshToken {
            token_hash: &hash(&token),
            family: family.unwrap_or_else(Uuid::new_v4),
            principal_kind: holder.kind.as_str(),
            user_id: holder.user_id,
            customer_id: holder.customer_id,
            vendor_id: holder.vendor_id,
            expires_at: Utc::now() + ttl,
        },
    )?;
    Ok((token, row))
}

/// Spends `token` (locking its row) and answers it, for the caller to issue the successor.
/// A revoked token is refused; the caller has already punished reuse (see `PgAuth::refresh`).
pub fn spend(conn: &mut PgConnection, token: &str) -> Result<RefreshToken, AuthError> {
    let row =
        refresh_tokens::find_for_update(conn, &hash(token))?.ok_or(AuthError::TokenInvalid)?;
    if row.revoked_at.is_some() {
        return Err(AuthError::TokenInvalid);
    }
    if row.expires_at <= Utc::now() {
        return Err(AuthError::TokenExpired);
    }
    Ok(row)
}

/// Records that `old` was replaced by `new`.
pub fn link(
    conn: &mut PgConnection,
    old: &RefreshToken,
    new: &RefreshToken,
) -> Result<(), AuthError> {
    Ok(refresh_tokens::mark_replaced(conn, old.id, new.id)?)
}

/// Revokes the family of `token` (logout ends the session everywhere it was rotated to).
pub fn revoke(conn: &mut PgConnection, token: &str) -> Result<bool, AuthError> {
    match refresh_tokens::find_for_update(conn, &hash(token))? {
        Some(row) => Ok(refresh_tokens::revoke_family(conn, row.family)? > 0),
        None => Ok(false),
    }
}
