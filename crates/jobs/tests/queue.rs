//! The job queue against a real database: claims, leases, retries, cancelling, concurrency
//! and the wall between vendors.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use db::test_support::TestDb;
use db::{Db, JobId, TenantScope, VendorId};
use jobs::{Handler, JobContext, JobError, JobSpec, Worker, WorkerConfig};
use serde_json::json;

const ALPHA: TenantScope = TenantScope::trusted(VendorId(10));
const BETA: TenantScope = TenantScope::trusted(VendorId(20));

fn setup() -> (TestDb, Db) {
    let test = TestDb::with_two_vendors();
    let db = test.db();
    (test, db)
}

fn quick() -> WorkerConfig {
    WorkerConfig {
        lease: Duration::from_secs(30),
        idle: Duration::from_millis(10),
        retry_base: Duration::ZERO,
    }
}

fn enqueue(
    db: &Db,
    scope: TenantScope,
    kind: &str,
    payload: serde_json::Value,
    attempts: i32,
) -> JobId {
    db.tenant(&scope, |tx| {
        jobs::enqueue_for_vendor(
            tx,
            &JobSpec {
                kind,
                payload,
                max_attempts: attempts,
            },
        )
    })
    .unwrap()
}

fn job(db: &Db, scope: TenantScope, id: JobId) -> Option<db::jobs::Job> {
    db.tenant(&scope, |tx| db::jobs::find(tx, id))
        .map_err(db::Error::from)
        .unwrap()
}

/// A handler that answers from a script, one answer per run, and records what it saw.
struct Scripted {
    answers: Mutex<Vec<Result<(), JobError>>>,
    seen: Mutex<Vec<(Option<VendorId>, serde_json::Value, i32)>>,
}

impl Scripted {
    fn new(answers: Vec<Result<(), JobError>>) -> Arc<Self> {
        Arc::new(Self {
            answers: Mutex::new(answers),
            seen: Mutex::new(Vec::new()),
        })
    }
}

impl Handler for Scripted {
    fn run(&self, job: &JobContext) -> Result<(), JobError> {
        self.seen.lock().unwrap().push((
            job.vendor.map(|v| v.vendor_id()),
            job.payload.clone(),
            job.attempt,
        ));
        let mut answers = self.answers.lock().unwrap();
        if answers.is_empty() {
            return Ok(());
        }
        answers.remove(0)
    }
}

#[test]
fn a_job_runs_once_in_its_vendors_scope_and_succeeds() {
    let (_test, db) = setup();
    let id = enqueue(&db, ALPHA, "test.echo", json!({"file": "a.csv"}), 5);
    let handler = Scripted::new(vec![]);
    let worker = Worker::new(db.clone(), quick()).handle("test.echo", handler.clone());
    assert!(worker.run_one().unwrap());
    assert!(!worker.run_one().unwrap(), "nothing else is due");
    assert_eq!(
        *handler.seen.lock().unwrap(),
        [(Some(VendorId(10)), json!({"file": "a.csv"}), 1)]
    );
    let done = job(&db, ALPHA, id).unwrap();
    assert_eq!(done.status, "succeeded");
    assert!(done.finished_at.is_some() && done.locked_by.is_none());
}

#[test]
fn a_worker_claims_only_the_kinds_it_handles() {
    let (_test, db) = setup();
    let id = enqueue(&db, ALPHA, "test.other", json!({}), 5);
    let worker = Worker::new(db.clone(), quick()).handle("test.echo", Scripted::new(vec![]));
    assert!(!worker.run_one().unwrap());
    assert_eq!(job(&db, ALPHA, id).unwrap().status, "queued");
}

#[test]
fn a_retry_waits_its_backoff_then_runs_again() {
    let (_test, db) = setup();
    let id = enqueue(&db, ALPHA, "test.flaky", json!({}), 5);
    let handler = Scripted::new(vec![Err(JobError::Retry("feed server busy".into()))]);
    let slow = WorkerConfig {
        retry_base: Duration::from_secs(600),
        ..quick()
    };
    let worker = Worker::new(db.clone(), slow).handle("test.flaky", handler.clone());
    assert!(worker.run_one().unwrap());
    let waiting = job(&db, ALPHA, id).unwrap();
    assert_eq!(waiting.status, "queued");
    assert_eq!(waiting.last_error.as_deref(), Some("feed server busy"));
    let wait = waiting.run_at - waiting.updated_at;
    assert!(
        wait.num_seconds() >= 590,
        "first retry after the base delay: {wait}"
    );
    assert!(!worker.run_one().unwrap(), "not due yet");

    let impatient = Worker::new(db.clone(), quick()).handle("test.flaky", handler.clone());
    let zero = enqueue(&db, ALPHA, "test.flaky", json!({"n": 2}), 5);
    *handler.answers.lock().unwrap() = vec![Err(JobError::Retry("once".into()))];
    assert!(impatient.run_one().unwrap());
    assert!(impatient.run_one().unwrap());
    let done = job(&db, ALPHA, zero).unwrap();
    assert_eq!((done.status.as_str(), done.attempts), ("succeeded", 2));
    assert_eq!(
        done.last_error.as_deref(),
        Some("once"),
        "the last error stays visible"
    );
}

