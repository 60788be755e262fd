//! The vendor's side of orders: the list, one order with its open moves, and a move through
//! the status table with its inventory effect and history row, in one transaction.

use db::inventory::Allocation;
use db::orders::{self as repo, OrderFilter};
use db::pagination::{Page, PageRequest};
use db::{LocationId, ProductId, TenantTx, UserId};
use inventory::{InventoryService, StockLine};
use validator::Validate;

use crate::checkout::view;
use crate::{
    OrderError, OrderStatus, OrderSummary, ShippingMethod, StatusChange, VendorOrderQuery,
    VendorOrderView,
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
    let filter = OrderFilter {
        status: query.status.map(OrderStatus::as_str),
        payment_status: query.payment_status.map(|p| p.as_str()),
        placed_from: query.from,
        placed_before: query.to,
        customer: query.customer_id,
        search: query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()),
    };
    let (orders, total) = repo::page(tx, &filter, page.per_page, page.offset())?;
    let summaries = crate::checkout::summaries(tx, orders)?;
    Ok(Page::new(summaries, total, page))
}

/// Moves the order (locked first, so of two concurrent moves the second sees the first's
/// status) and applies what the move means for its inventory: shipping sells the reserved
/// units, cancelling releases them, refunding puts the sold units back.
pub(crate) fn change(
    tx: &mut TenantTx<'_>,
    inventory: &dyn InventoryService,
    by: UserId,
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
    let moved = repo::set_status(tx, order.id, input.status.as_str(), shipment)?;
    repo::record_status(
        tx,
        order.id,
        Some(from.as_str()),
        input.status.as_str(),
        Some(by),
        note,
    )?;
    vendor_view(tx, moved)
}

fn repo_allocations(tx: &mut TenantTx<'_>, order: i64) -> Result<Vec<Allocation>, OrderError> {
    Ok(db::inventory::order_allocations(tx, order)?)
}
