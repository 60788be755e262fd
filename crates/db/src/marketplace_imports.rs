//! Marketplace imports (one per feed file) and their bad rows (vendor-owned; row-level
//! security applies).

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::schema::{marketplace_import_errors as errors, marketplace_imports as imports};
use crate::{JobId, TenantTx, UserId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = imports, check_for_backend(diesel::pg::Pg))]
pub struct Import {
    pub id: i64,
    pub job_id: Option<i64>,
    pub language: String,
    pub source_kind: String,
    pub source: String,
    pub upload_key: Option<String>,
    pub status: String,
    pub total_rows: i32,
    pub processed_rows: i32,
    pub created_count: i32,
    pub updated_count: i32,
    pub unchanged_count: i32,
    pub error_count: i32,
    pub failure: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// An import to create.
#[derive(Debug, Clone, Copy)]
pub struct NewImport<'a> {
    pub language: &'a str,
    pub source_kind: &'a str,
    pub source: &'a str,
    pub upload_key: Option<&'a str>,
    pub created_by: Option<UserId>,
}

/// Creates a pending import for the transaction's vendor.
pub fn create(tx: &mut TenantTx<'_>, new: &NewImport<'_>) -> QueryResult<Import> {
    let vendor_id = tx.vendor_id();
    diesel::insert_into(imports::table)
        .values((
            imports::vendor_id.eq(vendor_id.0),
            imports::language.eq(new.language),
            imports::source_kind.eq(new.source_kind),
            imports::source.eq(new.source),
            imports::upload_key.eq(new.upload_key),
            imports::created_by.eq(new.created_by.map(|u| u.0)),
        ))
        .returning(Import::as_returning())
        .get_result(tx.conn())
}

/// Links an import to the job that runs it.
pub fn set_job(tx: &mut TenantTx<'_>, id: i64, job: JobId) -> QueryResult<Import> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        imports::table
            .filter(imports::vendor_id.eq(vendor_id.0))
            .filter(imports::id.eq(id)),
    )
    .set(imports::job_id.eq(job.0))
    .returning(Import::as_returning())
    .get_result(tx.conn())
}

pub fn find(tx: &mut TenantTx<'_>, id: i64) -> QueryResult<Option<Import>> {
    let vendor_id = tx.vendor_id();
    imports::table
        .filter(imports::vendor_id.eq(vendor_id.0))
        .filter(imports::id.eq(id))
        .select(Import::as_select())
        .first(tx.conn())
        .optional()
}

/// The vendor's imports, newest first, and how many there are.
pub fn page(tx: &mut TenantTx<'_>, limit: i64, offset: i64) -> QueryResult<(Vec<Import>, i64)> {
    let vendor_id = tx.vendor_id();
    let items = imports::table
        .filter(imports::vendor_id.eq(vendor_id.0))
        .order(imports::id.desc())
        .limit(limit)
        .offset(offset)
        .select(Import::as_select())
        .load(tx.conn())?;
    let total = imports::table
        .filter(imports::vendor_id.eq(vendor_id.0))
        .count()
        .get_result(tx.conn())?;
    Ok((items, total))
}

/// Starts (or, after a worker died, restarts) a run: `processing`, counts and stored errors
/// from an earlier attempt cleared, since the rerun counts every row again.
pub fn start(tx: &mut TenantTx<'_>, id: i64) -> QueryResult<()> {
    let vendor_id = tx.vendor_id();
    diesel::delete(
        errors::table
            .filter(errors::vendor_id.eq(vendor_id.0))
            .filter(errors::import_id.eq(id)),
    )
    .execute(tx.conn())?;
    diesel::update(
        imports::table
            .filter(imports::vendor_id.eq(vendor_id.0))
            .filter(imports::id.eq(id)),
    )
    .set((
        imports::status.eq("processing"),
        imports::started_at.eq(diesel::dsl::now),
        imports::total_rows.eq(0),
        imports::processed_rows.eq(0),
        imports::created_count.eq(0),
        imports::updated_count.eq(0),
        imports::unchanged_count.eq(0),
        imports::error_count.eq(0),
        imports::failure.eq(None::<String>),
    ))
    .execute(tx.conn())
    .map(|_| ())
}

