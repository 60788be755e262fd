//! Platform settings: one JSON value per key (the keys and their types are the platform
//! crate's). Not vendor-owned: any transaction may read them; the admin writes them.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::schema::{platform_settings, users};
use crate::scope::Scope;
use crate::{PlatformTx, Tx, UserId};

/// The platform's default VAT rate in basis points: typed and checked by the platform crate,
/// read by orders for shops that have no rate of their own.
pub const DEFAULT_VAT_RATE: &str = "default_vat_rate_basis_points";

/// A stored value, with who changed it last and when.
#[derive(Debug, Clone, Queryable)]
pub struct StoredSetting {
    pub key: String,
    pub value: serde_json::Value,
    pub updated_by_email: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// Every stored setting.
pub fn all<S: Scope>(tx: &mut Tx<'_, S>) -> QueryResult<Vec<StoredSetting>> {
    platform_settings::table
        .left_join(users::table)
        .select((
            platform_settings::key,
            platform_settings::value,
            users::email.nullable(),
            platform_settings::updated_at,
        ))
        .load(tx.conn())
}

/// One stored value, if set.
pub fn value<S: Scope>(tx: &mut Tx<'_, S>, key: &str) -> QueryResult<Option<serde_json::Value>> {
    platform_settings::table
        .find(key)
        .select(platform_settings::value)
        .first(tx.conn())
        .optional()
}

/// Stores `value` under `key`; answers the value it replaced, if any.
pub fn set(
    tx: &mut PlatformTx<'_>,
    key: &str,
    value: &serde_json::Value,
    by: UserId,
) -> QueryResult<Option<serde_json::Value>> {
    let before = platform_settings::table
        .find(key)
        .select(platform_settings::value)
        .for_update()
        .first(tx.conn())
        .optional()?;
    diesel::insert_into(platform_settings::table)
        .values((
            platform_settings::key.eq(key),
            platform_settings::value.eq(value),
            platform_settings::updated_by.eq(by),
        ))
        .on_conflict(platform_settings::key)
        .do_update()
        .set((
            platform_settings::value.eq(value),
            platform_settings::updated_by.eq(by),
            platform_settings::updated_at.eq(diesel::dsl::now),
        ))
        .execute(tx.conn())?;
    Ok(before)
}