#[test]
fn a_job_fails_at_once_on_a_permanent_error_and_after_its_last_attempt() {
    let (_test, db) = setup();
    let bad = enqueue(&db, ALPHA, "test.job", json!({}), 5);
    let handler = Scripted::new(vec![Err(JobError::Fail("no id column".into()))]);
    let worker = Worker::new(db.clone(), quick()).handle("test.job", handler.clone());
    worker.run_one().unwrap();
    let failed = job(&db, ALPHA, bad).unwrap();
    assert_eq!((failed.status.as_str(), failed.attempts), ("failed", 1));
    assert_eq!(failed.last_error.as_deref(), Some("no id column"));

    let flaky = enqueue(&db, ALPHA, "test.job", json!({}), 2);
    *handler.answers.lock().unwrap() = vec![
        Err(JobError::Retry("down".into())),
        Err(JobError::Retry("still down".into())),
    ];
    while worker.run_one().unwrap() {}
    let exhausted = job(&db, ALPHA, flaky).unwrap();
    assert_eq!(
        (exhausted.status.as_str(), exhausted.attempts),
        ("failed", 2)
    );
    assert_eq!(exhausted.last_error.as_deref(), Some("still down"));
}

struct Panics;

impl Handler for Panics {
    fn run(&self, _: &JobContext) -> Result<(), JobError> {
        panic!("bug in a handler");
    }
}

#[test]
fn a_panicking_handler_is_a_failed_attempt_not_a_dead_worker() {
    let (_test, db) = setup();
    let id = enqueue(&db, ALPHA, "test.panic", json!({}), 1);
    let worker = Worker::new(db.clone(), quick()).handle("test.panic", Arc::new(Panics));
    assert!(worker.run_one().unwrap());
    let failed = job(&db, ALPHA, id).unwrap();
    assert_eq!(failed.status, "failed");
    assert!(failed.last_error.unwrap().contains("panicked"));
}

#[test]
fn a_job_whose_worker_died_is_taken_up_after_its_lease() {
    let (_test, db) = setup();
    let id = enqueue(&db, ALPHA, "test.job", json!({}), 3);
    // A worker claims it with a short lease and dies without a word.
    let dead = db
        .queue(|tx| db::jobs::claim(tx, "dead-worker", &["test.job".to_owned()], 0.2))
        .map_err(db::Error::from)
        .unwrap()
        .unwrap();
    assert_eq!(dead.id, id);
    let handler = Scripted::new(vec![]);
    let worker = Worker::new(db.clone(), quick()).handle("test.job", handler.clone());
    assert!(!worker.run_one().unwrap(), "the lease still holds");
    std::thread::sleep(Duration::from_millis(300));
    assert!(worker.run_one().unwrap());
    assert_eq!(handler.seen.lock().unwrap()[0].2, 2, "the second attempt");
    assert_eq!(job(&db, ALPHA, id).unwrap().status, "succeeded");
    // The dead worker's late word changes nothing.
    let late = db
        .queue(|tx| {
            db::jobs::finish(
                tx,
                id,
                "dead-worker",
                db::jobs::Outcome::Failed { error: "late" },
            )
        })
        .map_err(db::Error::from)
        .unwrap();
    assert!(!late);
    assert_eq!(job(&db, ALPHA, id).unwrap().status, "succeeded");
}

#[test]
fn a_job_whose_workers_keep_dying_fails_once_its_attempts_are_used() {
    let (_test, db) = setup();
    let id = enqueue(&db, ALPHA, "test.job", json!({}), 1);
    db.queue(|tx| db::jobs::claim(tx, "dead-worker", &["test.job".to_owned()], 0.05))
        .map_err(db::Error::from)
        .unwrap()
        .unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let worker = Worker::new(db.clone(), quick()).handle("test.job", Scripted::new(vec![]));
    assert!(!worker.run_one().unwrap());
    let failed = job(&db, ALPHA, id).unwrap();
    assert_eq!(failed.status, "failed");
    assert!(failed.last_error.unwrap().contains("stopped"));
}

#[test]
fn concurrent_workers_run_every_job_exactly_once() {
    let (_test, db) = setup();
    let ids: Vec<JobId> = (0..40)
        .map(|n| {
            enqueue(
                &db,
                if n % 2 == 0 { ALPHA } else { BETA },
                "test.count",
                json!({"n": n}),
                5,
            )
        })
        .collect();
    struct Count(Mutex<HashMap<JobId, usize>>);
    impl Handler for Count {
        fn run(&self, job: &JobContext) -> Result<(), JobError> {
            std::thread::sleep(Duration::from_millis(5));
            *self.0.lock().unwrap().entry(job.id).or_default() += 1;
            Ok(())
        }
    }
    let counts = Arc::new(Count(Mutex::new(HashMap::new())));
    std::thread::scope(|s| {
        for _ in 0..4 {
            let worker = Worker::new(db.clone(), quick()).handle("test.count", counts.clone());
            s.spawn(move || while worker.run_one().unwrap() {});
        }
    });
    let counts = counts.0.lock().unwrap();
    assert_eq!(counts.len(), 40);
    assert!(counts.values().all(|n| *n == 1), "{counts:?}");
    assert!(ids.iter().all(|id| counts.contains_key(id)));
}

