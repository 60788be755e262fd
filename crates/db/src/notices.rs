//! What the database announces, and one connection that listens for it: new jobs (the
//! `jobs_wake` trigger), so idle workers start at once instead of at their next poll, and
//! changes of a vendor's catalogue or team (the change feed's triggers), so what a server keeps
//! in memory of them is forgotten within milliseconds — in this process or any other on the
//! same database.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use diesel::PgConnection;
use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, PooledConnection};

use crate::{Db, Error, VendorId};

/// The channel of the `jobs_wake` trigger (migration `jobs_wakeup`).
const JOBS: &str = "wizamart_jobs";
/// The channel of the change feed (migration `change_feed`).
const CHANGES: &str = "wizamart_changes";

/// How often a waiting listener looks for notifications: diesel reads them without blocking,
/// so this bounds how late one is heard; a look is one non-blocking read of the socket.
const LOOK_EVERY: Duration = Duration::from_millis(2);

/// One announcement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// Jobs were added.
    JobsAdded,
    /// A vendor's products, their texts, images or stock, or its settings changed.
    Catalog(VendorId),
    /// A vendor's members or roles changed, or the vendor itself was closed or renamed.
    Team(VendorId),
    /// A user's standing or name changed (every team they are in).
    Accounts,
    /// A change this build does not know: anything may have changed.
    Anything,
}

impl Notice {
    fn parse(channel: &str, payload: &str) -> Self {
        if channel == JOBS {
            return Self::JobsAdded;
        }
        let vendor = |id: &str| id.parse().ok().map(VendorId);
        match payload.split_once(' ') {
            Some(("catalog", id)) => vendor(id).map_or(Self::Anything, Self::Catalog),
            Some(("team", id)) => vendor(id).map_or(Self::Anything, Self::Team),
            _ if payload == "accounts" => Self::Accounts,
            _ => Self::Anything,
        }
    }
}

/// What a follower of the announcements hears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heard {
    /// Listening (again): whatever was missed while not listening is unknown.
    Connected,
    Notice(Notice),
    /// Not listening any more, until the next `Connected`.
    Lost,
}

/// One pooled connection kept for listening, for as long as the listener lives.
pub struct Listener {
    conn: PooledConnection<ConnectionManager<PgConnection>>,
}

impl Db {
    /// A listener for every announcement; it holds one connection of the pool until dropped.
    pub fn listener(&self) -> Result<Listener, Error> {
        let mut conn = self.pool.get()?;
        conn.batch_execute(&format!("LISTEN {JOBS}; LISTEN {CHANGES}"))?;
        Ok(Listener { conn })
    }
}

impl Listener {
    /// Waits up to `timeout` for announcements; empty when none came. Every one that has
    /// arrived is taken. Checks the connection when none came: a socket that died silently
    /// would otherwise look like a quiet database for ever.
    pub fn wait(&mut self, timeout: Duration) -> Result<Vec<Notice>, Error> {
        let until = Instant::now() + timeout;
        loop {
            let mut heard = Vec::new();
            for notification in self.conn.notifications_iter() {
                let notification = notification?;
                heard.push(Notice::parse(&notification.channel, &notification.payload));
            }
            if !heard.is_empty() {
                return Ok(heard);
            }
            let now = Instant::now();
            if now >= until {
                self.conn.batch_execute("SELECT 1")?;
                return Ok(heard);
            }
            std::thread::sleep(LOOK_EVERY.min(until - now));
        }
    }
}

impl Drop for Listener {
    /// The connection goes back to the pool: it must stop listening first, or it would
    /// collect notifications nobody reads.
    fn drop(&mut self) {
        let _ = self.conn.batch_execute("UNLISTEN *");
    }
}

/// Follows the announcements until `shutdown` is set, telling `hear` each one, and when it
/// starts and stops listening; when the database cannot be reached it tries again every
/// `retry` (and checks a quiet connection as often).
pub fn follow(db: &Db, shutdown: &AtomicBool, retry: Duration, hear: &dyn Fn(Heard)) {
    while !shutdown.load(Ordering::Relaxed) {
        let mut listener = match db.listener() {
            Ok(listener) => listener,
            Err(e) => {
                tracing::debug!(error = %e, "database listener not connected");
                std::thread::sleep(retry);
                continue;
            }
        };
        hear(Heard::Connected);
        // Bounded waits, so a shutdown is noticed.
        while !shutdown.load(Ordering::Relaxed) {
            match listener.wait(retry) {
                Ok(notices) => notices.into_iter().for_each(|n| hear(Heard::Notice(n))),
                Err(e) => {
                    tracing::warn!(error = %e, "database listener lost its connection");
                    break;
                }
            }
        }
        hear(Heard::Lost);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn announcements_are_read_and_anything_unknown_means_anything_changed() {
        assert_eq!(Notice::parse(JOBS, ""), Notice::JobsAdded);
        assert_eq!(
            Notice::parse(CHANGES, "catalog 42"),
            Notice::Catalog(VendorId(42))
        );
        assert_eq!(Notice::parse(CHANGES, "team 7"), Notice::Team(VendorId(7)));
        assert_eq!(Notice::parse(CHANGES, "accounts"), Notice::Accounts);
        for odd in ["catalog x", "team", "prices 3", ""] {
            assert_eq!(Notice::parse(CHANGES, odd), Notice::Anything, "{odd:?}");
        }
    }
}
