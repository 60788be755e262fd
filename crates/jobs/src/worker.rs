//! The worker loop: claim, run with a renewed lease, record the outcome.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use db::jobs::{Job, Outcome};
use db::{Db, JobId, PlatformScope, TenantScope};

use crate::Wakeup;

/// Runs the jobs of one kind. `run` may be called again for a job a dead worker left half
/// done, so it must be idempotent; it should look at [`JobContext::should_stop`] between
/// steps of long work.
pub trait Handler: Send + Sync {
    fn run(&self, job: &JobContext) -> Result<(), JobError>;
}

/// Why a run did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Worth another try later (a network error, a busy database).
    #[error("{0}")]
    Retry(String),
    /// Another try would fail the same way (bad input): the job fails now.
    #[error("{0}")]
    Fail(String),
    /// The run stopped because [`JobContext::should_stop`] said so.
    #[error("stopped")]
    Stopped,
}

impl From<db::Error> for JobError {
    fn from(e: db::Error) -> Self {
        JobError::Retry(e.to_string())
    }
}

/// What a handler knows of the job it runs.
#[derive(Debug)]
pub struct JobContext {
    pub id: JobId,
    pub kind: String,
    /// The vendor the job works for, proven by the job's row (only that vendor's transaction
    /// could write it); `None` for platform jobs.
    pub vendor: Option<TenantScope>,
    /// For a platform job (no vendor): the platform scope, proven by the job's row too — a
    /// row without a vendor can only be written by a platform transaction (the `jobs` policy).
    pub platform: Option<PlatformScope>,
    pub payload: serde_json::Value,
    /// 1 on the first run.
    pub attempt: i32,
    /// Whether a [`JobError::Retry`] now fails the job instead (its attempts are used up).
    pub last_attempt: bool,
    cancelled: AtomicBool,
    lost: AtomicBool,
}

impl JobContext {
    /// Whether the job was cancelled or this worker lost it (its lease passed): either way the
    /// handler should stop and return [`JobError::Stopped`].
    pub fn should_stop(&self) -> bool {
        self.is_cancelled() || self.lost.load(Ordering::Relaxed)
    }

    /// Whether someone cancelled the job (rather than this worker losing it).
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

/// Timing of a worker.
#[derive(Debug, Clone, Copy)]
pub struct WorkerConfig {
    /// How long a claim holds without renewal; renewed every third of it while running.
    pub lease: Duration,
    /// The longest pause when no job is due (a new job wakes the worker sooner, see
    /// [`Worker::woken_by`]; a retry that becomes due does not).
    pub idle: Duration,
    /// The first retry's delay; each further retry waits four times longer, at most an hour.
    pub retry_base: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            lease: Duration::from_secs(60),
            idle: Duration::from_secs(1),
            retry_base: Duration::from_secs(10),
        }
    }
}

const MAX_RETRY_DELAY: Duration = Duration::from_secs(3600);

/// A worker: one job at a time, of the kinds it has handlers for.
pub struct Worker {
    db: Db,
    name: String,
    handlers: HashMap<String, Arc<dyn Handler>>,
    config: WorkerConfig,
    wakeup: Arc<Wakeup>,
}

impl Worker {
    /// A worker named after this process and a random suffix (the name holds its leases).
    pub fn new(db: Db, config: WorkerConfig) -> Self {
        let name = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
        Self {
            db,
            name,
            handlers: HashMap::new(),
            config,
            wakeup: Arc::default(),
        }
    }

    pub fn handle(mut self, kind: &str, handler: Arc<dyn Handler>) -> Self {
        self.handlers.insert(kind.to_owned(), handler);
        self
    }

    /// Idle, the worker waits on `wakeup` (shared with the process's [`crate::listen`]) for
    /// at most [`WorkerConfig::idle`].
    pub fn woken_by(mut self, wakeup: Arc<Wakeup>) -> Self {
        self.wakeup = wakeup;
        self
    }

    /// Runs jobs until `shutdown` is set (checked between jobs and while idle).
    pub fn run(&self, shutdown: &AtomicBool) {
        while !shutdown.load(Ordering::Relaxed) {
            let round = self.wakeup.round();
            match self.run_one() {
                Ok(true) => {}
                Ok(false) => self.wakeup.wait(round, self.config.idle),
                Err(e) => {
                    tracing::warn!(worker = %self.name, error = %e, "job queue unavailable");
                    std::thread::sleep(self.config.idle);
                }
            }
        }
    }

