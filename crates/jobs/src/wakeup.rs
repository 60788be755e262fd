//! Waking idle workers when jobs arrive: one listener per process follows the database's
//! announcements (`db::notices::follow`) and wakes every worker of the process; without it (or
//! while the database is away) workers still find jobs by polling every `idle`.

use std::sync::{Condvar, Mutex};
use std::time::Duration;

use db::notices::{Heard, Notice};

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

    /// Wakes the workers for new jobs, and when listening starts (again): jobs added while
    /// nobody listened were not announced.
    pub fn hear(&self, heard: Heard) {
        if matches!(heard, Heard::Connected | Heard::Notice(Notice::JobsAdded)) {
            self.wake();
        }
    }

    /// Waits until a wake-up after `round`, or `timeout`.
    pub fn wait(&self, round: u64, timeout: Duration) {
        let rounds = self.rounds.lock().unwrap_or_else(|e| e.into_inner());
        let _ = self
            .changed
            .wait_timeout_while(rounds, timeout, |now| *now == round);
    }
}
