//! An order's payment, beside its status: the vendor records that a manual payment (a bank
//! transfer, cash) arrived — which confirms a pending order, as a card payment does — and
//! refunds part of a delivered order item by item, the units going back on the shelf. A
//! refund of the last units refunds the whole order.

use db::audit::{self, Actor};
use db::orders::{self as repo, Order};
use db::{LocationId, TenantTx};
use inventory::{InventoryService, StockLine};
use validator::{Validate, ValidationError, ValidationErrors};

use crate::checkout::view;
use crate::notify::{self, Notice};
use crate::{MarkPaid, OrderError, OrderStatus, PaymentStatus, RefundInput};

/// Records the payment of an unpaid order that is still open (not cancelled or refunded); a
/// pending order becomes confirmed with it.
pub(crate) fn mark_paid(
    tx: &mut TenantTx<'_>,
    actor: &Actor,
    number: &str,
    input: &MarkPaid,
) -> Result<Order, OrderError> {
    input.validate()?;
    let order = repo::lock_by_number(tx, number)?.ok_or(OrderError::NotFound)?;
    if !open_for_payment(&order) {
        return Err(OrderError::PaymentClosed {
            status: order.status,
            payment_status: order.payment_status,
        });
    }
    let note = input.note.as_deref().unwrap_or_default().trim();
    let paid = settle(tx, order, Some(actor.user_id), note)?;
    record(
        tx,
        actor,
        "order.mark_paid",
        &paid,
        serde_json::json!({ "note": note }),
    )?;
    Ok(paid)
}

/// Records an unpaid order's payment — by the vendor's hand (`by`) or a card payment's
/// webhook — confirming it if it was pending, and telling the customer so.
pub(crate) fn settle(
    tx: &mut TenantTx<'_>,
    order: Order,
    by: Option<db::UserId>,
    note: &str,
) -> Result<Order, OrderError> {
    let paid = repo::mark_paid(tx, order.id)?;
    if order.status != OrderStatus::Pending.as_str() {
        return Ok(paid);
    }
    let confirmed = repo::set_status(tx, order.id, OrderStatus::Confirmed.as_str(), None)?;
    repo::record_status(
        tx,
        order.id,
        Some(OrderStatus::Pending.as_str()),
        OrderStatus::Confirmed.as_str(),
        by,
        note,
    )?;
    let language = confirmed.language.clone();
    let shown = view(tx, confirmed.clone())?;
    notify::customer(tx, &shown, &language, Notice::Confirmed, None)?;
    Ok(confirmed)
}

/// Whether the order still waits for its money: unpaid, neither cancelled nor refunded.
pub(crate) fn open_for_payment(order: &Order) -> bool {
    order.payment_status == PaymentStatus::Unpaid.as_str()
        && order.status != OrderStatus::Cancelled.as_str()
        && order.status != OrderStatus::Refunded.as_str()
}

/// Refunds units of a delivered, paid order at the price paid, restocking them where they
/// were sold from; the customer is told what came back.
pub(crate) fn refund(
    tx: &mut TenantTx<'_>,
    inventory: &dyn InventoryService,
    actor: &Actor,
    number: &str,
    input: &RefundInput,
) -> Result<Order, OrderError> {
    input.validate()?;
    let order = repo::lock_by_number(tx, number)?.ok_or(OrderError::NotFound)?;
    let refundable = [PaymentStatus::Paid, PaymentStatus::PartiallyRefunded]
        .iter()
        .any(|p| p.as_str() == order.payment_status);
    if order.status != OrderStatus::Delivered.as_str() || !refundable {
        return Err(OrderError::NotRefundable {
            status: order.status,
            payment_status: order.payment_status,
        });
    }
    let items = repo::items(tx, &[order.id])?;
    if let Some(unknown) = input
        .items
        .iter()
        .find(|l| !items.iter().any(|i| i.sku == l.sku))
    {
        return Err(refund_error(format!(
            "the order has no item {}",
            unknown.sku
        )));
    }
    let mut amount = 0;
    let mut units_left = 0;
    for item in &items {
        let asked: i32 = input
            .items
            .iter()
            .filter(|l| l.sku == item.sku)
            .map(|l| l.quantity)
            .sum();
        let open = item.quantity - item.refunded_quantity;
        if asked > open {
            return Err(refund_error(format!(
                "{} has {open} unit(s) left to refund, not {asked}",
                item.sku
            )));
        }
        units_left += open - asked;
        if asked == 0 {
            continue;
        }
        amount += item.unit_price_cents * i64::from(asked);
        repo::refund_item(tx, item.id, asked)?;
        if let Some(product) = item.product_id {
            restock(tx, inventory, order.id, product, asked)?;
        }
    }
    let note = input.note.as_deref().unwrap_or_default().trim();
    // The last units back: the whole order is refunded, its shipping included.
    let refunded = if units_left == 0 {
        repo::set_status(tx, order.id, OrderStatus::Refunded.as_str(), None)?;
        repo::record_status(
            tx,
            order.id,
            Some(OrderStatus::Delivered.as_str()),
            OrderStatus::Refunded.as_str(),
            Some(actor.user_id),
            note,
        )?;
        repo::set_refunded(
            tx,
            order.id,
            PaymentStatus::Refunded.as_str(),
            order.total_cents,
        )?
    } else {
        repo::set_refunded(
            tx,
            order.id,
            PaymentStatus::PartiallyRefunded.as_str(),
            order.refunded_cents + amount,
        )?
    };
    let paid_back = refunded.refunded_cents - order.refunded_cents;
    let language = refunded.language.clone();
    let shown = view(tx, refunded.clone())?;
    let notice = match units_left {
        0 => Notice::Refunded,
        _ => Notice::PartiallyRefunded,
    };
    notify::customer(tx, &shown, &language, notice, Some(paid_back))?;
    let details = serde_json::json!({ "amount_cents": paid_back, "note": note });
    record(tx, actor, "order.refund", &refunded, details)?;
    Ok(refunded)
}

/// Puts `quantity` sold units of the order back, at the locations they were sold from.
pub(crate) fn restock(
    tx: &mut TenantTx<'_>,
    inventory: &dyn InventoryService,
    order: i64,
    product: db::ProductId,
    quantity: i32,
) -> Result<(), OrderError> {
    let mut left = i64::from(quantity);
    for held in db::inventory::order_allocations(tx, order)? {
        if left == 0 {
            break;
        }
        if held.product_id != product.0 || held.sold == 0 {
            continue;
        }
        let units = held.sold.min(left);
        left -= units;
        inventory.restock(
            tx,
            &StockLine {
                product_id: product,
                location_id: Some(LocationId(held.location_id)),
                quantity: i32::try_from(units).unwrap_or(i32::MAX),
                order_id: Some(order),
            },
        )?;
    }
    Ok(())
}

fn refund_error(message: String) -> OrderError {
    let mut errors = ValidationErrors::new();
    errors.add(
        "items",
        ValidationError::new("refund").with_message(message.into()),
    );
    OrderError::Validation(errors)
}

fn record(
    tx: &mut TenantTx<'_>,
    actor: &Actor,
    action: &str,
    order: &Order,
    details: serde_json::Value,
) -> Result<(), OrderError> {
    audit::record(
        tx,
        actor,
        audit::Event {
            action,
            target_type: "order",
            target_id: order.order_number.clone(),
            details,
        },
    )?;
    Ok(())
}
