//! Orders, their items and status history, and each vendor's order-number counter
//! (vendor-owned; row-level security applies).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::schema::{order_counters, order_items, order_status_history, orders};
use crate::{CustomerId, ProductId, TenantTx, UserId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = orders, check_for_backend(diesel::pg::Pg))]
pub struct Order {
    pub id: i64,
    pub order_number: String,
    pub customer_id: Option<CustomerId>,
    pub email: String,
    pub status: String,
    pub payment_status: String,
    pub payment_method: String,
    pub shipping_method: String,
    pub currency: String,
    pub subtotal_cents: i64,
    pub shipping_cents: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
    pub vat_rate_basis_points: i32,
    pub shipping_address: serde_json::Value,
    pub billing_address: serde_json::Value,
    pub notes: String,
    pub language: String,
    pub placed_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub shipped_at: Option<DateTime<Utc>>,
    pub paid_at: Option<DateTime<Utc>>,
    pub refunded_cents: i64,
    pub card_session_id: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = orders)]
pub struct NewOrder<'a> {
    pub id: i64,
    pub vendor_id: crate::VendorId,
    pub order_number: &'a str,
    pub customer_id: Option<CustomerId>,
    pub email: &'a str,
    pub payment_method: &'a str,
    pub shipping_method: &'a str,
    pub currency: &'a str,
    pub subtotal_cents: i64,
    pub shipping_cents: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
    pub vat_rate_basis_points: i32,
    pub shipping_address: &'a serde_json::Value,
    pub billing_address: &'a serde_json::Value,
    pub notes: &'a str,
    pub language: &'a str,
    pub idempotency_key: Option<&'a str>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = order_items, check_for_backend(diesel::pg::Pg))]
pub struct Item {
    pub id: i64,
    pub order_id: i64,
    pub product_id: Option<ProductId>,
    pub sku: String,
    pub title: String,
    pub unit_price_cents: i64,
    pub quantity: i32,
    pub line_total_cents: i64,
    pub refunded_quantity: i32,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = order_items)]
pub struct NewItem<'a> {
    pub vendor_id: crate::VendorId,
    pub order_id: i64,
    pub product_id: Option<ProductId>,
    pub sku: &'a str,
    pub title: &'a str,
    pub unit_price_cents: i64,
    pub quantity: i32,
    pub line_total_cents: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = order_status_history, check_for_backend(diesel::pg::Pg))]
pub struct StatusChange {
    pub from_status: Option<String>,
    pub to_status: String,
    pub changed_by_user_id: Option<UserId>,
    pub note: String,
    pub at: DateTime<Utc>,
}

/// An id for an order about to be written: inventory is reserved under it before the order
/// row exists (the movements' reference to it is checked at commit).
pub fn next_id(tx: &mut TenantTx<'_>) -> QueryResult<i64> {
    diesel::select(diesel::dsl::sql::<BigInt>("nextval('orders_id_seq')")).get_result(tx.conn())
}

/// The vendor's next order number (1, 2, ...). Locks the vendor's counter row until the
/// transaction ends, so take it last.
pub fn next_number(tx: &mut TenantTx<'_>) -> QueryResult<i64> {
    let vendor_id = tx.vendor_id();
    diesel::insert_into(order_counters::table)
        .values((
            order_counters::vendor_id.eq(vendor_id),
            order_counters::last_number.eq(1),
        ))
        .on_conflict(order_counters::vendor_id)
        .do_update()
        .set(order_counters::last_number.eq(order_counters::last_number + 1))
        .returning(order_counters::last_number)
        .get_result(tx.conn())
}

pub fn insert(tx: &mut TenantTx<'_>, new: &NewOrder<'_>) -> QueryResult<Order> {
    diesel::insert_into(orders::table)
        .values(new)
        .returning(Order::as_returning())
        .get_result(tx.conn())
}

pub fn insert_items(tx: &mut TenantTx<'_>, items: &[NewItem<'_>]) -> QueryResult<()> {
    diesel::insert_into(order_items::table)
        .values(items)
        .execute(tx.conn())
        .map(|_| ())
}

pub fn record_status(
    tx: &mut TenantTx<'_>,
    order: i64,
    from: Option<&str>,
    to: &str,
    by: Option<UserId>,
    note: &str,
) -> QueryResult<()> {
    let vendor_id = tx.vendor_id();
    diesel::insert_into(order_status_history::table)
        .values((
            order_status_history::vendor_id.eq(vendor_id),
            order_status_history::order_id.eq(order),
            order_status_history::from_status.eq(from),
            order_status_history::to_status.eq(to),
            order_status_history::changed_by_user_id.eq(by),
            order_status_history::note.eq(note),
        ))
        .execute(tx.conn())
        .map(|_| ())
}