/// Works until told to stop.
struct Patient(AtomicBool);

impl Handler for Patient {
    fn run(&self, job: &JobContext) -> Result<(), JobError> {
        self.0.store(true, Ordering::SeqCst);
        let until = Instant::now() + Duration::from_secs(10);
        while Instant::now() < until {
            if job.should_stop() {
                return Err(JobError::Stopped);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        Ok(())
    }
}

#[test]
fn cancelling_stops_a_queued_job_at_once_and_a_running_one_at_its_next_check() {
    let (_test, db) = setup();
    let queued = enqueue(&db, ALPHA, "test.long", json!({}), 5);
    let status = db
        .tenant(&ALPHA, |tx| db::jobs::cancel(tx, queued))
        .map_err(db::Error::from)
        .unwrap();
    assert_eq!(status.as_deref(), Some("cancelled"));
    let handler = Arc::new(Patient(AtomicBool::new(false)));
    let config = WorkerConfig {
        lease: Duration::from_millis(300),
        ..quick()
    };
    let worker = Worker::new(db.clone(), config).handle("test.long", handler.clone());
    assert!(
        !worker.run_one().unwrap(),
        "a cancelled job is never claimed"
    );
    assert!(!handler.0.load(Ordering::SeqCst));

    let running = enqueue(&db, ALPHA, "test.long", json!({}), 5);
    let started = Instant::now();
    std::thread::scope(|s| {
        s.spawn(|| worker.run_one().unwrap());
        while !handler.0.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(5));
        }
        let status = db
            .tenant(&ALPHA, |tx| db::jobs::cancel(tx, running))
            .map_err(db::Error::from)
            .unwrap();
        assert_eq!(
            status.as_deref(),
            Some("running"),
            "it stops at its next check"
        );
    });
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "stopped long before its 10 s"
    );
    assert_eq!(job(&db, ALPHA, running).unwrap().status, "cancelled");
}

#[test]
fn a_vendor_neither_sees_nor_cancels_another_vendors_jobs() {
    let (_test, db) = setup();
    let id = enqueue(&db, ALPHA, "test.job", json!({"secret": true}), 5);
    assert!(job(&db, BETA, id).is_none());
    let cancelled = db
        .tenant(&BETA, |tx| db::jobs::cancel(tx, id))
        .map_err(db::Error::from)
        .unwrap();
    assert_eq!(cancelled, None);
    assert_eq!(job(&db, ALPHA, id).unwrap().status, "queued");
    // Nor can it write a job for another vendor, whatever SQL it tries.
    let forged = db.tenant(&BETA, |tx| {
        use diesel::RunQueryDsl;
        diesel::sql_query("INSERT INTO jobs (kind, vendor_id) VALUES ('test.job', 10)")
            .execute(tx.raw())
    });
    assert!(
        forged.is_err(),
        "the policy refuses a job for vendor 10 in vendor 20's scope"
    );
}

#[test]
fn an_idle_worker_is_woken_by_a_new_job_instead_of_waiting_for_its_poll() {
    let (_test, db) = setup();
    let shutdown = Arc::new(AtomicBool::new(false));
    let wakeup = Arc::new(jobs::Wakeup::default());
    let handler = Scripted::new(vec![]);
    let worker = Worker::new(
        db.clone(),
        WorkerConfig {
            idle: Duration::from_secs(3600),
            ..quick()
        },
    )
    .handle("test.echo", handler.clone())
    .woken_by(wakeup.clone());
    let connected = AtomicBool::new(false);
    std::thread::scope(|s| {
        let listening = s.spawn(|| {
            db::notices::follow(&db, &shutdown, Duration::from_millis(50), &|heard| {
                if heard == db::notices::Heard::Connected {
                    connected.store(true, Ordering::Release);
                }
                wakeup.hear(heard)
            })
        });
        let working = s.spawn(|| worker.run(&shutdown));
        // The worker finds nothing and sleeps for an hour unless the listener wakes it, which
        // must be listening before the job is added.
        let until = Instant::now() + Duration::from_secs(20);
        while !connected.load(Ordering::Acquire) && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(20));
        }
        let id = enqueue(&db, ALPHA, "test.echo", json!({"n": 1}), 5);
        let until = Instant::now() + Duration::from_secs(20);
        while job(&db, ALPHA, id).unwrap().status != "succeeded" && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(20));
        }
        shutdown.store(true, Ordering::Relaxed);
        wakeup.wake(); // the worker's next wait would be an hour
        listening.join().unwrap();
        working.join().unwrap();
        assert_eq!(job(&db, ALPHA, id).unwrap().status, "succeeded");
    });
    assert_eq!(handler.seen.lock().unwrap().len(), 1);
}
