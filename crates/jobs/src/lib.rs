//! Background jobs. Work that is long (imports), may fail for a while (e-mail, fetching a
//! feed) or must outlive the request that asked for it is enqueued in the caller's
//! transaction and run by a [`Worker`]: inside the server (`WORKERS`, 0 disables) or alone as
//! `wizamart worker`. A worker claims one job at a time with `FOR UPDATE SKIP LOCKED` and
//! holds it by a lease it renews while the job runs; when a worker dies, its job is claimed
//! again after the lease. Failures are retried with exponential backoff until the job's
//! attempts are used up, then the job is `failed` with its last error. Idle workers wait for
//! the database's notification of a new job ([`Wakeup::hear`]), polling as well in case it is missed.
//!
//! Handlers must therefore be safe to run again on a job that was half done (the import
//! upserts by the feed's ids, so a second run finds its own rows).

mod board;
mod queue;
mod wakeup;
mod worker;

pub use board::{BoardError, JobBoard, JobQuery, JobStatus, JobView, PgJobBoard};
pub use queue::{JobSpec, enqueue_for_platform, enqueue_for_vendor};
pub use wakeup::Wakeup;
pub use worker::{Handler, JobContext, JobError, Worker, WorkerConfig};