    /// Claims one due job and runs it; `false` when none was due.
    pub fn run_one(&self) -> Result<bool, db::Error> {
        let kinds: Vec<String> = self.handlers.keys().cloned().collect();
        let lease = self.config.lease.as_secs_f64();
        let claimed = self.db.queue(|tx| {
            db::jobs::fail_abandoned(tx, "the worker running it stopped on every attempt")?;
            db::jobs::claim(tx, &self.name, &kinds, lease)
        })?;
        let Some(job) = claimed else {
            return Ok(false);
        };
        let context = context(job.clone());
        let result = if job.cancel_requested {
            // Cancelled while a worker that has since died was running it.
            Err(JobError::Stopped)
        } else {
            // Claims ask only for kinds with a handler.
            let handler = self.handlers.get(&job.kind).cloned();
            handler.map_or(
                Err(JobError::Fail(format!("no handler for {}", job.kind))),
                |h| self.run_leased(&*h, &context),
            )
        };
        let outcome_error;
        let outcome = match &result {
            Ok(()) => Outcome::Succeeded,
            Err(JobError::Stopped) if context.lost.load(Ordering::Relaxed) => {
                tracing::info!(job = %job.id, "job lost to another worker; its outcome is theirs");
                return Ok(true);
            }
            Err(JobError::Stopped) => Outcome::Cancelled,
            Err(JobError::Retry(e)) if job.attempts < job.max_attempts => {
                outcome_error = e.clone();
                Outcome::Retry {
                    error: &outcome_error,
                    delay_seconds: self.retry_delay(job.attempts).as_secs_f64(),
                }
            }
            Err(JobError::Retry(e) | JobError::Fail(e)) => {
                outcome_error = e.clone();
                Outcome::Failed {
                    error: &outcome_error,
                }
            }
        };
        if let Err(e) = &result {
            tracing::warn!(job = %job.id, kind = %job.kind, attempt = job.attempts, error = %e, "job did not succeed");
        }
        self.db
            .queue(|tx| db::jobs::finish(tx, job.id, &self.name, outcome))?;
        Ok(true)
    }

    /// Runs the handler while a second thread renews the lease; a panic is a failed attempt.
    fn run_leased(&self, handler: &dyn Handler, context: &JobContext) -> Result<(), JobError> {
        let (done, finished) = mpsc::channel::<()>();
        let every = self.config.lease / 3;
        let lease = self.config.lease.as_secs_f64();
        std::thread::scope(|scope| {
            scope.spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(every) {
                    match self
                        .db
                        .queue(|tx| db::jobs::renew(tx, context.id, &self.name, lease))
                    {
                        Ok(None) => context.lost.store(true, Ordering::Relaxed),
                        Ok(Some(cancel)) => {
                            if cancel {
                                context.cancelled.store(true, Ordering::Relaxed);
                            }
                        }
                        // The next renewal may work; the lease has two more thirds.
                        Err(e) => {
                            tracing::warn!(job = %context.id, error = %e, "lease not renewed")
                        }
                    }
                }
            });
            let result = catch_unwind(AssertUnwindSafe(|| handler.run(context)))
                .unwrap_or_else(|_| Err(JobError::Retry("the job's handler panicked".into())));
            drop(done);
            result
        })
    }

    fn retry_delay(&self, attempt: i32) -> Duration {
        let factor = 4u32.saturating_pow(u32::try_from(attempt.max(1) - 1).unwrap_or(0));
        self.config
            .retry_base
            .checked_mul(factor)
            .map_or(MAX_RETRY_DELAY, |d| d.min(MAX_RETRY_DELAY))
    }
}

fn context(job: Job) -> JobContext {
    JobContext {
        id: job.id,
        kind: job.kind,
        vendor: job.vendor_id.map(TenantScope::trusted),
        platform: job.vendor_id.is_none().then(PlatformScope::trusted),
        payload: job.payload,
        attempt: job.attempts,
        last_attempt: job.attempts >= job.max_attempts,
        cancelled: AtomicBool::new(job.cancel_requested),
        lost: AtomicBool::new(false),
    }
}
