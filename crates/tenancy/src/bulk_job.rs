//! The job of a large bulk vendor import: creates the stored file's vendors in chunks,
//! recording each chunk's outcomes with the progress, so the admin's page follows it and a
//! rerun after a crash resumes after the last recorded row (a vendor created just before a
//! crash is then reported as taken, not created twice).

use std::sync::Arc;

use db::audit::Actor;
use db::vendor_bulk_imports as repo;
use db::{Db, PlatformScope, UserId};
use jobs::{Handler, JobContext, JobError};
use serde_json::json;

use crate::bulk::{self, BulkStatus};
use crate::pg::PgVendors;

/// The job kind of a bulk vendor import.
pub const BULK_IMPORT_JOB: &str = "vendors.bulk_import";

/// Rows per recorded chunk: a few seconds of bcrypt hashing between progress updates.
const CHUNK_ROWS: usize = 10;

pub struct BulkImportJob {
    db: Db,
    vendors: Arc<PgVendors>,
}

impl BulkImportJob {
    pub fn new(db: Db, vendors: Arc<PgVendors>) -> Self {
        Self { db, vendors }
    }

    fn fail(&self, scope: &PlatformScope, id: i64, reason: String) -> Result<(), JobError> {
        self.db
            .platform(scope, |tx| {
                repo::finish(tx, id, BulkStatus::Failed.as_str(), Some(&reason))
            })
            .map_err(db::Error::from)?;
        Err(JobError::Fail(reason))
    }
}

impl Handler for BulkImportJob {
    fn run(&self, job: &JobContext) -> Result<(), JobError> {
        let id = job.payload["bulk_import_id"]
            .as_i64()
            .ok_or_else(|| JobError::Fail("the job names no bulk import".into()))?;
        let scope = job
            .platform
            .ok_or_else(|| JobError::Fail("a bulk vendor import is platform work".into()))?;
        let Some((import, csv)) = self
            .db
            .platform(&scope, |tx| repo::start(tx, id))
            .map_err(db::Error::from)?
        else {
            return Ok(()); // ended already
        };
        let Some(by) = import.created_by else {
            return self.fail(
                &scope,
                id,
                "the admin who started it no longer exists".into(),
            );
        };
        let actor = Actor {
            user_id: UserId(by),
            ip: None,
            request_id: Some(format!("bulk-import-{id}")),
            on_behalf: None,
        };
        let lines = match bulk::parse(&csv) {
            Ok(lines) => lines,
            Err(e) => return self.fail(&scope, id, e.to_string()),
        };
        let mut done = usize::try_from(import.processed_rows).unwrap_or(0);
        let mut rest = lines.into_iter().skip(done);
        loop {
            if job.should_stop() {
                return Err(JobError::Stopped);
            }
            let chunk: Vec<_> = rest.by_ref().take(CHUNK_ROWS).collect();
            if chunk.is_empty() {
                break;
            }
            done += chunk.len();
            let report = self.vendors.create_rows(&scope, &actor, chunk);
            let processed = i32::try_from(done).unwrap_or(i32::MAX);
            self.db
                .platform(&scope, |tx| {
                    repo::record(
                        tx,
                        id,
                        processed,
                        &json!(report.created),
                        &json!(report.failed),
                    )
                })
                .map_err(db::Error::from)?;
        }
        self.db
            .platform(&scope, |tx| {
                repo::finish(tx, id, BulkStatus::Completed.as_str(), None)
            })
            .map_err(db::Error::from)?;
        Ok(())
    }
}
