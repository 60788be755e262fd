//! The clean-up of abandoned carts: the platform job [`CART_EXPIRY_JOB`] deletes carts past
//! their expiry in batches, and keeps one next run queued an hour later (the first run is
//! queued by the migration that made the carts table).

use db::Db;
use jobs::{Handler, JobContext, JobError};

pub const CART_EXPIRY_JOB: &str = "carts.expire";

/// Seconds between runs.
const EVERY_SECS: i64 = 3600;
/// Carts deleted per transaction.
const BATCH: i64 = 1000;

pub struct CartExpiryJob {
    db: Db,
}

impl CartExpiryJob {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

impl Handler for CartExpiryJob {
    fn run(&self, job: &JobContext) -> Result<(), JobError> {
        let scope = job
            .platform
            .ok_or_else(|| JobError::Fail("cart expiry is platform work".into()))?;
        // The successor first: a run that fails still leaves the next one queued.
        self.db.platform(&scope, |tx| {
            db::jobs::schedule_next(tx, CART_EXPIRY_JOB, EVERY_SECS, job.id)
                .map_err(db::Error::from)
        })?;
        loop {
            if job.should_stop() {
                return Err(JobError::Stopped);
            }
            let deleted = self.db.platform(&scope, |tx| {
                db::carts::delete_expired(tx, BATCH).map_err(db::Error::from)
            })?;
            if i64::try_from(deleted).unwrap_or(BATCH) < BATCH {
                return Ok(());
            }
        }
    }
}
