//! The shop's sales figures for its dashboard, each computed by one SQL query: orders by
//! status, orders and revenue over 7, 30 and 90 days, the last 30 days day by day, and the
//! five best-selling products of the last 30 days.

use chrono::NaiveDate;
use db::TenantTx;
use serde::Serialize;
use utoipa::ToSchema;

use crate::OrderError;

/// The spans the revenue figures cover, in days.
pub const PERIODS: [i32; 3] = [7, 30, 90];
/// The days the chart shows.
pub const CHART_DAYS: i32 = 30;
const TOP_PRODUCTS: i64 = 5;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusCount {
    pub status: crate::OrderStatus,
    pub orders: i64,
}

/// Orders and revenue (totals less refunds, cancelled orders aside) over the last `days`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PeriodFigures {
    pub days: i32,
    pub orders: i64,
    pub revenue_cents: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DayFigures {
    pub day: NaiveDate,
    pub orders: i64,
    pub revenue_cents: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TopProduct {
    /// `null` when the product was deleted since.
    pub product_id: Option<i64>,
    pub sku: String,
    pub title: String,
    pub units: i64,
    pub revenue_cents: i64,
}

/// A shop's sales at a glance. Amounts are in the shop's currency (EUR).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SalesFigures {
    /// Every status, with zero for those no order has.
    pub by_status: Vec<StatusCount>,
    /// 7, 30 and 90 days.
    pub periods: Vec<PeriodFigures>,
    /// The last 30 days, oldest first, today last (UTC days).
    pub daily: Vec<DayFigures>,
    /// The best sellers of the last 30 days by units.
    pub top_products: Vec<TopProduct>,
}

pub(crate) fn figures(tx: &mut TenantTx<'_>) -> Result<SalesFigures, OrderError> {
    let counted = db::sales::by_status(tx)?;
    let by_status = crate::OrderStatus::ALL
        .into_iter()
        .map(|status| StatusCount {
            status,
            orders: counted
                .iter()
                .find(|c| c.status == status.as_str())
                .map_or(0, |c| c.orders),
        })
        .collect();
    let periods = db::sales::periods(tx, &PERIODS)?
        .into_iter()
        .map(|p| PeriodFigures {
            days: p.days,
            orders: p.orders,
            revenue_cents: p.revenue_cents,
        })
        .collect();
    let daily = db::sales::daily(tx, CHART_DAYS)?
        .into_iter()
        .map(|d| DayFigures {
            day: d.day,
            orders: d.orders,
            revenue_cents: d.revenue_cents,
        })
        .collect();
    let top_products = db::sales::top_products(tx, CHART_DAYS, TOP_PRODUCTS)?
        .into_iter()
        .map(|t| TopProduct {
            product_id: t.product_id,
            sku: t.sku,
            title: t.title,
            units: t.units,
            revenue_cents: t.revenue_cents,
        })
        .collect();
    Ok(SalesFigures {
        by_status,
        periods,
        daily,
        top_products,
    })
}
