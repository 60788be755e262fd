//! A feed into the vendor's staging area, in batches: each batch is one statement and one
//! transaction, which also adds the batch's counts to the import, so progress is visible while
//! the import runs and a crash loses at most the batch in flight (a rerun upserts by id).

use std::io::Read;

use catalog::Language;
use db::marketplace::StageCounts;
use db::{Db, TenantScope};
use serde_json::{Value, json};

use crate::feed::{Feed, FeedError, FeedRow, Parsed, RowError};

/// Rows per statement: large enough that round trips do not dominate, small enough that
/// progress moves and one batch's memory stays small.
pub const BATCH_ROWS: usize = 1000;

/// Bad rows kept per import for the report (all are counted): enough to fix a feed by, not so
/// many that a file of garbage fills the database.
pub const MAX_KEPT_ERRORS: usize = 1000;

/// The longest raw line kept with a bad row.
const MAX_RAW_CHARS: usize = 2000;

/// What staging a whole feed did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StageSummary {
    pub rows: i64,
    pub counts: StageCounts,
    pub errors: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum StageError {
    #[error(transparent)]
    Feed(#[from] FeedError),
    #[error(transparent)]
    Db(#[from] db::Error),
    /// `keep_going` said no (the job was cancelled or lost).
    #[error("stopped")]
    Stopped,
}

db::storage_error!(StageError);

/// Stages every good row of `feed` for import `import_id` in `language`, counting the bad ones
/// and keeping the first [`MAX_KEPT_ERRORS`]. `keep_going` is asked before each batch.
pub fn stage_feed<R: Read>(
    db: &Db,
    scope: &TenantScope,
    import_id: i64,
    language: Language,
    feed: &mut Feed<R>,
    keep_going: &dyn Fn() -> bool,
) -> Result<StageSummary, StageError> {
    let mut summary = StageSummary::default();
    let mut batch = Vec::with_capacity(BATCH_ROWS);
    let mut bad: Vec<RowError> = Vec::new();
    let mut batch_errors = 0;
    let mut kept = 0;
    loop {
        let ended = match feed.next_row()? {
            Some(Parsed::Row(row)) => {
                batch.push(row_json(&row));
                false
            }
            Some(Parsed::Bad(error)) => {
                batch_errors += 1;
                if kept + bad.len() < MAX_KEPT_ERRORS {
                    bad.push(error);
                }
                false
            }
            None => true,
        };
        let pending = batch.len() + batch_errors as usize;
        if pending >= BATCH_ROWS || (ended && pending > 0) {
            if !keep_going() {
                return Err(StageError::Stopped);
            }
            let rows = batch.len() as i64 + batch_errors;
            let payload = Value::Array(std::mem::take(&mut batch));
            let counts = db.tenant(scope, |tx| {
                let counts = db::marketplace::stage(tx, import_id, language.as_str(), &payload)?;
                db::marketplace_imports::add_errors(tx, import_id, &error_rows(&bad))?;
                db::marketplace::add_progress(tx, import_id, rows, counts, batch_errors)?;
                Ok::<_, StageError>(counts)
            })?;
            kept += bad.len();
            bad.clear();
            summary.rows += rows;
            summary.errors += batch_errors;
            summary.counts.created += counts.created;
            summary.counts.updated += counts.updated;
            summary.counts.unchanged += counts.unchanged;
            batch_errors = 0;
        }
        if ended {
            return Ok(summary);
        }
    }
}

fn row_json(row: &FeedRow) -> Value {
    json!({
        "external_id": row.external_id,
        "price_cents": row.price.cents,
        "sale_price_cents": row.sale_price.map(|s| s.cents),
        "currency": row.price.currency(),
        "availability": row.availability.as_str(),
        "brand": row.brand,
        "gtin": row.gtin,
        "mpn": row.mpn,
        "condition": row.condition.as_str(),
        "image_link": row.image_link,
        "additional_image_links": row.additional_image_links,
        "google_product_category": row.google_product_category,
        "product_type": row.product_type,
        "item_group_id": row.item_group_id,
        "color": row.color,
        "size": row.size,
        "title": row.title,
        "description": row.description,
        "link": row.link,
        "raw": row.raw,
    })
}

/// One stored row per problem of each bad row.
fn error_rows(bad: &[RowError]) -> Vec<db::marketplace_imports::NewError<'_>> {
    bad.iter()
        .flat_map(|e| {
            let raw = truncate(&e.raw, MAX_RAW_CHARS);
            e.problems
                .iter()
                .map(move |p| db::marketplace_imports::NewError {
                    row_number: i64::try_from(e.row).unwrap_or(i64::MAX),
                    column: p.column,
                    message: &p.message,
                    raw,
                })
        })
        .collect()
}

fn truncate(text: &str, max_chars: usize) -> &str {
    text.char_indices()
        .nth(max_chars)
        .map_or(text, |(at, _)| &text[..at])
}

/// Records and runs an import of a local file at once, in this thread, for the demo seed:
/// the import shows in the vendor's list like an upload. Published products are not brought
/// up to date (the seed runs before anything is published); imports of the product use the
/// job queue ([`crate::ImportJob`]).
pub fn stage_file<R: Read>(
    db: &Db,
    scope: &TenantScope,
    language: Language,
    name: &str,
    file: R,
) -> Result<StageSummary, StageError> {
    use crate::ImportStatus;
    use db::marketplace_imports as imports;
    let import = db.tenant(scope, |tx| {
        let import = imports::create(
            tx,
            &imports::NewImport {
                language: language.as_str(),
                source_kind: crate::SourceKind::Upload.as_str(),
                source: name,
                upload_key: None,
                created_by: None,
            },
        )?;
        imports::start(tx, import.id)?;
        Ok::<_, diesel::result::Error>(import)
    })?;
    let staged = Feed::open(file)
        .map_err(StageError::from)
        .and_then(|mut feed| stage_feed(db, scope, import.id, language, &mut feed, &|| true));
    let (status, failure) = match &staged {
        Ok(summary) if summary.errors > 0 => (ImportStatus::CompletedWithErrors, None),
        Ok(_) => (ImportStatus::Completed, None),
        Err(e) => (ImportStatus::Failed, Some(e.to_string())),
    };
    db.tenant(scope, |tx| {
        if staged.is_ok() {
            db::marketplace::flag_missing(tx, import.id, language.as_str())?;
        }
        imports::finish(tx, import.id, status.as_str(), failure.as_deref())
    })?;
    staged
}
