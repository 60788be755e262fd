//! The job queue's rows: enqueue inside the caller's transaction (so a job exists exactly when
//! the work that asked for it committed), claim with `FOR UPDATE SKIP LOCKED`, renew the lease,
//! record the outcome. The rules (backoff, how long a lease is) belong to the `jobs` crate.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Double, Text};

use crate::schema::jobs;
use crate::{JobId, QueueTx, TenantTx, VendorId};

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = jobs, check_for_backend(diesel::pg::Pg))]
pub struct Job {
    pub id: JobId,
    pub kind: String,
    pub vendor_id: Option<VendorId>,
    pub payload: serde_json::Value,
    pub status: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: DateTime<Utc>,
    pub locked_by: Option<String>,
    pub lease_until: Option<DateTime<Utc>>,
    pub cancel_requested: bool,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = jobs)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    pub payload: &'a serde_json::Value,
    pub max_attempts: i32,
}

#[derive(Insertable)]
#[diesel(table_name = jobs)]
struct Row<'a> {
    kind: &'a str,
    vendor_id: Option<VendorId>,
    payload: &'a serde_json::Value,
    max_attempts: i32,
}

/// A job working for the transaction's vendor.
pub fn enqueue_for_vendor(tx: &mut TenantTx<'_>, new: &NewJob<'_>) -> QueryResult<JobId> {
    let vendor_id = Some(tx.vendor_id());
    insert(tx.conn(), new, vendor_id)
}

/// A job of the platform's own (no vendor: its handler gets no tenant scope).
pub fn enqueue_for_platform(
    tx: &mut crate::PlatformTx<'_>,
    new: &NewJob<'_>,
) -> QueryResult<JobId> {
    insert(tx.conn(), new, None)
}

/// Queues the platform job `kind` to run in `delay_secs`, unless one is already queued or
/// running besides `except` (the run asking for its successor): a recurring job that keeps
/// exactly one future run.
pub fn schedule_next(
    tx: &mut crate::PlatformTx<'_>,
    kind: &str,
    delay_secs: i64,
    except: JobId,
) -> QueryResult<()> {
    use diesel::sql_types::{BigInt, Text};
    diesel::sql_query(
        "INSERT INTO jobs (kind, run_at, max_attempts)
         SELECT $1, now() + make_interval(secs => $2), 100
         WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE kind = $1 AND vendor_id IS NULL
                           AND status IN ('queued', 'running') AND id <> $3)",
    )
    .bind::<Text, _>(kind)
    .bind::<BigInt, _>(delay_secs)
    .bind::<BigInt, _>(except.0)
    .execute(tx.conn())
    .map(|_| ())
}

fn insert(
    conn: &mut PgConnection,
    new: &NewJob<'_>,
    vendor_id: Option<VendorId>,
) -> QueryResult<JobId> {
    diesel::insert_into(jobs::table)
        .values(Row {
            kind: new.kind,
            vendor_id,
            payload: new.payload,
            max_attempts: new.max_attempts,
        })
        .returning(jobs::id)
        .get_result(conn)
}

/// Gives up on running jobs whose worker stopped (lease passed) once they have used all their
/// attempts; answers how many.
pub fn fail_abandoned(tx: &mut QueueTx<'_>, message: &str) -> QueryResult<usize> {
    diesel::update(
        jobs::table
            .filter(jobs::status.eq("running"))
            .filter(jobs::lease_until.lt(diesel::dsl::now))
            .filter(jobs::attempts.ge(jobs::max_attempts)),
    )
    .set((
        jobs::status.eq("failed"),
        jobs::last_error.eq(message),
        jobs::locked_by.eq(None::<String>),
        jobs::lease_until.eq(None::<DateTime<Utc>>),
        jobs::finished_at.eq(diesel::dsl::now),
        jobs::updated_at.eq(diesel::dsl::now),
    ))
    .execute(tx.conn())
}

/// Takes the oldest due job of one of `kinds` — queued and due, or running with its lease
/// passed — for `worker`, leased for `lease_seconds`. Concurrent workers skip each other's
/// rows instead of waiting on them.
pub fn claim(
    tx: &mut QueueTx<'_>,
    worker: &str,
    kinds: &[String],
    lease_seconds: f64,
) -> QueryResult<Option<Job>> {
    diesel::sql_query(
        "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $1, \
           lease_until = now() + make_interval(secs => $2), \
           started_at = coalesce(started_at, now()), updated_at = now() \
         WHERE id = ( \
           SELECT id FROM jobs \
           WHERE kind = ANY($3) AND ( \
             (status = 'queued' AND run_at <= now()) \
             OR (status = 'running' AND lease_until < now() AND attempts < max_attempts)) \
           ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) \
         RETURNING *",
    )
    .bind::<Text, _>(worker)
    .bind::<Double, _>(lease_seconds)
    .bind::<Array<Text>, _>(kinds)
    .get_result(tx.conn())
    .optional()
}

