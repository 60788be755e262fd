//! A vendor's sales figures, computed by PostgreSQL over its orders (vendor-owned; the
//! tenant wall applies): orders by status, revenue over recent days, a day-by-day series and
//! the best-selling products. Revenue is what orders came to less refunds, cancelled orders
//! aside.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Nullable, Text};

use crate::TenantTx;

#[derive(Debug, Clone, QueryableByName)]
pub struct StatusCount {
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = BigInt)]
    pub orders: i64,
}

/// Orders of the vendor by status.
pub fn by_status(tx: &mut TenantTx<'_>) -> QueryResult<Vec<StatusCount>> {
    diesel::sql_query(
        "SELECT status, count(*) AS orders FROM orders WHERE vendor_id = $1 GROUP BY status ORDER BY status",
    )
    .bind::<BigInt, _>(tx.vendor_id().0)
    .load(tx.conn())
}

#[derive(Debug, Clone, QueryableByName)]
pub struct Period {
    #[diesel(sql_type = Integer)]
    pub days: i32,
    #[diesel(sql_type = BigInt)]
    pub orders: i64,
    #[diesel(sql_type = BigInt)]
    pub revenue_cents: i64,
}

/// Orders and revenue over the last `days` (each), in one pass over the longest span.
pub fn periods(tx: &mut TenantTx<'_>, days: &[i32]) -> QueryResult<Vec<Period>> {
    diesel::sql_query(
        "SELECT d.days, count(o.id) AS orders,
                coalesce(sum(o.total_cents - o.refunded_cents), 0)::bigint AS revenue_cents
         FROM unnest($2::int[]) AS d(days)
         LEFT JOIN orders o ON o.vendor_id = $1 AND o.status <> 'cancelled'
                           AND o.placed_at >= now() - make_interval(days => d.days)
         GROUP BY d.days ORDER BY d.days",
    )
    .bind::<BigInt, _>(tx.vendor_id().0)
    .bind::<diesel::sql_types::Array<Integer>, _>(days)
    .load(tx.conn())
}

#[derive(Debug, Clone, QueryableByName)]
pub struct Day {
    #[diesel(sql_type = Date)]
    pub day: NaiveDate,
    #[diesel(sql_type = BigInt)]
    pub orders: i64,
    #[diesel(sql_type = BigInt)]
    pub revenue_cents: i64,
}

/// Each of the last `days` days (today included, UTC), with its orders and revenue; days
/// without orders are there with zeros.
pub fn daily(tx: &mut TenantTx<'_>, days: i32) -> QueryResult<Vec<Day>> {
    diesel::sql_query(
        "SELECT g.day::date AS day, count(o.id) AS orders,
                coalesce(sum(o.total_cents - o.refunded_cents), 0)::bigint AS revenue_cents
         FROM generate_series((now() AT TIME ZONE 'UTC')::date - ($2 - 1), (now() AT TIME ZONE 'UTC')::date, interval '1 day') AS g(day)
         LEFT JOIN orders o ON o.vendor_id = $1 AND o.status <> 'cancelled'
                           AND (o.placed_at AT TIME ZONE 'UTC')::date = g.day::date
         GROUP BY g.day ORDER BY g.day",
    )
    .bind::<BigInt, _>(tx.vendor_id().0)
    .bind::<Integer, _>(days)
    .load(tx.conn())
}

#[derive(Debug, Clone, QueryableByName)]
pub struct TopProduct {
    #[diesel(sql_type = Nullable<BigInt>)]
    pub product_id: Option<i64>,
    #[diesel(sql_type = Text)]
    pub sku: String,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = BigInt)]
    pub units: i64,
    #[diesel(sql_type = BigInt)]
    pub revenue_cents: i64,
}

/// The products that sold the most units over the last `days` (refunded units aside).
pub fn top_products(tx: &mut TenantTx<'_>, days: i32, limit: i64) -> QueryResult<Vec<TopProduct>> {
    diesel::sql_query(
        "SELECT i.product_id, i.sku, max(i.title) AS title,
                sum(i.quantity - i.refunded_quantity)::bigint AS units,
                sum((i.quantity - i.refunded_quantity) * i.unit_price_cents)::bigint AS revenue_cents
         FROM order_items i
         JOIN orders o ON o.vendor_id = i.vendor_id AND o.id = i.order_id
         WHERE i.vendor_id = $1 AND o.status <> 'cancelled'
           AND o.placed_at >= now() - make_interval(days => $2)
         GROUP BY i.product_id, i.sku
         HAVING sum(i.quantity - i.refunded_quantity) > 0
         ORDER BY units DESC, revenue_cents DESC, i.sku
         LIMIT $3",
    )
    .bind::<BigInt, _>(tx.vendor_id().0)
    .bind::<Integer, _>(days)
    .bind::<BigInt, _>(limit)
    .load(tx.conn())
}
