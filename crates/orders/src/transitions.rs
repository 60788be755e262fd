//! The vendor's side of orders: the list, one order with its open moves, and a move through
//! the status table with its inventory effect and history row, in one transaction.

use db::inventory::Allocation;
use db::orders::{self as repo, OrderFilter};
use db::pagination::{Page, PageRequest};
use db::{LocationId, ProductId, TenantTx, UserId};
use inventory::{InventoryService, StockLine};
use validator::Validate;

use crate::checkout::view;
use crate::notify::{self, Notice};
use crate::{
    ExportedOrder, OrderError, OrderStatus, OrderSummary, PaymentStatus, ShippingMethod,
    StatusChange, VendorOrderQuery, VendorOrderView,
};

/// The order as its vendor sees it.
pub(crate) fn vendor_view(
    tx: &mut TenantTx<'_>,
    order: repo::Order,
) -> Result<VendorOrderView, OrderError> {
    let customer_id = order.customer_id;
    let allowed_next = OrderStatus::parse(&order.status).map_or_else(Vec::new, OrderStatus::next);
    Ok(VendorOrderView {
        order: view(tx, order)?,
        customer_id,
        allowed_next,
    })
}

pub(crate) fn list(
    tx: &mut TenantTx<'_>,
    query: &VendorOrderQuery,
) -> Result<Page<OrderSummary>, OrderError> {
    query.validate()?;
    let page = PageRequest::new(query.page, query.per_page);
    let (orders, total) = repo::page(tx, &filter(query), page.per_page, page.offset())?;
    let summaries = crate::checkout::summaries(tx, orders)?;
    Ok(Page::new(summaries, total, page))
}

/// The next batch of a download: up to `limit` orders the list's filters match, placed
/// before the order `before` (from the newest, when `None`), newest first.
pub(crate) fn export_batch(
    tx: &mut TenantTx<'_>,
    query: &VendorOrderQuery,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<ExportedOrder>, OrderError> {
    query.validate()?;
    let batch = repo::batch_before(tx, &filter(query), before, limit)?;
    let ids: Vec<i64> = batch.iter().map(|o| o.id).collect();
    let items = repo::items(tx, &ids)?;
    Ok(batch
        .into_iter()
        .map(|o| ExportedOrder::new(o, &items))
        .collect())
}

fn filter(query: &VendorOrderQuery) -> OrderFilter<'_> {
    OrderFilter {
        status: query.status.map(OrderStatus::as_str),
        payment_status: query.payment_status.map(|p| p.as_str()),
        placed_from: query.from,
        placed_before: query.to,
        customer: query.customer_id,
        search: query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()),
    }
}

/// Moves the order (locked first, so of two concurrent moves the second sees the first's
/// status) and applies what the move means for its inventory: shipping sells the reserved
/// units, cancelling releases them, refunding puts the sold units back.
pub(crate) fn change(
    tx: &mut TenantTx<'_>,
    inventory: &dyn InventoryService,
    by: Option<UserId>,
    number: &str,
    input: &StatusChange,
) -> Result<VendorOrderView, OrderError> {
    input.validate()?;
    let order = repo::lock_by_number(tx, number)?.ok_or(OrderError::NotFound)?;
    let from = OrderStatus::parse(&order.status).ok_or(OrderError::NotFound)?;
    if !from.may_become(input.status) {
        return Err(OrderError::InvalidTransition {
            from: from.as_str().to_owned(),
            to: input.status.as_str().to_owned(),
        });
    }
    let shipment = match (
        input.status,
        input.carrier,
        input.tracking_number.as_deref(),
    ) {
        (OrderStatus::Shipped, Some(carrier), Some(tracking)) => Some((carrier.as_str(), tracking)),
        (OrderStatus::Shipped, _, _)
            if order.shipping_method == ShippingMethod::Delivery.as_str() =>
        {
            return Err(OrderError::ShipmentRequired);
        }
        _ => None,
    };
    for held in repo_allocations(tx, order.id)? {
        let line = |quantity: i64| StockLine {
            product_id: ProductId(held.product_id),
            location_id: Some(LocationId(held.location_id)),
            quantity: i32::try_from(quantity).unwrap_or(i32::MAX),
            order_id: Some(order.id),
        };
        match input.status {
            OrderStatus::Shipped if held.reserved > 0 => {
                inventory.commit_sale(tx, &line(held.reserved))?;
            }
            OrderStatus::Cancelled if held.reserved > 0 => {
                inventory.release(tx, &line(held.reserved))?;
            }
            OrderStatus::Refunded if held.sold > 0 => {
                inventory.restock(tx, &line(held.sold))?;
            }
            _ => {}
        }
    }
    let note = input.note.as_deref().unwrap_or_default().trim();
    let mut moved = repo::set_status(tx, order.id, input.status.as_str(), shipment)?;
    repo::record_status(
        tx,
        order.id,
        Some(from.as_str()),
        input.status.as_str(),
        by,
        note,
    )?;
    if input.status == OrderStatus::Refunded {
        moved = refund_all(tx, &moved)?;
    }
    let language = moved.language.clone();
    let allowed_next = input.status.next();
    let customer_id = moved.customer_id;
    let shown = view(tx, moved)?;
    if let Some(notice) = Notice::of_move(input.status) {
        let refund = (input.status == OrderStatus::Refunded).then_some(shown.refunded_cents);
        notify::customer(tx, &shown, &language, notice, refund)?;
    }
    Ok(VendorOrderView {
        order: shown,
        customer_id,
        allowed_next,
    })
}

/// A whole order refunded: every unit counts as refunded, and a paid order's money goes back
/// in full (shipping included).
fn refund_all(tx: &mut TenantTx<'_>, order: &repo::Order) -> Result<repo::Order, OrderError> {
    for item in repo::items(tx, &[order.id])? {
        repo::refund_item(tx, item.id, item.quantity - item.refunded_quantity)?;
    }
    let paid = [PaymentStatus::Paid, PaymentStatus::PartiallyRefunded]
        .iter()
        .any(|p| p.as_str() == order.payment_status);
    Ok(match paid {
        true => repo::set_refunded(
            tx,
            order.id,
            PaymentStatus::Refunded.as_str(),
            order.total_cents,
        )?,
        false => order.clone(),
    })
}

fn repo_allocations(tx: &mut TenantTx<'_>, order: i64) -> Result<Vec<Allocation>, OrderError> {
    Ok(db::inventory::order_allocations(tx, order)?)
}
