//! Putting work on the queue, always inside the caller's transaction: the job exists exactly
//! when what asked for it committed.

use db::jobs::NewJob;
use db::{JobId, PlatformTx, TenantTx};

/// A job to enqueue: its kind (the handler that runs it), its input, how often to try.
#[derive(Debug, Clone)]
pub struct JobSpec<'a> {
    pub kind: &'a str,
    pub payload: serde_json::Value,
    pub max_attempts: i32,
}

impl<'a> JobSpec<'a> {
    /// A job tried up to five times.
    pub fn new(kind: &'a str, payload: serde_json::Value) -> Self {
        Self {
            kind,
            payload,
            max_attempts: 5,
        }
    }

    fn row(&self) -> NewJob<'_> {
        NewJob {
            kind: self.kind,
            payload: &self.payload,
            max_attempts: self.max_attempts,
        }
    }
}

/// A job that works for the transaction's vendor (its handler runs in that vendor's scope).
pub fn enqueue_for_vendor(tx: &mut TenantTx<'_>, job: &JobSpec<'_>) -> Result<JobId, db::Error> {
    Ok(db::jobs::enqueue_for_vendor(tx, &job.row())?)
}

/// A job of the platform's own (e.g. an admin's bulk vendor import); its handler gets no
/// vendor scope.
pub fn enqueue_for_platform(
    tx: &mut PlatformTx<'_>,
    job: &JobSpec<'_>,
) -> Result<JobId, db::Error> {
    Ok(db::jobs::enqueue_for_platform(tx, &job.row())?)
}