/// Extends `worker`'s lease on a running job. `None` when the worker no longer holds it (the
/// lease passed and another worker took the job); otherwise whether cancelling was asked.
pub fn renew(
    tx: &mut QueueTx<'_>,
    id: JobId,
    worker: &str,
    lease_seconds: f64,
) -> QueryResult<Option<bool>> {
    diesel::sql_query(
        "UPDATE jobs SET lease_until = now() + make_interval(secs => $3), updated_at = now() \
         WHERE id = $1 AND locked_by = $2 AND status = 'running' \
         RETURNING cancel_requested",
    )
    .bind::<BigInt, _>(id.0)
    .bind::<Text, _>(worker)
    .bind::<Double, _>(lease_seconds)
    .get_result::<CancelRequested>(tx.conn())
    .optional()
    .map(|r| r.map(|r| r.cancel_requested))
}

#[derive(QueryableByName)]
struct CancelRequested {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    cancel_requested: bool,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome<'a> {
    Succeeded,
    Cancelled,
    /// Queued again, due after the delay.
    Retry {
        error: &'a str,
        delay_seconds: f64,
    },
    Failed {
        error: &'a str,
    },
}

/// Records the outcome of `worker`'s run; `false` when the worker had lost the job meanwhile
/// (nothing is written then: the job belongs to whoever holds it now).
pub fn finish(
    tx: &mut QueueTx<'_>,
    id: JobId,
    worker: &str,
    outcome: Outcome<'_>,
) -> QueryResult<bool> {
    let (status, error, delay) = match outcome {
        Outcome::Succeeded => ("succeeded", None, None),
        Outcome::Cancelled => ("cancelled", None, None),
        Outcome::Retry {
            error,
            delay_seconds,
        } => ("queued", Some(error), Some(delay_seconds)),
        Outcome::Failed { error } => ("failed", Some(error), None),
    };
    diesel::sql_query(
        "UPDATE jobs SET status = $3, last_error = coalesce($4, last_error), \
           run_at = CASE WHEN $5::float8 IS NULL THEN run_at ELSE now() + make_interval(secs => $5) END, \
           finished_at = CASE WHEN $3 = 'queued' THEN NULL ELSE now() END, \
           locked_by = NULL, lease_until = NULL, updated_at = now() \
         WHERE id = $1 AND locked_by = $2 AND status = 'running'",
    )
    .bind::<BigInt, _>(id.0)
    .bind::<Text, _>(worker)
    .bind::<Text, _>(status)
    .bind::<diesel::sql_types::Nullable<Text>, _>(error)
    .bind::<diesel::sql_types::Nullable<Double>, _>(delay)
    .execute(tx.conn())
    .map(|n| n == 1)
}

/// Asks a job of the transaction's vendor to stop: a queued job is cancelled at once, a
/// running one is flagged and stops at its next check. The job's status afterwards, `None`
/// when there is no such job.
pub fn cancel(tx: &mut TenantTx<'_>, id: JobId) -> QueryResult<Option<String>> {
    let vendor_id = tx.vendor_id();
    diesel::sql_query(
        "UPDATE jobs SET \
           status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END, \
           finished_at = CASE WHEN status = 'queued' THEN now() ELSE finished_at END, \
           cancel_requested = cancel_requested OR status = 'running', updated_at = now() \
         WHERE id = $1 AND vendor_id = $2 RETURNING *",
    )
    .bind::<BigInt, _>(id.0)
    .bind::<BigInt, _>(vendor_id.0)
    .get_result::<Job>(tx.conn())
    .optional()
    .map(|job| job.map(|j| j.status))
}

/// One job of the transaction's vendor.
pub fn find(tx: &mut TenantTx<'_>, id: JobId) -> QueryResult<Option<Job>> {
    let vendor_id = tx.vendor_id();
    jobs::table
        .filter(jobs::vendor_id.eq(vendor_id))
        .filter(jobs::id.eq(id))
        .select(Job::as_select())
        .first(tx.conn())
        .optional()
}

/// A job with the code of the vendor it works for (none for platform work).
pub type JobOfVendor = (Job, Option<String>);

/// A page of every job, newest first, in one status or of one kind, with the code of the
/// vendor each works for (platform scope: administrators).
pub fn platform_page(
    tx: &mut crate::PlatformTx<'_>,
    status: Option<&str>,
    kind: Option<&str>,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<JobOfVendor>, i64)> {
    use crate::schema::vendors;
    let query = || {
        let mut q = jobs::table.left_join(vendors::table).into_boxed();
        if let Some(status) = status {
            q = q.filter(jobs::status.eq(status.to_owned()));
        }
        if let Some(kind) = kind {
            q = q.filter(jobs::kind.eq(kind.to_owned()));
        }
        q
    };
    let items = query()
        .order(jobs::id.desc())
        .limit(limit)
        .offset(offset)
        .select((Job::as_select(), vendors::code.nullable()))
        .load(tx.conn())?;
    let total = query().count().get_result(tx.conn())?;
    Ok((items, total))
}
