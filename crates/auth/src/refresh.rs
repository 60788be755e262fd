//! Refresh tokens: random, stored only as SHA-256 hashes, rotated on every use. Each login
//! starts a family; presenting a token that was already spent revokes the whole family,
//! since one of the two holders must be a thief.
//!
//! One exception, for browsers: several pages loaded at once with an expired access cookie
//! all spend the same refresh cookie. Within [`GRACE`] of a token being spent, presenting it
//! again answers the same successor it was rotated to. The successor is an HMAC of the spent
//! token under a server key, so it can be derived again without being stored anywhere.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use db::refresh_tokens::{self, NewRefreshToken, RefreshToken};
use db::{CustomerId, Scope, Tx, UserId, VendorId};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{AuthError, PrincipalKind};

/// How long a spent token still answers its successor.
pub const GRACE: Duration = Duration::seconds(10);

/// How many grace hops to follow (a token spent, its successor spent, ...) before giving up.
const MAX_HOPS: usize = 4;

/// Who a refresh token belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Holder {
    pub kind: PrincipalKind,
    pub user_id: Option<UserId>,
    pub customer_id: Option<CustomerId>,
    pub vendor_id: Option<VendorId>,
}

impl Holder {
    /// The id the access token names: the user, or the customer.
    pub fn subject(&self) -> Result<i64, AuthError> {
        self.user_id
            .map(|u| u.0)
            .or(self.customer_id.map(|c| c.0))
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

/// The key successors are derived with (from the server's secret).
pub struct SuccessorKey(Vec<u8>);

impl SuccessorKey {
    pub fn new(key: Vec<u8>) -> Self {
        Self(key)
    }

    fn successor(&self, token: &str) -> Result<String, AuthError> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.0).map_err(|_| AuthError::TokenInvalid)?;
        mac.update(token.as_bytes());
        Ok(URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
    }
}

/// Stores `token` for `holder` in `family` (a new family when `None`).
fn store<S: Scope>(
    tx: &mut Tx<'_, S>,
    token: &str,
    holder: Holder,
    family: Option<Uuid>,
    ttl: Duration,
) -> Result<RefreshToken, AuthError> {
    Ok(refresh_tokens::insert(
        tx,
        &NewRefreshToken {
            token_hash: &hash(token),
            family: family.unwrap_or_else(Uuid::new_v4),
            principal_kind: holder.kind.as_str(),
            user_id: holder.user_id,
            customer_id: holder.customer_id,
            vendor_id: holder.vendor_id,
            expires_at: Utc::now() + ttl,
        },
    )?)
}

/// Starts a new family for `holder`; answers the token itself, which exists nowhere else.
pub fn issue<S: Scope>(
    tx: &mut Tx<'_, S>,
    holder: Holder,
    ttl: Duration,
) -> Result<String, AuthError> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    store(tx, &token, holder, None, ttl)?;
    Ok(token)
}

/// What spending a refresh token came to.
pub enum Rotation {
    /// The token to hand out now (a new successor, or within the grace the same one).
    Next(String),
    /// A spent token came back after the grace: the caller revokes this family.
    Reused(Uuid),
}

/// Spends `token` (locking its row): a live token is replaced by its successor; a token spent
/// less than [`GRACE`] ago answers the successor it was replaced by; any other spent token is
/// reuse.
pub fn rotate<S: Scope>(
    tx: &mut Tx<'_, S>,
    token: &str,
    key: &SuccessorKey,
    ttl: Duration,
) -> Result<Rotation, AuthError> {
    let mut current = token.to_owned();
    for _ in 0..MAX_HOPS {
        let row =
            refresh_tokens::find_for_update(tx, &hash(&current))?.ok_or(AuthError::TokenInvalid)?;
        match (row.revoked_at, row.replaced_by) {
            (None, _) if current != token => return Ok(Rotation::Next(current)),
            (None, _) => {
                if row.expires_at <= Utc::now() {
                    return Err(AuthError::TokenExpired);
                }
                let next = key.successor(&current)?;
                let stored = store(tx, &next, Holder::of(&row)?, Some(row.family), ttl)?;
                refresh_tokens::mark_replaced(tx, row.id, stored.id)?;
                return Ok(Rotation::Next(next));
            }
            (Some(at), Some(_)) if Utc::now() - at <= GRACE => current = key.successor(&current)?,
            (Some(_), Some(_)) => return Ok(Rotation::Reused(row.family)),
            // Revoked without a successor: signed out.
            (Some(_), None) => return Err(AuthError::TokenInvalid),
        }
    }
    Err(AuthError::TokenInvalid)
}

/// Revokes the family of `token` (logout ends the session everywhere it was rotated to).
pub fn revoke<S: Scope>(tx: &mut Tx<'_, S>, token: &str) -> Result<bool, AuthError> {
    match refresh_tokens::find_for_update(tx, &hash(token))? {
        Some(row) => Ok(refresh_tokens::revoke_family(tx, row.family)? > 0),
        None => Ok(false),
    }
}
