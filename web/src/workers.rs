//! The background threads of this process: the job workers, inside the server (`WORKERS`,
//! default 2) or alone (`wizamart worker`), each a plain thread running [`jobs::Worker`] with
//! every handler the platform has; and one listener thread that follows the database's
//! announcements, waking the workers when a job is added and telling the change feed what
//! changed (which the vendor cache needs even without workers).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use db::Db;
use jobs::{Handler, Wakeup, Worker, WorkerConfig};

use crate::change_feed::ChangeFeed;

/// What it takes to start workers; it gives no access to the database itself.
#[derive(Clone)]
pub struct JobRunner {
    db: Db,
    changes: Arc<ChangeFeed>,
    handlers: Vec<(&'static str, Arc<dyn Handler>)>,
    config: WorkerConfig,
}

impl JobRunner {
    pub(crate) fn new(
        db: Db,
        changes: Arc<ChangeFeed>,
        handlers: Vec<(&'static str, Arc<dyn Handler>)>,
        idle: Duration,
        lease: Duration,
    ) -> Self {
        Self {
            db,
            changes,
            handlers,
            config: WorkerConfig {
                idle,
                lease,
                ..WorkerConfig::default()
            },
        }
    }

    /// Starts `count` workers and the database listener; they run until [`Running::stop`]
    /// (or the process ends).
    pub fn spawn(&self, count: usize) -> Running {
        let shutdown = Arc::new(AtomicBool::new(false));
        let wakeup = Arc::new(Wakeup::default());
        let listener = {
            let (db, wakeup, shutdown) = (self.db.clone(), wakeup.clone(), shutdown.clone());
            let changes = self.changes.clone();
            let retry = self.config.idle;
            std::thread::Builder::new()
                .name("db-listener".into())
                .spawn(move || {
                    db::notices::follow(&db, &shutdown, retry, &|heard| {
                        wakeup.hear(heard);
                        changes.hear(heard);
                    })
                })
        };
        let workers = (0..count).map(|n| {
            let worker = self
                .handlers
                .iter()
                .fold(Worker::new(self.db.clone(), self.config), |w, (kind, h)| {
                    w.handle(kind, h.clone())
                })
                .woken_by(wakeup.clone());
            let shutdown = shutdown.clone();
            std::thread::Builder::new()
                .name(format!("job-worker-{n}"))
                .spawn(move || worker.run(&shutdown))
        });
        let threads = std::iter::once(listener)
            .chain(workers)
            .filter_map(|spawned| {
                spawned
                    .map_err(|e| tracing::error!(error = %e, "job worker not started"))
                    .ok()
            })
            .collect();
        Running { shutdown, threads }
    }
}

/// Running workers.
pub struct Running {
    shutdown: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Running {
    /// Asks the workers to stop after their current job and waits for them up to `grace`. A
    /// job still running then is left to its lease: another worker takes it up.
    pub fn stop(self, grace: Duration) {
        self.shutdown.store(true, Ordering::Relaxed);
        let until = Instant::now() + grace;
        for thread in &self.threads {
            while !thread.is_finished() && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown.store(true, Ordering::Relaxed);
    }
}
