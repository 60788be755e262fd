//! The platform's figures for the admin dashboard, computed by PostgreSQL across every vendor
//! in the platform scope: counts, orders and revenue over recent days (per currency), a
//! day-by-day series, import jobs by status and the latest failed imports. Each function is
//! one query; product counts come from the per-vendor counters the catalogue keeps, so no
//! catalogue is counted row by row.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Integer, Nullable, Text, Timestamptz};

use crate::PlatformTx;

#[derive(Debug, Clone, QueryableByName)]
pub struct Counts {
    #[diesel(sql_type = BigInt)]
    pub vendors: i64,
    #[diesel(sql_type = BigInt)]
    pub vendors_active: i64,
    #[diesel(sql_type = BigInt)]
    pub vendors_verified: i64,
    #[diesel(sql_type = BigInt)]
    pub vendors_new_this_month: i64,
    #[diesel(sql_type = BigInt)]
    pub team_users: i64,
    #[diesel(sql_type = BigInt)]
    pub admins: i64,
    #[diesel(sql_type = BigInt)]
    pub customers: i64,
    #[diesel(sql_type = BigInt)]
    pub products: i64,
    #[diesel(sql_type = BigInt)]
    pub products_active: i64,
}

/// Vendors (live ones: active, verified, new since the 1st of this month, UTC), people
/// (active team members, active admins, customers not erased) and live products.
pub fn counts(tx: &mut PlatformTx<'_>) -> QueryResult<Counts> {
    diesel::sql_query(
        "SELECT
           (SELECT count(*) FROM vendors WHERE deleted_at IS NULL) AS vendors,
           (SELECT count(*) FROM vendors WHERE deleted_at IS NULL AND is_active) AS vendors_active,
           (SELECT count(*) FROM vendors WHERE deleted_at IS NULL AND is_verified) AS vendors_verified,
           (SELECT count(*) FROM vendors WHERE deleted_at IS NULL
              AND created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS vendors_new_this_month,
           (SELECT count(DISTINCT vu.user_id) FROM vendor_users vu JOIN users u ON u.id = vu.user_id
              WHERE vu.is_active AND u.is_active) AS team_users,
           (SELECT count(*) FROM users WHERE is_platform_admin AND is_active) AS admins,
           (SELECT count(*) FROM customers WHERE erased_at IS NULL) AS customers,
           (SELECT coalesce(sum(c.products), 0)::bigint FROM catalog_counters c
              JOIN vendors v ON v.id = c.vendor_id WHERE v.deleted_at IS NULL) AS products,
           (SELECT coalesce(sum(c.active), 0)::bigint FROM catalog_counters c
              JOIN vendors v ON v.id = c.vendor_id WHERE v.deleted_at IS NULL) AS products_active",
    )
    .get_result(tx.conn())
}

#[derive(Debug, Clone, QueryableByName)]
pub struct Period {
    #[diesel(sql_type = Integer)]
    pub days: i32,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = BigInt)]
    pub orders: i64,
    #[diesel(sql_type = BigInt)]
    pub revenue_cents: i64,
}

/// Orders and revenue (totals less refunds, cancelled orders aside) over the last `days`
/// (each), per currency; a span without orders answers one row in `currency` with zeros.
pub fn periods(tx: &mut PlatformTx<'_>, days: &[i32], currency: &str) -> QueryResult<Vec<Period>> {
    diesel::sql_query(
        "SELECT d.days, coalesce(o.currency, $2)::text AS currency, count(o.id) AS orders,
                coalesce(sum(o.total_cents - o.refunded_cents), 0)::bigint AS revenue_cents
         FROM unnest($1::int[]) AS d(days)
         LEFT JOIN orders o ON o.status <> 'cancelled'
                           AND o.placed_at >= now() - make_interval(days => d.days)
         GROUP BY d.days, o.currency ORDER BY d.days, currency",
    )
    .bind::<Array<Integer>, _>(days)
    .bind::<Text, _>(currency)
    .load(tx.conn())
}

#[derive(Debug, Clone, QueryableByName)]
pub struct Day {
    #[diesel(sql_type = Date)]
    pub day: NaiveDate,
    #[diesel(sql_type = BigInt)]
    pub orders: i64,
    #[diesel(sql_type = BigInt)]
    pub new_vendors: i64,
}

/// Each of the last `days` days (today included, UTC): orders placed and vendors created.
pub fn daily(tx: &mut PlatformTx<'_>, days: i32) -> QueryResult<Vec<Day>> {
    diesel::sql_query(
        "WITH span AS (
           SELECT g.day::date AS day
           FROM generate_series((now() AT TIME ZONE 'UTC')::date - ($1 - 1),
                                (now() AT TIME ZONE 'UTC')::date, interval '1 day') AS g(day)),
         placed AS (
           SELECT (placed_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM orders
           WHERE status <> 'cancelled'
             AND placed_at >= ((now() AT TIME ZONE 'UTC')::date - ($1 - 1)) AT TIME ZONE 'UTC'
           GROUP BY 1),
         opened AS (
           SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM vendors
           WHERE deleted_at IS NULL
             AND created_at >= ((now() AT TIME ZONE 'UTC')::date - ($1 - 1)) AT TIME ZONE 'UTC'
           GROUP BY 1)
         SELECT span.day, coalesce(placed.n, 0)::bigint AS orders, coalesce(opened.n, 0)::bigint AS new_vendors
         FROM span LEFT JOIN placed USING (day) LEFT JOIN opened USING (day)
         ORDER BY span.day",
    )
    .bind::<Integer, _>(days)
    .load(tx.conn())
}

#[derive(Debug, Clone, QueryableByName)]
pub struct StatusCount {
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = BigInt)]
    pub imports: i64,
}

/// Letzshop imports of every vendor by status.
pub fn imports_by_status(tx: &mut PlatformTx<'_>) -> QueryResult<Vec<StatusCount>> {
    diesel::sql_query(
        "SELECT status, count(*) AS imports FROM marketplace_imports GROUP BY status ORDER BY status",
    )
    .load(tx.conn())
}

#[derive(Debug, Clone, QueryableByName)]
pub struct FailedImport {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub vendor_id: i64,
    #[diesel(sql_type = Text)]
    pub vendor_code: String,
    #[diesel(sql_type = Text)]
    pub language: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub failure: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
}

/// The latest failed imports, newest first.
pub fn failed_imports(tx: &mut PlatformTx<'_>, limit: i64) -> QueryResult<Vec<FailedImport>> {
    diesel::sql_query(
        "SELECT i.id, i.vendor_id, v.code AS vendor_code, i.language, i.failure, i.created_at
         FROM marketplace_imports i JOIN vendors v ON v.id = i.vendor_id
         WHERE i.status = 'failed'
         ORDER BY i.id DESC LIMIT $1",
    )
    .bind::<BigInt, _>(limit)
    .load(tx.conn())
}
