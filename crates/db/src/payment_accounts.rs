//! A vendor's connected card-payment account (Stripe keys, sealed by the caller before they
//! get here) and the webhook events its account sent (vendor-owned; row-level security
//! applies). An event is recorded once: a redelivery finds it and changes nothing.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::TenantTx;
use crate::schema::{payment_accounts, payment_events};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payment_accounts, check_for_backend(diesel::pg::Pg))]
pub struct PaymentAccount {
    pub secret_key_sealed: Vec<u8>,
    pub webhook_secret_sealed: Vec<u8>,
    pub key_hint: String,
    pub live_mode: bool,
    pub connected_at: DateTime<Utc>,
}

pub struct NewAccount<'a> {
    pub secret_key_sealed: &'a [u8],
    pub webhook_secret_sealed: &'a [u8],
    pub key_hint: &'a str,
    pub live_mode: bool,
}

pub fn find(tx: &mut TenantTx<'_>) -> QueryResult<Option<PaymentAccount>> {
    let vendor_id = tx.vendor_id();
    payment_accounts::table
        .find(vendor_id)
        .select(PaymentAccount::as_select())
        .first(tx.conn())
        .optional()
}

/// Connects the account, replacing the one connected before.
pub fn save(tx: &mut TenantTx<'_>, new: &NewAccount<'_>) -> QueryResult<PaymentAccount> {
    let vendor_id = tx.vendor_id();
    let values = (
        payment_accounts::secret_key_sealed.eq(new.secret_key_sealed),
        payment_accounts::webhook_secret_sealed.eq(new.webhook_secret_sealed),
        payment_accounts::key_hint.eq(new.key_hint),
        payment_accounts::live_mode.eq(new.live_mode),
        payment_accounts::connected_at.eq(diesel::dsl::now),
    );
    diesel::insert_into(payment_accounts::table)
        .values((payment_accounts::vendor_id.eq(vendor_id), values))
        .on_conflict(payment_accounts::vendor_id)
        .do_update()
        .set(values)
        .returning(PaymentAccount::as_returning())
        .get_result(tx.conn())
}

/// Disconnects the account; answers whether one was connected.
pub fn delete(tx: &mut TenantTx<'_>) -> QueryResult<bool> {
    let vendor_id = tx.vendor_id();
    diesel::delete(payment_accounts::table.find(vendor_id))
        .execute(tx.conn())
        .map(|n| n > 0)
}

/// A webhook event and what it did.
pub struct NewEvent<'a> {
    pub event_id: &'a str,
    pub event_type: &'a str,
    pub order_number: Option<&'a str>,
    pub outcome: &'a str,
}

/// Records the event unless it was recorded before; answers whether it is new.
pub fn record_event(tx: &mut TenantTx<'_>, event: &NewEvent<'_>) -> QueryResult<bool> {
    let vendor_id = tx.vendor_id();
    diesel::insert_into(payment_events::table)
        .values((
            payment_events::vendor_id.eq(vendor_id),
            payment_events::event_id.eq(event.event_id),
            payment_events::event_type.eq(event.event_type),
            payment_events::order_number.eq(event.order_number),
            payment_events::outcome.eq(event.outcome),
        ))
        .on_conflict((payment_events::vendor_id, payment_events::event_id))
        .do_nothing()
        .execute(tx.conn())
        .map(|n| n > 0)
}
