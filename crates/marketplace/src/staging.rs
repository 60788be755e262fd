//! A feed into the vendor's staging area, in batches: each batch is one statement and one
//! transaction, which also adds the batch's counts to the import, so progress is visible while
//! the import runs and a crash loses at most the batch in flight (a rerun upserts by id).

use std::io::Read;

use catalog::Language;
use db::marketplace::StageCounts;
use db::{Db, TenantScope};
use serde::Serialize;
use serde_json::Value;

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

/// One batch of the feed, read and serialised, ready for its statement.
struct Batch {
    /// The good rows as the JSON array `db::marketplace::stage` reads.
    payload: String,
    /// Rows in the batch, good and bad.
    rows: i64,
    /// Bad rows in the batch; `kept` are those stored for the report.
    errors: i64,
    kept: Vec<RowError>,
}

/// Batches read ahead of the writers: reading and writing overlap, and at most this many
/// batches plus one per writer are in memory at once.
const BATCHES_AHEAD: usize = 2;

/// Transactions writing batches at the same time. Batches never share a product (the parser
/// refuses a repeated id), so they do not wait for each other's rows; two keep both cores of a
/// small database server busy while this process reads the next batch.
const WRITERS: usize = 2;

/// Stages every good row of `feed` for import `import_id` in `language`, counting the bad ones
/// and keeping the first [`MAX_KEPT_ERRORS`]. `keep_going` is asked before each batch. The
/// feed is read on its own thread, and [`WRITERS`] transactions write batches meanwhile (each
/// batch commits alone, with its progress: a crash loses only batches in flight).
pub fn stage_feed<R: Read + Send>(
    db: &Db,
    scope: &TenantScope,
    import_id: i64,
    language: Language,
    feed: &mut Feed<R>,
    keep_going: &(dyn Fn() -> bool + Sync),
) -> Result<StageSummary, StageError> {
    let (sender, receiver) = std::sync::mpsc::sync_channel(BATCHES_AHEAD);
    let batches = std::sync::Mutex::new(Some(receiver));
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|threads| {
        threads.spawn(move || read_batches(feed, &sender));
        let write = || {
            let mut summary = StageSummary::default();
            let result = write_batches(&batches, &stop, &mut summary, |batch| {
                if !keep_going() {
                    return Err(StageError::Stopped);
                }
                db.tenant(scope, |tx| {
                    let counts =
                        db::marketplace::stage(tx, import_id, language.as_str(), &batch.payload)?;
                    db::marketplace_imports::add_errors(tx, import_id, &error_rows(&batch.kept))?;
                    db::marketplace::add_progress(tx, import_id, batch.rows, counts, batch.errors)?;
                    Ok::<_, StageError>(counts)
                })
            });
            if result.is_err() {
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            result.map(|()| summary)
        };
        let writers: Vec<_> = (0..WRITERS).map(|_| threads.spawn(write)).collect();
        let results: Vec<_> = writers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect();
        // Writers that stopped early leave the reader waiting to send: this ends it.
        drop(batches.lock().ok().and_then(|mut r| r.take()));
        let mut total = StageSummary::default();
        for result in results {
            let summary = result?;
            total.rows += summary.rows;
            total.errors += summary.errors;
            total.counts.created += summary.counts.created;
            total.counts.updated += summary.counts.updated;
            total.counts.unchanged += summary.counts.unchanged;
        }
        Ok(total)
    })
}

/// One writer: takes batches until there are none, another writer failed, or `write` fails.
fn write_batches(
    batches: &std::sync::Mutex<Option<std::sync::mpsc::Receiver<Result<Batch, FeedError>>>>,
    stop: &std::sync::atomic::AtomicBool,
    summary: &mut StageSummary,
    write: impl Fn(&Batch) -> Result<StageCounts, StageError>,
) -> Result<(), StageError> {
    loop {
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(());
        }
        let next = match batches.lock().as_deref() {
            Ok(Some(receiver)) => receiver.recv(),
            _ => return Ok(()),
        };
        let Ok(batch) = next else {
            return Ok(()); // the feed ended
        };
        let batch = batch?;
        let counts = write(&batch)?;
        summary.rows += batch.rows;
        summary.errors += batch.errors;
        summary.counts.created += counts.created;
        summary.counts.updated += counts.updated;
        summary.counts.unchanged += counts.unchanged;
    }
}

/// Reads the feed into batches of [`BATCH_ROWS`] rows until it ends, fails, or nobody
/// receives any more.
fn read_batches<R: Read>(
    feed: &mut Feed<R>,
    sender: &std::sync::mpsc::SyncSender<Result<Batch, FeedError>>,
) {
    let mut rows: Vec<FeedRow> = Vec::with_capacity(BATCH_ROWS);
    let mut kept: Vec<RowError> = Vec::new();
    let mut errors = 0;
    let mut kept_before = 0;
    loop {
        let next = match feed.next_row() {
            Ok(next) => next,
            Err(e) => {
                let _ = sender.send(Err(e));
                return;
            }
        };
        let ended = match next {
            Some(Parsed::Row(row)) => {
                rows.push(*row);
                false
            }
            Some(Parsed::Bad(error)) => {
                errors += 1;
                if kept_before + kept.len() < MAX_KEPT_ERRORS {
                    kept.push(error);
                }
                false
            }
            None => true,
        };
        let pending = rows.len() + errors as usize;
        if pending >= BATCH_ROWS || (ended && pending > 0) {
            let staged: Vec<StagedRow<'_>> = rows.iter().map(StagedRow::from).collect();
            let batch = Batch {
                payload: serde_json::to_string(&staged).unwrap_or_else(|_| "[]".into()),
                rows: pending as i64,
                errors,
                kept: std::mem::take(&mut kept),
            };
            kept_before += batch.kept.len();
            rows.clear();
            errors = 0;
            if sender.send(Ok(batch)).is_err() {
                return;
            }
        }
        if ended {
            return;
        }
    }
}

/// A good row as the staging statement reads it (`jsonb_to_recordset` column names).
#[derive(Serialize)]
struct StagedRow<'a> {
    external_id: &'a str,
    price_cents: i64,
    sale_price_cents: Option<i64>,
    currency: &'a str,
    availability: &'static str,
    brand: &'a Option<String>,
    gtin: &'a Option<String>,
    mpn: &'a Option<String>,
    condition: &'static str,
    image_link: &'a Option<String>,
    additional_image_links: &'a [String],
    google_product_category: &'a Option<String>,
    product_type: &'a Option<String>,
    item_group_id: &'a Option<String>,
    color: &'a Option<String>,
    size: &'a Option<String>,
    title: &'a str,
    description: &'a str,
    link: &'a Option<String>,
    raw: &'a serde_json::Map<String, Value>,
}

impl<'a> From<&'a FeedRow> for StagedRow<'a> {
    fn from(row: &'a FeedRow) -> Self {
        StagedRow {
            external_id: &row.external_id,
            price_cents: row.price.cents,
            sale_price_cents: row.sale_price.map(|s| s.cents),
            currency: row.price.currency(),
            availability: row.availability.as_str(),
            brand: &row.brand,
            gtin: &row.gtin,
            mpn: &row.mpn,
            condition: row.condition.as_str(),
            image_link: &row.image_link,
            additional_image_links: &row.additional_image_links,
            google_product_category: &row.google_product_category,
            product_type: &row.product_type,
            item_group_id: &row.item_group_id,
            color: &row.color,
            size: &row.size,
            title: &row.title,
            description: &row.description,
            link: &row.link,
            raw: &row.raw,
        }
    }
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
pub fn stage_file<R: Read + Send>(
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
