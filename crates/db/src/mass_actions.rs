//! Admin actions over many vendors, run by a job (platform data; see the migration's policy).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Jsonb};

use crate::schema::admin_mass_actions as actions;
use crate::{JobId, PlatformTx, UserId, VendorId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = actions, check_for_backend(diesel::pg::Pg))]
pub struct MassAction {
    pub id: i64,
    pub job_id: Option<i64>,
    pub action: String,
    /// Never null in practice (an array of ids); the column type allows it.
    pub vendor_ids: Vec<Option<i64>>,
    pub status: String,
    pub results: serde_json::Value,
    pub failure: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

pub fn create(
    tx: &mut PlatformTx<'_>,
    action: &str,
    vendors: &[VendorId],
    by: UserId,
) -> QueryResult<MassAction> {
    let ids: Vec<i64> = vendors.iter().map(|v| v.0).collect();
    diesel::insert_into(actions::table)
        .values((
            actions::action.eq(action),
            actions::vendor_ids.eq(ids),
            actions::created_by.eq(by.0),
        ))
        .returning(MassAction::as_returning())
        .get_result(tx.conn())
}

pub fn set_job(tx: &mut PlatformTx<'_>, id: i64, job: JobId) -> QueryResult<MassAction> {
    diesel::update(actions::table.find(id))
        .set(actions::job_id.eq(job.0))
        .returning(MassAction::as_returning())
        .get_result(tx.conn())
}

pub fn find(tx: &mut PlatformTx<'_>, id: i64) -> QueryResult<Option<MassAction>> {
    actions::table
        .find(id)
        .select(MassAction::as_select())
        .first(tx.conn())
        .optional()
}

/// The newest actions first.
pub fn newest(tx: &mut PlatformTx<'_>, limit: i64) -> QueryResult<Vec<MassAction>> {
    actions::table
        .order(actions::id.desc())
        .limit(limit)
        .select(MassAction::as_select())
        .load(tx.conn())
}

/// Marks the action processing (for its job); `None` once it has ended.
pub fn start(tx: &mut PlatformTx<'_>, id: i64) -> QueryResult<Option<MassAction>> {
    diesel::update(
        actions::table
            .find(id)
            .filter(actions::status.eq_any(["pending", "processing"])),
    )
    .set((
        actions::status.eq("processing"),
        actions::started_at.eq(diesel::dsl::now),
    ))
    .returning(MassAction::as_returning())
    .get_result(tx.conn())
    .optional()
}

/// Appends one vendor's outcome.
pub fn record(tx: &mut PlatformTx<'_>, id: i64, result: &serde_json::Value) -> QueryResult<()> {
    diesel::sql_query("UPDATE admin_mass_actions SET results = results || $2 WHERE id = $1")
        .bind::<BigInt, _>(id)
        .bind::<Jsonb, _>(serde_json::json!([result]))
        .execute(tx.conn())
        .map(|_| ())
}

pub fn finish(
    tx: &mut PlatformTx<'_>,
    id: i64,
    status: &str,
    failure: Option<&str>,
) -> QueryResult<()> {
    diesel::update(actions::table.find(id))
        .set((
            actions::status.eq(status),
            actions::failure.eq(failure),
            actions::finished_at.eq(diesel::dsl::now),
        ))
        .execute(tx.conn())
        .map(|_| ())
}

/// Live vendors with a configured Letzshop feed (any language), by id.
pub fn vendors_with_feed(tx: &mut PlatformTx<'_>) -> QueryResult<Vec<VendorId>> {
    use crate::schema::{vendor_settings, vendors};
    vendors::table
        .inner_join(vendor_settings::table)
        .filter(vendors::deleted_at.is_null())
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
            "EXISTS (SELECT 1 FROM jsonb_each_text(vendor_settings.letzshop_csv_urls) u WHERE u.value <> '')",
        ))
        .order(vendors::id)
        .select(vendors::id)
        .load(tx.conn())
}