/// The order a checkout with this idempotency key made, if any.
pub fn find_by_idempotency_key(tx: &mut TenantTx<'_>, key: &str) -> QueryResult<Option<Order>> {
    let vendor_id = tx.vendor_id();
    orders::table
        .filter(orders::vendor_id.eq(vendor_id))
        .filter(orders::idempotency_key.eq(key))
        .select(Order::as_select())
        .first(tx.conn())
        .optional()
}

/// The order with this number, if it is the customer's.
pub fn find_for_customer(
    tx: &mut TenantTx<'_>,
    customer: CustomerId,
    number: &str,
) -> QueryResult<Option<Order>> {
    let vendor_id = tx.vendor_id();
    orders::table
        .filter(orders::vendor_id.eq(vendor_id))
        .filter(orders::customer_id.eq(customer))
        .filter(orders::order_number.eq(number))
        .select(Order::as_select())
        .first(tx.conn())
        .optional()
}

/// A page of the customer's orders, newest first, and how many they have.
pub fn for_customer(
    tx: &mut TenantTx<'_>,
    customer: CustomerId,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<Order>, i64)> {
    let vendor_id = tx.vendor_id();
    let mine = orders::table
        .filter(orders::vendor_id.eq(vendor_id))
        .filter(orders::customer_id.eq(customer));
    let total = mine.count().get_result(tx.conn())?;
    let rows = mine
        .order(orders::id.desc())
        .limit(limit)
        .offset(offset)
        .select(Order::as_select())
        .load(tx.conn())?;
    Ok((rows, total))
}

/// The items of these orders, in the order they were written.
pub fn items(tx: &mut TenantTx<'_>, order_ids: &[i64]) -> QueryResult<Vec<Item>> {
    let vendor_id = tx.vendor_id();
    order_items::table
        .filter(order_items::vendor_id.eq(vendor_id))
        .filter(order_items::order_id.eq_any(order_ids))
        .order((order_items::order_id, order_items::id))
        .select(Item::as_select())
        .load(tx.conn())
}

pub fn history(tx: &mut TenantTx<'_>, order: i64) -> QueryResult<Vec<StatusChange>> {
    let vendor_id = tx.vendor_id();
    order_status_history::table
        .filter(order_status_history::vendor_id.eq(vendor_id))
        .filter(order_status_history::order_id.eq(order))
        .order(order_status_history::id)
        .select(StatusChange::as_select())
        .load(tx.conn())
}

/// The order with this number, locked until the transaction ends: two transitions of one
/// order queue, and the second sees the first's status.
pub fn lock_by_number(tx: &mut TenantTx<'_>, number: &str) -> QueryResult<Option<Order>> {
    let vendor_id = tx.vendor_id();
    orders::table
        .filter(orders::vendor_id.eq(vendor_id))
        .filter(orders::order_number.eq(number))
        .select(Order::as_select())
        .for_update()
        .first(tx.conn())
        .optional()
}

pub fn find_by_number(tx: &mut TenantTx<'_>, number: &str) -> QueryResult<Option<Order>> {
    let vendor_id = tx.vendor_id();
    orders::table
        .filter(orders::vendor_id.eq(vendor_id))
        .filter(orders::order_number.eq(number))
        .select(Order::as_select())
        .first(tx.conn())
        .optional()
}

/// Moves the order to `status`; `shipment` (carrier, tracking number) is recorded with a move
/// to `shipped`.
pub fn set_status(
    tx: &mut TenantTx<'_>,
    id: i64,
    status: &str,
    shipment: Option<(&str, &str)>,
) -> QueryResult<Order> {
    let vendor_id = tx.vendor_id();
    let target = orders::table
        .filter(orders::vendor_id.eq(vendor_id))
        .filter(orders::id.eq(id));
    match shipment {
        Some((carrier, tracking)) => diesel::update(target)
            .set((
                orders::status.eq(status),
                orders::carrier.eq(carrier),
                orders::tracking_number.eq(tracking),
                orders::shipped_at.eq(diesel::dsl::now),
                orders::updated_at.eq(diesel::dsl::now),
            ))
            .returning(Order::as_returning())
            .get_result(tx.conn()),
        None => diesel::update(target)
            .set((
                orders::status.eq(status),
                orders::updated_at.eq(diesel::dsl::now),
            ))
            .returning(Order::as_returning())
            .get_result(tx.conn()),
    }
}

/// Records the order as paid, now.
pub fn mark_paid(tx: &mut TenantTx<'_>, id: i64) -> QueryResult<Order> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        orders::table
            .filter(orders::vendor_id.eq(vendor_id))
            .filter(orders::id.eq(id)),
    )
    .set((
        orders::payment_status.eq("paid"),
        orders::paid_at.eq(diesel::dsl::now),
        orders::updated_at.eq(diesel::dsl::now),
    ))
    .returning(Order::as_returning())
    .get_result(tx.conn())
}

