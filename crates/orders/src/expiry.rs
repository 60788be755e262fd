//! Clean-ups that run on the job queue as platform jobs, each keeping one next run queued an
//! hour later (the first run is queued by the migration that made its table):
//! [`CART_EXPIRY_JOB`] deletes carts past their expiry in batches; [`CARD_EXPIRY_JOB`]
//! cancels card orders whose payment never came, so the units they hold go back on sale.

use std::sync::Arc;

use db::{Db, TenantScope};
use jobs::{Handler, JobContext, JobError};

use crate::{OrderStatus, PgOrders, StatusChange};

pub const CART_EXPIRY_JOB: &str = "carts.expire";

/// Seconds between runs.
const EVERY_SECS: i64 = 3600;
/// Carts deleted per transaction.
const BATCH: i64 = 1000;

pub struct CartExpiryJob {
    db: Db,
}

impl CartExpiryJob {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

impl Handler for CartExpiryJob {
    fn run(&self, job: &JobContext) -> Result<(), JobError> {
        let scope = job
            .platform
            .ok_or_else(|| JobError::Fail("cart expiry is platform work".into()))?;
        // The successor first: a run that fails still leaves the next one queued.
        self.db.platform(&scope, |tx| {
            db::jobs::schedule_next(tx, CART_EXPIRY_JOB, EVERY_SECS, job.id)
                .map_err(db::Error::from)
        })?;
        loop {
            if job.should_stop() {
                return Err(JobError::Stopped);
            }
            let deleted = self.db.platform(&scope, |tx| {
                db::carts::delete_expired(tx, BATCH).map_err(db::Error::from)
            })?;
            if i64::try_from(deleted).unwrap_or(BATCH) < BATCH {
                return Ok(());
            }
        }
    }
}

pub const CARD_EXPIRY_JOB: &str = "orders.expire_card_payments";

/// How long a card order may wait for its payment: a Stripe Checkout Session lives 24 hours,
/// so after 25 no payment can still arrive for it.
pub const CARD_PAYMENT_HOURS: i32 = 25;
/// Orders cancelled per look.
const CARD_BATCH: i64 = 100;

/// Cancels card orders still unpaid [`CARD_PAYMENT_HOURS`] after checkout, through the status
/// machine (their reservations released, a history row, the customer told).
pub struct CardExpiryJob {
    db: Db,
    orders: Arc<PgOrders>,
}

impl CardExpiryJob {
    pub fn new(db: Db, orders: Arc<PgOrders>) -> Self {
        Self { db, orders }
    }
}

impl Handler for CardExpiryJob {
    fn run(&self, job: &JobContext) -> Result<(), JobError> {
        let scope = job
            .platform
            .ok_or_else(|| JobError::Fail("card payment expiry is platform work".into()))?;
        self.db.platform(&scope, |tx| {
            db::jobs::schedule_next(tx, CARD_EXPIRY_JOB, EVERY_SECS, job.id)
                .map_err(db::Error::from)
        })?;
        let cancel = StatusChange {
            status: OrderStatus::Cancelled,
            note: Some(format!(
                "the card payment was not completed within {CARD_PAYMENT_HOURS} hours"
            )),
            carrier: None,
            tracking_number: None,
        };
        loop {
            if job.should_stop() {
                return Err(JobError::Stopped);
            }
            let stale = self.db.platform(&scope, |tx| {
                db::orders::stale_card_orders(tx, CARD_PAYMENT_HOURS, CARD_BATCH)
                    .map_err(db::Error::from)
            })?;
            for (vendor, number) in &stale {
                let shop = TenantScope::trusted(*vendor);
                let inventory = self.orders.inventory();
                let moved = self.db.tenant(&shop, |tx| {
                    crate::transitions::change(tx, inventory, None, number, &cancel)
                });
                match moved {
                    // Paid or moved meanwhile: nothing to cancel.
                    Ok(_) | Err(crate::OrderError::InvalidTransition { .. }) => {}
                    Err(e) => return Err(JobError::Retry(format!("{number}: {e}"))),
                }
            }
            if i64::try_from(stale.len()).unwrap_or(CARD_BATCH) < CARD_BATCH {
                return Ok(());
            }
        }
    }
}
