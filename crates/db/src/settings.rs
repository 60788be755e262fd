//! Per-vendor settings (vendor-owned; row-level security applies).

use diesel::prelude::*;

use crate::TenantTx;
use crate::schema::vendor_settings;

/// Creates the settings row every vendor has from the start, with its Letzshop CSV URLs
/// (`{"fr": url, ...}`, empty when not known yet).
pub fn create(tx: &mut TenantTx<'_>, letzshop_csv_urls: &serde_json::Value) -> QueryResult<()> {
    let vendor_id = tx.vendor_id();
    diesel::insert_into(vendor_settings::table)
        .values((
            vendor_settings::vendor_id.eq(vendor_id),
            vendor_settings::letzshop_csv_urls.eq(letzshop_csv_urls),
        ))
        .on_conflict_do_nothing()
        .execute(tx.conn())
        .map(|_| ())
}

/// The language the handle's vendor writes its catalogue in first (`fr`, `de` or `en`).
pub fn default_language(tx: &mut TenantTx<'_>) -> QueryResult<String> {
    let vendor_id = tx.vendor_id();
    vendor_settings::table
        .find(vendor_id)
        .select(vendor_settings::default_language)
        .first(tx.conn())
        .optional()
        .map(|lang| lang.unwrap_or_else(|| "fr".to_owned()))
}

/// The vendor's Letzshop CSV URLs, `{"fr": url, ...}` (empty when none are set).
pub fn csv_urls(tx: &mut TenantTx<'_>) -> QueryResult<serde_json::Value> {
    let vendor_id = tx.vendor_id();
    vendor_settings::table
        .find(vendor_id)
        .select(vendor_settings::letzshop_csv_urls)
        .first(tx.conn())
        .optional()
        .map(|urls| urls.unwrap_or_else(|| serde_json::json!({})))
}

/// Replaces the vendor's Letzshop CSV URLs (creating its settings row if it has none).
pub fn set_csv_urls(tx: &mut TenantTx<'_>, urls: &serde_json::Value) -> QueryResult<()> {
    let vendor_id = tx.vendor_id();
    diesel::insert_into(vendor_settings::table)
        .values((
            vendor_settings::vendor_id.eq(vendor_id),
            vendor_settings::letzshop_csv_urls.eq(urls),
        ))
        .on_conflict(vendor_settings::vendor_id)
        .do_update()
        .set(vendor_settings::letzshop_csv_urls.eq(urls))
        .execute(tx.conn())
        .map(|_| ())
}

/// One named group of the vendor's settings (`settings -> key`), if set.
pub fn group(tx: &mut TenantTx<'_>, key: &str) -> QueryResult<Option<serde_json::Value>> {
    let vendor_id = tx.vendor_id();
    let all: Option<serde_json::Value> = vendor_settings::table
        .find(vendor_id)
        .select(vendor_settings::settings)
        .first(tx.conn())
        .optional()?;
    Ok(all.and_then(|mut s| s.get_mut(key).map(serde_json::Value::take)))
}

/// Replaces one named group of the vendor's settings, keeping the others.
pub fn set_group(tx: &mut TenantTx<'_>, key: &str, value: &serde_json::Value) -> QueryResult<()> {
    use diesel::dsl::sql;
    use diesel::sql_types::Jsonb;
    let vendor_id = tx.vendor_id();
    let patch = serde_json::json!({ key: value });
    diesel::insert_into(vendor_settings::table)
        .values((
            vendor_settings::vendor_id.eq(vendor_id),
            vendor_settings::settings.eq(&patch),
        ))
        .on_conflict(vendor_settings::vendor_id)
        .do_update()
        .set((
            vendor_settings::settings.eq(sql::<Jsonb>(
                "vendor_settings.settings || excluded.settings",
            )),
            vendor_settings::updated_at.eq(diesel::dsl::now),
        ))
        .execute(tx.conn())
        .map(|_| ())
}
