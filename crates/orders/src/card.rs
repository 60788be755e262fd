//! Card payments through the shop's own Stripe account: the account's keys (sealed by the
//! caller, which holds the platform's sealing key and talks to Stripe), the Checkout Session
//! an order is paid through, and the settlement a webhook event brings — recorded once per
//! event, so a redelivered event changes nothing, and applied only to an order of this shop
//! that was sent to that very session.

use chrono::{DateTime, Utc};
use db::audit::{self, Actor};
use db::orders as repo;
use db::payment_accounts::{self as accounts, NewAccount, NewEvent};
use db::{TenantScope, TenantTx};
use serde::Serialize;
use utoipa::ToSchema;

use crate::payments::{open_for_payment, settle};
use crate::{OrderError, PaymentMethod, PgOrders};

/// A connected account's keys, as stored: sealed.
#[derive(Debug, Clone)]
pub struct SealedAccount {
    pub secret_key: Vec<u8>,
    pub webhook_secret: Vec<u8>,
}

/// What the dashboard shows of the connected account (never a key).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CardAccountView {
    pub connected: bool,
    /// The secret key's last characters, to tell which key is in use.
    pub key_hint: Option<String>,
    /// Whether it is a live key (`sk_live_`) rather than a test key.
    pub live_mode: Option<bool>,
    pub connected_at: Option<DateTime<Utc>>,
}

/// An account to connect: its keys sealed, and what may be shown of them.
pub struct NewCardAccount<'a> {
    pub secret_key_sealed: &'a [u8],
    pub webhook_secret_sealed: &'a [u8],
    pub key_hint: &'a str,
    pub live_mode: bool,
}

/// A payment-provider event, as the webhook read it from a correctly signed body.
#[derive(Debug, Clone)]
pub struct CardEvent {
    pub id: String,
    pub kind: String,
    /// The Checkout Session it is about, and whether its payment went through.
    pub session_id: Option<String>,
    pub paid: bool,
    /// The order number the session was opened for.
    pub order_number: Option<String>,
}

/// What an event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CardOutcome {
    /// The order is paid (and confirmed if it was pending).
    Paid,
    /// The order was paid already.
    AlreadyPaid,
    /// Nothing to do (another kind of event, an unpaid session, or no order of this shop
    /// opened that session).
    Ignored,
    /// This event was received before; nothing changed.
    Duplicate,
}

impl CardOutcome {
    fn as_str(self) -> &'static str {
        match self {
            CardOutcome::Paid => "paid",
            CardOutcome::AlreadyPaid => "already_paid",
            CardOutcome::Ignored | CardOutcome::Duplicate => "ignored",
        }
    }
}

/// The event kinds that settle an order when their session is paid.
const SETTLING: [&str; 2] = [
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
];

/// The shop's card payments.
pub trait CardPayments: Send + Sync {
    /// The connected account's sealed keys, if any.
    fn card_account(&self, scope: &TenantScope) -> Result<Option<SealedAccount>, OrderError>;

    fn card_account_view(&self, scope: &TenantScope) -> Result<CardAccountView, OrderError>;

    /// Connects (or replaces) the shop's account (audited).
    fn connect_card_account(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        account: &NewCardAccount<'_>,
    ) -> Result<CardAccountView, OrderError>;

    /// Disconnects it; cards are no longer offered at checkout (audited).
    fn disconnect_card_account(&self, scope: &TenantScope, actor: &Actor)
    -> Result<(), OrderError>;

    /// The card order still waiting for its money, for opening a payment session (404 for an
    /// order that is not a card order or no longer waits).
    fn card_order(
        &self,
        scope: &TenantScope,
        order_number: &str,
    ) -> Result<crate::OrderView, OrderError>;

    /// Remembers the session the order is being paid through.
    fn attach_card_session(
        &self,
        scope: &TenantScope,
        order_number: &str,
        session_id: &str,
    ) -> Result<(), OrderError>;

    /// Applies a webhook event once.
    fn settle_card_event(
        &self,
        scope: &TenantScope,
        event: &CardEvent,
    ) -> Result<CardOutcome, OrderError>;
}

fn view_of(account: Option<accounts::PaymentAccount>) -> CardAccountView {
    CardAccountView {
        connected: account.is_some(),
        key_hint: account.as_ref().map(|a| a.key_hint.clone()),
        live_mode: account.as_ref().map(|a| a.live_mode),
        connected_at: account.map(|a| a.connected_at),
    }
}

