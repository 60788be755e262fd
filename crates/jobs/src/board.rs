//! The queue as administrators see it: every job with its state, attempts and last error.

use chrono::{DateTime, Utc};
use db::pagination::{Page, PageRequest};
use db::{Db, PlatformScope};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

/// A job's state: `queued` (waiting for its time or a worker), `running`, and finally
/// `succeeded`, `failed` (with `last_error`) or `cancelled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

impl JobStatus {
    const ALL: [JobStatus; 5] = [
        JobStatus::Queued,
        JobStatus::Running,
        JobStatus::Succeeded,
        JobStatus::Failed,
        JobStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Succeeded => "succeeded",
            JobStatus::Failed => "failed",
            JobStatus::Cancelled => "cancelled",
        }
    }

    fn parse(s: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .unwrap_or(JobStatus::Failed)
    }
}

/// One job as the admin list shows it (its payload stays in the database).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JobView {
    pub id: i64,
    /// Which handler runs it, e.g. `marketplace.import`, `vendors.bulk_import`.
    pub kind: String,
    /// The vendor it works for; absent for platform work.
    pub vendor_id: Option<i64>,
    pub vendor_code: Option<String>,
    pub status: JobStatus,
    pub attempts: i32,
    pub max_attempts: i32,
    /// When it may run (next); a failed attempt moves it later (backoff).
    pub run_at: DateTime<Utc>,
    pub cancel_requested: bool,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// Filters of the admin list of jobs.
#[derive(Debug, Clone, Default, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct JobQuery {
    #[param(inline)]
    pub status: Option<JobStatus>,
    /// One kind of job.
    #[validate(custom(function = "valid_kind"))]
    #[param(min_length = 1, max_length = 64, pattern = "^[a-z][a-z0-9_.]{0,63}$")]
    pub kind: Option<String>,
    /// From 1; out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub page: Option<i64>,
    /// 1 to 100 (default 20); out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub per_page: Option<i64>,
}

/// A job kind as the `jobs` table takes it (`^[a-z][a-z0-9_.]{0,63}$`).
fn valid_kind(kind: &str) -> Result<(), validator::ValidationError> {
    let mut chars = kind.chars();
    let first = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    let rest = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
    if first && rest && kind.len() <= 64 {
        Ok(())
    } else {
        Err(validator::ValidationError::new("kind")
            .with_message("a job kind like marketplace.import".into()))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BoardError {
    #[error("invalid input")]
    Validation(#[from] validator::ValidationErrors),
    #[error(transparent)]
    Storage(#[from] db::Error),
}

db::storage_error!(BoardError);

/// Every vendor's and the platform's jobs, for administrators.
pub trait JobBoard: Send + Sync {
    /// Newest first.
    fn jobs(&self, scope: &PlatformScope, query: &JobQuery) -> Result<Page<JobView>, BoardError>;
}

pub struct PgJobBoard {
    db: Db,
}

impl PgJobBoard {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

impl JobBoard for PgJobBoard {
    fn jobs(&self, scope: &PlatformScope, query: &JobQuery) -> Result<Page<JobView>, BoardError> {
        query.validate()?;
        let req = PageRequest::new(query.page, query.per_page);
        let (rows, total) = self.db.platform(scope, |tx| {
            db::jobs::platform_page(
                tx,
                query.status.map(JobStatus::as_str),
                query.kind.as_deref(),
                req.per_page,
                req.offset(),
            )
        })?;
        Ok(
            Page::new(rows, total, req).map(|(job, vendor_code)| JobView {
                id: job.id.0,
                kind: job.kind,
                vendor_id: job.vendor_id.map(|v| v.0),
                vendor_code,
                status: JobStatus::parse(&job.status),
                attempts: job.attempts,
                max_attempts: job.max_attempts,
                run_at: job.run_at,
                cancel_requested: job.cancel_requested,
                last_error: job.last_error,
                created_at: job.created_at,
                started_at: job.started_at,
                finished_at: job.finished_at,
            }),
        )
    }
}
