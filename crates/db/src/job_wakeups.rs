//! Waiting for new jobs: a connection that LISTENs on the channel the `jobs_wake` trigger
//! notifies when jobs are inserted, so idle workers start a new job within milliseconds
//! instead of at their next poll — in this process or any other on the same database.

use std::time::{Duration, Instant};

use diesel::PgConnection;
use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, PooledConnection};

use crate::{Db, Error};

/// The channel of the `jobs_wake` trigger (migration `jobs_wakeup`).
const CHANNEL: &str = "wizamart_jobs";

/// How often a waiting listener looks for notifications: diesel reads them without blocking,
/// so this bounds how late a wake-up can be; a look is one non-blocking read of the socket.
const LOOK_EVERY: Duration = Duration::from_millis(10);

/// One pooled connection kept for listening, for as long as the listener lives.
pub struct JobListener {
    conn: PooledConnection<ConnectionManager<PgConnection>>,
}

impl Db {
    /// A listener for new jobs; it holds one connection of the pool until dropped.
    pub fn job_listener(&self) -> Result<JobListener, Error> {
        let mut conn = self.pool.get()?;
        conn.batch_execute(&format!("LISTEN {CHANNEL}"))?;
        Ok(JobListener { conn })
    }
}

impl JobListener {
    /// Waits up to `timeout` for a notification that jobs were added; `Ok(false)` when none
    /// came. Every notification that has arrived is taken, so one wake-up covers them all.
    pub fn wait(&mut self, timeout: Duration) -> Result<bool, Error> {
        let until = Instant::now() + timeout;
        loop {
            let mut woken = false;
            for notification in self.conn.notifications_iter() {
                notification?;
                woken = true;
            }
            if woken {
                return Ok(true);
            }
            let now = Instant::now();
            if now >= until {
                return Ok(false);
            }
            std::thread::sleep(LOOK_EVERY.min(until - now));
        }
    }
}

impl Drop for JobListener {
    /// The connection goes back to the pool: it must stop listening first, or it would
    /// collect notifications nobody reads.
    fn drop(&mut self) {
        let _ = self.conn.batch_execute(&format!("UNLISTEN {CHANNEL}"));
    }
}