/// Ends a run: `status` with the reason of a failure; `total_rows` becomes the rows read.
pub fn finish(
    tx: &mut TenantTx<'_>,
    id: i64,
    status: &str,
    failure: Option<&str>,
) -> QueryResult<()> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        imports::table
            .filter(imports::vendor_id.eq(vendor_id.0))
            .filter(imports::id.eq(id)),
    )
    .set((
        imports::status.eq(status),
        imports::failure.eq(failure),
        imports::total_rows.eq(imports::processed_rows),
        imports::finished_at.eq(diesel::dsl::now),
    ))
    .execute(tx.conn())
    .map(|_| ())
}

/// Puts a run back to `pending` until its job's next attempt, saying why.
pub fn wait(tx: &mut TenantTx<'_>, id: i64, reason: &str) -> QueryResult<()> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        imports::table
            .filter(imports::vendor_id.eq(vendor_id.0))
            .filter(imports::id.eq(id)),
    )
    .set((imports::status.eq("pending"), imports::failure.eq(reason)))
    .execute(tx.conn())
    .map(|_| ())
}

/// A bad row to keep.
#[derive(Debug, Clone, Copy)]
pub struct NewError<'a> {
    pub row_number: i64,
    pub column: Option<&'a str>,
    pub message: &'a str,
    pub raw: &'a str,
}

pub fn add_errors(tx: &mut TenantTx<'_>, import_id: i64, rows: &[NewError<'_>]) -> QueryResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let vendor_id = tx.vendor_id();
    let values: Vec<_> = rows
        .iter()
        .map(|e| {
            (
                errors::vendor_id.eq(vendor_id.0),
                errors::import_id.eq(import_id),
                errors::row_number.eq(e.row_number),
                errors::column_name.eq(e.column),
                errors::message.eq(e.message),
                errors::raw.eq(e.raw),
            )
        })
        .collect();
    diesel::insert_into(errors::table)
        .values(values)
        .execute(tx.conn())
        .map(|_| ())
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = errors, check_for_backend(diesel::pg::Pg))]
pub struct ImportError {
    pub row_number: i64,
    pub column_name: Option<String>,
    pub message: String,
    pub raw: String,
}

/// A page of an import's kept bad rows in file order, and how many are kept.
pub fn errors_page(
    tx: &mut TenantTx<'_>,
    import_id: i64,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<ImportError>, i64)> {
    let vendor_id = tx.vendor_id();
    let base = errors::table
        .filter(errors::vendor_id.eq(vendor_id.0))
        .filter(errors::import_id.eq(import_id));
    // Batches commit in any order (several writers); at most 1,000 rows are kept per import,
    // so sorting them is cheap.
    let items = base
        .order((errors::row_number, errors::id))
        .limit(limit)
        .offset(offset)
        .select(ImportError::as_select())
        .load(tx.conn())?;
    let total = base.count().get_result(tx.conn())?;
    Ok((items, total))
}

/// An import with its vendor's id and code.
pub type VendorImport = (Import, i64, String);

/// Every vendor's imports for admins, newest first, with the vendor's code: optionally one
/// vendor's, or those in one status.
pub fn platform_page(
    tx: &mut crate::PlatformTx<'_>,
    vendor: Option<crate::VendorId>,
    status: Option<&str>,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<VendorImport>, i64)> {
    use crate::schema::vendors;
    let query = || {
        let mut q = imports::table.inner_join(vendors::table).into_boxed();
        if let Some(vendor) = vendor {
            q = q.filter(imports::vendor_id.eq(vendor.0));
        }
        if let Some(status) = status {
            q = q.filter(imports::status.eq(status.to_owned()));
        }
        q
    };
    let items = query()
        .order(imports::id.desc())
        .limit(limit)
        .offset(offset)
        .select((Import::as_select(), vendors::id, vendors::code))
        .load::<(Import, crate::VendorId, String)>(tx.conn())?
        .into_iter()
        .map(|(i, v, c)| (i, v.0, c))
        .collect();
    let total = query().count().get_result(tx.conn())?;
    Ok((items, total))
}