fn audit_account(tx: &mut TenantTx<'_>, actor: &Actor, action: &str) -> Result<(), OrderError> {
    let vendor = tx.vendor_id();
    audit::record(
        tx,
        actor,
        audit::Event {
            action,
            target_type: "vendor",
            target_id: vendor.to_string(),
            details: serde_json::json!({ "provider": "stripe" }),
        },
    )?;
    Ok(())
}

/// What the event does to the order it names (locked), before anything is written.
fn outcome_of(
    tx: &mut TenantTx<'_>,
    event: &CardEvent,
) -> Result<(CardOutcome, Option<repo::Order>), OrderError> {
    let (Some(session), Some(number)) = (&event.session_id, &event.order_number) else {
        return Ok((CardOutcome::Ignored, None));
    };
    if !SETTLING.contains(&event.kind.as_str()) || !event.paid {
        return Ok((CardOutcome::Ignored, None));
    }
    let Some(order) = repo::lock_by_number(tx, number)? else {
        return Ok((CardOutcome::Ignored, None));
    };
    if order.card_session_id.as_deref() != Some(session.as_str()) {
        return Ok((CardOutcome::Ignored, None));
    }
    if order.payment_status != crate::PaymentStatus::Unpaid.as_str() {
        return Ok((CardOutcome::AlreadyPaid, None));
    }
    Ok((CardOutcome::Paid, Some(order)))
}

impl CardPayments for PgOrders {
    fn card_account(&self, scope: &TenantScope) -> Result<Option<SealedAccount>, OrderError> {
        let found = self.db().tenant(scope, accounts::find)?;
        Ok(found.map(|a| SealedAccount {
            secret_key: a.secret_key_sealed,
            webhook_secret: a.webhook_secret_sealed,
        }))
    }

    fn card_account_view(&self, scope: &TenantScope) -> Result<CardAccountView, OrderError> {
        Ok(view_of(self.db().tenant(scope, accounts::find)?))
    }

    fn connect_card_account(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        account: &NewCardAccount<'_>,
    ) -> Result<CardAccountView, OrderError> {
        self.db().tenant(scope, |tx| {
            let saved = accounts::save(
                tx,
                &NewAccount {
                    secret_key_sealed: account.secret_key_sealed,
                    webhook_secret_sealed: account.webhook_secret_sealed,
                    key_hint: account.key_hint,
                    live_mode: account.live_mode,
                },
            )?;
            audit_account(tx, actor, "vendor.card_account_connect")?;
            Ok(view_of(Some(saved)))
        })
    }

    fn disconnect_card_account(
        &self,
        scope: &TenantScope,
        actor: &Actor,
    ) -> Result<(), OrderError> {
        self.db().tenant(scope, |tx| {
            accounts::delete(tx)?;
            audit_account(tx, actor, "vendor.card_account_disconnect")
        })
    }

    fn card_order(
        &self,
        scope: &TenantScope,
        order_number: &str,
    ) -> Result<crate::OrderView, OrderError> {
        self.db().tenant(scope, |tx| {
            let order = repo::find_by_number(tx, order_number)?.ok_or(OrderError::NotFound)?;
            if order.payment_method != PaymentMethod::Card.as_str() || !open_for_payment(&order) {
                return Err(OrderError::NotFound);
            }
            crate::checkout::view(tx, order)
        })
    }

    fn attach_card_session(
        &self,
        scope: &TenantScope,
        order_number: &str,
        session_id: &str,
    ) -> Result<(), OrderError> {
        self.db().tenant(scope, |tx| {
            let order = repo::lock_by_number(tx, order_number)?.ok_or(OrderError::NotFound)?;
            repo::set_card_session(tx, order.id, session_id)?;
            Ok(())
        })
    }

    fn settle_card_event(
        &self,
        scope: &TenantScope,
        event: &CardEvent,
    ) -> Result<CardOutcome, OrderError> {
        self.db().tenant(scope, |tx| {
            let (outcome, order) = outcome_of(tx, event)?;
            let new = accounts::record_event(
                tx,
                &NewEvent {
                    event_id: &event.id,
                    event_type: &event.kind,
                    order_number: event.order_number.as_deref(),
                    outcome: outcome.as_str(),
                },
            )?;
            if !new {
                return Ok(CardOutcome::Duplicate);
            }
            if let Some(order) = order {
                settle(tx, order, None, "paid by card")?;
            }
            Ok(outcome)
        })
    }
}
