//! Admin bulk vendor imports run by a job (platform data; see the migration's policy).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Jsonb};

use crate::schema::vendor_bulk_imports as imports;
use crate::{JobId, PlatformTx, UserId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = imports, check_for_backend(diesel::pg::Pg))]
pub struct BulkImport {
    pub id: i64,
    pub job_id: Option<i64>,
    pub status: String,
    pub file_name: String,
    pub total_rows: i32,
    pub processed_rows: i32,
    pub created: serde_json::Value,
    pub failed: serde_json::Value,
    pub passwords_shown: bool,
    pub failure: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

pub fn create(
    tx: &mut PlatformTx<'_>,
    file_name: &str,
    csv: &[u8],
    total_rows: i32,
    by: UserId,
) -> QueryResult<BulkImport> {
    diesel::insert_into(imports::table)
        .values((
            imports::file_name.eq(file_name),
            imports::csv.eq(csv),
            imports::total_rows.eq(total_rows),
            imports::created_by.eq(by.0),
        ))
        .returning(BulkImport::as_returning())
        .get_result(tx.conn())
}

pub fn set_job(tx: &mut PlatformTx<'_>, id: i64, job: JobId) -> QueryResult<BulkImport> {
    diesel::update(imports::table.find(id))
        .set(imports::job_id.eq(job.0))
        .returning(BulkImport::as_returning())
        .get_result(tx.conn())
}

pub fn find(tx: &mut PlatformTx<'_>, id: i64) -> QueryResult<Option<BulkImport>> {
    imports::table
        .find(id)
        .select(BulkImport::as_select())
        .first(tx.conn())
        .optional()
}

/// The import and its file, for its job: marks it processing.
pub fn start(tx: &mut PlatformTx<'_>, id: i64) -> QueryResult<Option<(BulkImport, Vec<u8>)>> {
    let found: Option<Option<Vec<u8>>> = imports::table
        .find(id)
        .select(imports::csv)
        .for_update()
        .first(tx.conn())
        .optional()?;
    let Some(Some(csv)) = found else {
        return Ok(None);
    };
    let import = diesel::update(imports::table.find(id))
        .set((
            imports::status.eq("processing"),
            imports::started_at.eq(diesel::dsl::now),
        ))
        .returning(BulkImport::as_returning())
        .get_result(tx.conn())?;
    Ok(Some((import, csv)))
}

/// Appends the outcomes of the rows up to `processed_rows` (JSON arrays).
pub fn record(
    tx: &mut PlatformTx<'_>,
    id: i64,
    processed_rows: i32,
    created: &serde_json::Value,
    failed: &serde_json::Value,
) -> QueryResult<()> {
    diesel::sql_query(
        "UPDATE vendor_bulk_imports SET processed_rows = $2, created = created || $3, \
         failed = failed || $4 WHERE id = $1",
    )
    .bind::<BigInt, _>(id)
    .bind::<Integer, _>(processed_rows)
    .bind::<Jsonb, _>(created)
    .bind::<Jsonb, _>(failed)
    .execute(tx.conn())?;
    Ok(())
}

/// Ends the import and drops its file.
pub fn finish(
    tx: &mut PlatformTx<'_>,
    id: i64,
    status: &str,
    failure: Option<&str>,
) -> QueryResult<()> {
    diesel::update(imports::table.find(id))
        .set((
            imports::status.eq(status),
            imports::failure.eq(failure),
            imports::csv.eq(None::<Vec<u8>>),
            imports::finished_at.eq(diesel::dsl::now),
        ))
        .execute(tx.conn())?;
    Ok(())
}

/// The import as the admin sees it. The first read of a finished import carries the new
/// owners' temporary passwords; the stored report loses them in the same transaction.
pub fn read_once(tx: &mut PlatformTx<'_>, id: i64) -> QueryResult<Option<BulkImport>> {
    let Some(import) = imports::table
        .find(id)
        .select(BulkImport::as_select())
        .for_update()
        .first(tx.conn())
        .optional()?
    else {
        return Ok(None);
    };
    let ended = matches!(import.status.as_str(), "completed" | "failed");
    if ended && !import.passwords_shown {
        diesel::sql_query(
            "UPDATE vendor_bulk_imports SET passwords_shown = true, created = \
             (SELECT coalesce(jsonb_agg(jsonb_set(e, '{temporary_password}', 'null'::jsonb) \
             ORDER BY n), '[]'::jsonb) FROM jsonb_array_elements(created) WITH ORDINALITY AS x(e, n)) \
             WHERE id = $1",
        )
        .bind::<BigInt, _>(id)
        .execute(tx.conn())?;
    }
    Ok(Some(import))
}
