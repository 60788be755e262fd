//! Waking idle workers when jobs arrive: one listener per process waits on the database's
//! notifications and wakes every worker of the process; without it (or while the database is
//! away) workers still find jobs by polling every `idle`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use db::Db;

/// Where idle workers wait. A counter, not a flag: a worker reads it before looking for a job
/// and waits only while it is unchanged, so a wake-up that comes while it looks is not lost.
#[derive(Debug, Default)]
pub struct Wakeup {
    rounds: Mutex<u64>,
    changed: Condvar,
}

impl Wakeup {
    /// The current count, to pass to [`Wakeup::wait`] after looking for work.
    pub fn round(&self) -> u64 {
        *self.rounds.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wakes every waiting worker.
    pub fn wake(&self) {
        *self.rounds.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.changed.notify_all();
    }

    /// Waits until a wake-up after `round`, or `timeout`.
    pub fn wait(&self, round: u64, timeout: Duration) {
        let rounds = self.rounds.lock().unwrap_or_else(|e| e.into_inner());
        let _ = self
            .changed
            .wait_timeout_while(rounds, timeout, |now| *now == round);
    }
}

/// Listens for new jobs until `shutdown` is set, waking `wakeup` for each; when the database
/// cannot be reached it tries again every `retry` (the workers poll meanwhile).
pub fn listen(db: &Db, wakeup: &Wakeup, shutdown: &AtomicBool, retry: Duration) {
    while !shutdown.load(Ordering::Relaxed) {
        let mut listener = match db.job_listener() {
            Ok(listener) => listener,
            Err(e) => {
                tracing::debug!(error = %e, "job listener not connected");
                std::thread::sleep(retry);
                continue;
            }
        };
        // Bounded waits, so a shutdown is noticed.
        while !shutdown.load(Ordering::Relaxed) {
            match listener.wait(retry) {
                Ok(true) => wakeup.wake(),
                Ok(false) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "job listener lost its connection");
                    break;
                }
            }
        }
    }
}
