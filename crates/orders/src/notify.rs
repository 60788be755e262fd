//! The e-mails an order's life sends. The customer hears of each step that matters to them —
//! confirmed, shipped (with the tracking link), delivered, cancelled, refunded in whole or in
//! part — and the vendor's team of each new order. They are queued in the transaction of the
//! change and sent by the job queue, so a failing mail server delays an e-mail (retried, and
//! visible among the jobs) but never a change.

use db::TenantTx;
use serde::Serialize;

use crate::{OrderStatus, OrderView};

/// What the customer is told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Notice {
    Confirmed,
    Shipped,
    Delivered,
    Cancelled,
    Refunded,
    /// Part of a delivered order went back; the e-mail says how much.
    PartiallyRefunded,
}

impl Notice {
    /// The notice a move sends (a move to `processing` is the shop's own business).
    pub(crate) fn of_move(to: OrderStatus) -> Option<Self> {
        match to {
            OrderStatus::Confirmed => Some(Notice::Confirmed),
            OrderStatus::Shipped => Some(Notice::Shipped),
            OrderStatus::Delivered => Some(Notice::Delivered),
            OrderStatus::Cancelled => Some(Notice::Cancelled),
            OrderStatus::Refunded => Some(Notice::Refunded),
            OrderStatus::Pending | OrderStatus::Processing => None,
        }
    }
}

/// Queues the customer's e-mail about `order` in their language; `refund_cents` is what a
/// refund paid back this time.
pub(crate) fn customer(
    tx: &mut TenantTx<'_>,
    order: &OrderView,
    language: &str,
    notice: Notice,
    refund_cents: Option<i64>,
) -> Result<(), db::Error> {
    mail::queue(
        tx,
        &order.email,
        mail::Template::OrderStatus,
        language,
        &serde_json::json!({ "order": order, "notice": notice, "refund_cents": refund_cents }),
    )
    .map(|_| ())
}

/// Queues the new-order e-mail to each active member who may see orders, in the shop's
/// language.
pub(crate) fn team(tx: &mut TenantTx<'_>, order: &OrderView) -> Result<(), db::Error> {
    let language = db::settings::default_language(tx)?;
    let vendor = tx.vendor_id();
    let code = db::vendors::find(tx, vendor)?
        .map(|v| v.code)
        .unwrap_or_default();
    for to in db::vendor_users::emails_with_permission(tx, "orders.view")? {
        mail::queue(
            tx,
            &to,
            mail::Template::NewOrder,
            &language,
            &serde_json::json!({ "order": order, "vendor_code": code }),
        )?;
    }
    Ok(())
}