/// Remembers the card-payment session the order is being paid through.
pub fn set_card_session(tx: &mut TenantTx<'_>, id: i64, session: &str) -> QueryResult<()> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        orders::table
            .filter(orders::vendor_id.eq(vendor_id))
            .filter(orders::id.eq(id)),
    )
    .set(orders::card_session_id.eq(session))
    .execute(tx.conn())
    .map(|_| ())
}

/// Records a refund: the payment status it leaves and what has gone back in all.
pub fn set_refunded(
    tx: &mut TenantTx<'_>,
    id: i64,
    payment_status: &str,
    refunded_cents: i64,
) -> QueryResult<Order> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        orders::table
            .filter(orders::vendor_id.eq(vendor_id))
            .filter(orders::id.eq(id)),
    )
    .set((
        orders::payment_status.eq(payment_status),
        orders::refunded_cents.eq(refunded_cents),
        orders::updated_at.eq(diesel::dsl::now),
    ))
    .returning(Order::as_returning())
    .get_result(tx.conn())
}

/// Counts `quantity` more units of the item as refunded.
pub fn refund_item(tx: &mut TenantTx<'_>, item: i64, quantity: i32) -> QueryResult<()> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        order_items::table
            .filter(order_items::vendor_id.eq(vendor_id))
            .filter(order_items::id.eq(item)),
    )
    .set(order_items::refunded_quantity.eq(order_items::refunded_quantity + quantity))
    .execute(tx.conn())
    .map(|_| ())
}

/// Filters of the vendor's order list.
#[derive(Debug, Default)]
pub struct OrderFilter<'a> {
    pub status: Option<&'a str>,
    pub payment_status: Option<&'a str>,
    pub placed_from: Option<DateTime<Utc>>,
    pub placed_before: Option<DateTime<Utc>>,
    pub customer: Option<CustomerId>,
    /// Part of the order number or of the buyer's e-mail.
    pub search: Option<&'a str>,
}

/// A page of the handle's vendor's orders, newest first, and how many match.
pub fn page(
    tx: &mut TenantTx<'_>,
    filter: &OrderFilter<'_>,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<Order>, i64)> {
    let vendor_id = tx.vendor_id();
    let total = matching(vendor_id, filter).count().get_result(tx.conn())?;
    let rows = matching(vendor_id, filter)
        .order(orders::id.desc())
        .limit(limit)
        .offset(offset)
        .select(Order::as_select())
        .load(tx.conn())?;
    Ok((rows, total))
}

/// Up to `limit` matching orders placed before the order `before` (all, when `None`), newest
/// first: a download's next batch. Keyed by id rather than by position, so orders placed while
/// a download runs neither repeat nor push others out of it.
pub fn batch_before(
    tx: &mut TenantTx<'_>,
    filter: &OrderFilter<'_>,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<Order>> {
    let mut q = matching(tx.vendor_id(), filter);
    if let Some(before) = before {
        q = q.filter(orders::id.lt(before));
    }
    q.order(orders::id.desc())
        .limit(limit)
        .select(Order::as_select())
        .load(tx.conn())
}

/// The vendor's orders that `filter` selects.
fn matching<'a>(
    vendor_id: crate::VendorId,
    filter: &OrderFilter<'a>,
) -> orders::BoxedQuery<'a, diesel::pg::Pg> {
    let mut q = orders::table
        .filter(orders::vendor_id.eq(vendor_id))
        .into_boxed();
    if let Some(status) = filter.status {
        q = q.filter(orders::status.eq(status));
    }
    if let Some(payment) = filter.payment_status {
        q = q.filter(orders::payment_status.eq(payment));
    }
    if let Some(from) = filter.placed_from {
        q = q.filter(orders::placed_at.ge(from));
    }
    if let Some(before) = filter.placed_before {
        q = q.filter(orders::placed_at.lt(before));
    }
    if let Some(customer) = filter.customer {
        q = q.filter(orders::customer_id.eq(customer));
    }
    if let Some(text) = filter.search {
        let pattern = format!("%{}%", crate::vendors::escape_like(text));
        q = q.filter(
            orders::order_number
                .ilike(pattern.clone())
                .or(orders::email.ilike(pattern)),
        );
    }
    q
}

/// Card orders still unpaid and pending `hours` after they were placed, oldest first, with
/// their vendor (platform scope: the clean-up job looks across shops).
pub fn stale_card_orders(
    tx: &mut crate::PlatformTx<'_>,
    hours: i32,
    limit: i64,
) -> QueryResult<Vec<(crate::VendorId, String)>> {
    orders::table
        .filter(orders::payment_method.eq("card"))
        .filter(orders::payment_status.eq("unpaid"))
        .filter(orders::status.eq("pending"))
        .filter(orders::placed_at.lt(Utc::now() - chrono::Duration::hours(i64::from(hours))))
        .order(orders::id)
        .limit(limit)
        .select((orders::vendor_id, orders::order_number))
        .load(tx.conn())
}
