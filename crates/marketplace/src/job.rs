//! The import job: reads an import's feed from its source and stages it. It runs on the job
//! queue's workers, never in a request, and may run again after a worker died (staging
//! upserts by the feed's ids, and a rerun counts from zero).

use std::io::Read;
use std::sync::Arc;

use catalog::Language;
use db::marketplace_imports as repo;
use db::{Db, TenantScope};
use jobs::{Handler, JobContext, JobError};

use crate::ImportStatus;
use crate::feed::{Feed, FeedError};
use crate::staging::{StageError, stage_feed};

/// Where an import's feed comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedSource<'a> {
    /// A file stored in the media store under this key when it was uploaded.
    Upload {
        key: &'a str,
    },
    Url {
        url: &'a str,
    },
}

/// Why a feed could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// Worth another try later (a timeout, a server error, the store unreachable).
    #[error("{0}")]
    Temporary(String),
    /// Another try would end the same way (refused address, 404, too large).
    #[error("{0}")]
    Refused(String),
}

/// Opens feeds as a stream; the server implements it over its media store and HTTP client.
pub trait FeedSources: Send + Sync {
    fn open(&self, source: FeedSource<'_>) -> Result<Box<dyn Read + Send>, SourceError>;

    /// Removes an uploaded file once its import has ended.
    fn discard(&self, upload_key: &str);
}

/// The handler of [`crate::IMPORT_JOB`] jobs.
pub struct ImportJob {
    db: Db,
    sources: Arc<dyn FeedSources>,
    catalog: Arc<dyn catalog::CatalogService>,
}

impl ImportJob {
    pub fn new(
        db: Db,
        sources: Arc<dyn FeedSources>,
        catalog: Arc<dyn catalog::CatalogService>,
    ) -> Self {
        Self {
            db,
            sources,
            catalog,
        }
    }

    fn end(
        &self,
        scope: &TenantScope,
        import: &repo::Import,
        status: ImportStatus,
        failure: Option<&str>,
    ) -> Result<(), JobError> {
        self.db
            .tenant(scope, |tx| {
                repo::finish(tx, import.id, status.as_str(), failure)
            })
            .map_err(db::Error::from)?;
        if let Some(key) = &import.upload_key {
            self.sources.discard(key);
        }
        Ok(())
    }

    /// A failure: retried while attempts remain (the import waits as `pending` with the
    /// reason), otherwise the import fails with it.
    fn temporary(
        &self,
        job: &JobContext,
        scope: &TenantScope,
        import: &repo::Import,
        reason: String,
    ) -> Result<(), JobError> {
        if job.last_attempt {
            self.end(scope, import, ImportStatus::Failed, Some(&reason))?;
            return Err(JobError::Fail(reason));
        }
        let waiting = format!("will try again: {reason}");
        self.db
            .tenant(scope, |tx| repo::wait(tx, import.id, &waiting))
            .map_err(db::Error::from)?;
        Err(JobError::Retry(reason))
    }
}

impl Handler for ImportJob {
    fn run(&self, job: &JobContext) -> Result<(), JobError> {
        let scope = job
            .vendor
            .ok_or_else(|| JobError::Fail("an import job works for a vendor".into()))?;
        let id = job.payload["import_id"]
            .as_i64()
            .ok_or_else(|| JobError::Fail("the job names no import".into()))?;
        let Some(import) = self
            .db
            .tenant(&scope, |tx| repo::find(tx, id))
            .map_err(db::Error::from)?
        else {
            return Ok(());
        };
        if ImportStatus::parse(&import.status).is_some_and(ImportStatus::is_final) {
            return Ok(());
        }
        let started = self
            .db
            .tenant(&scope, |tx| {
                repo::start(tx, id)?;
                repo::find(tx, id)
            })
            .map_err(db::Error::from)?
            .and_then(|i| i.started_at)
            .unwrap_or(import.created_at);
        let source = match &import.upload_key {
            Some(key) => FeedSource::Upload { key },
            None => FeedSource::Url {
                url: &import.source,
            },
        };
        let reader = match self.sources.open(source) {
            Ok(reader) => reader,
            Err(SourceError::Temporary(reason)) => {
                return self.temporary(job, &scope, &import, reason);
            }
            Err(SourceError::Refused(reason)) => {
                self.end(&scope, &import, ImportStatus::Failed, Some(&reason))?;
                return Err(JobError::Fail(reason));
            }
        };
        let language = Language::parse(&import.language).unwrap_or(Language::Fr);
        let staged = Feed::open(reader)
            .map_err(StageError::from)
            .and_then(|mut feed| {
                stage_feed(&self.db, &scope, id, language, &mut feed, &|| {
                    !job.should_stop()
                })
            });
        match staged {
            Ok(summary) => {
                self.db
                    .tenant(&scope, |tx| {
                        db::marketplace::flag_missing(tx, id, language.as_str())
                    })
                    .map_err(db::Error::from)?;
                let updated =
                    crate::sync::sync_published(&self.db, &*self.catalog, &scope, id, started)?;
                tracing::info!(import = id, published_updated = updated, "import staged");
                let status = if summary.errors > 0 {
                    ImportStatus::CompletedWithErrors
                } else {
                    ImportStatus::Completed
                };
                self.end(&scope, &import, status, None)
            }
            Err(StageError::Stopped) if job.is_cancelled() => {
                self.end(&scope, &import, ImportStatus::Cancelled, None)?;
                Err(JobError::Stopped)
            }
            Err(StageError::Stopped) => Err(JobError::Stopped),
            // The stream broke off (network): the next attempt reads it again.
            Err(StageError::Feed(FeedError::Read(reason))) => {
                self.temporary(job, &scope, &import, reason)
            }
            Err(StageError::Feed(e)) => {
                let reason = e.to_string();
                self.end(&scope, &import, ImportStatus::Failed, Some(&reason))?;
                Err(JobError::Fail(reason))
            }
            Err(StageError::Db(e)) => self.temporary(job, &scope, &import, e.to_string()),
        }
    }
}
