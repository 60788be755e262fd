//! The platform's figures for the admin dashboard, each computed by one SQL query in the
//! platform scope (`db::platform_figures`); nothing here loops over rows of the database.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use db::{Db, PlatformScope};
use serde::Serialize;
use utoipa::ToSchema;

use crate::PlatformError;

/// The spans the dashboard sums orders over, in days.
pub const PERIODS: [i32; 3] = [7, 30, 90];
/// The days of the chart.
pub const CHART_DAYS: i32 = 30;
/// The import statuses, each counted even at zero.
const IMPORT_STATUSES: [&str; 5] = [
    "pending",
    "processing",
    "completed",
    "completed_with_errors",
    "failed",
];

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlatformFigures {
    /// Live vendors (deleted ones aside).
    pub vendors_total: i64,
    pub vendors_active: i64,
    pub vendors_verified: i64,
    /// Created since the 1st of this month (UTC).
    pub vendors_new_this_month: i64,
    /// People with an active membership of some team.
    pub team_users: i64,
    pub admins: i64,
    /// Customer accounts of every shop (erased ones aside).
    pub customers: i64,
    pub products: i64,
    pub products_active: i64,
    /// Orders and revenue (less refunds, cancelled orders aside) over 7, 30 and 90 days, per
    /// currency.
    pub periods: Vec<PeriodFigures>,
    /// The last 30 days, oldest first.
    pub daily: Vec<DayFigures>,
    /// Letzshop imports by status.
    pub imports_by_status: BTreeMap<String, i64>,
    /// The latest failed imports, newest first.
    pub failed_imports: Vec<FailedImport>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PlatformPeriod)]
pub struct PeriodFigures {
    pub days: i32,
    pub currency: String,
    pub orders: i64,
    pub revenue_cents: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PlatformDay)]
pub struct DayFigures {
    pub day: NaiveDate,
    pub orders: i64,
    pub new_vendors: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FailedImport {
    pub id: i64,
    pub vendor_id: i64,
    pub vendor_code: String,
    pub language: String,
    pub failure: Option<String>,
    pub created_at: DateTime<Utc>,
}

pub trait Figures: Send + Sync {
    /// The dashboard's figures; `currency` labels the periods when no order was placed.
    fn figures(
        &self,
        scope: &PlatformScope,
        currency: &str,
    ) -> Result<PlatformFigures, PlatformError>;
}

pub struct PgFigures {
    db: Db,
}

impl PgFigures {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

impl Figures for PgFigures {
    fn figures(
        &self,
        scope: &PlatformScope,
        currency: &str,
    ) -> Result<PlatformFigures, PlatformError> {
        use db::platform_figures as q;
        self.db.platform(scope, |tx| {
            let counts = q::counts(tx)?;
            let mut imports_by_status: BTreeMap<String, i64> = IMPORT_STATUSES
                .iter()
                .map(|s| ((*s).to_owned(), 0))
                .collect();
            imports_by_status.extend(
                q::imports_by_status(tx)?
                    .into_iter()
                    .map(|s| (s.status, s.imports)),
            );
            Ok(PlatformFigures {
                vendors_total: counts.vendors,
                vendors_active: counts.vendors_active,
                vendors_verified: counts.vendors_verified,
                vendors_new_this_month: counts.vendors_new_this_month,
                team_users: counts.team_users,
                admins: counts.admins,
                customers: counts.customers,
                products: counts.products,
                products_active: counts.products_active,
                periods: q::periods(tx, &PERIODS, currency)?
                    .into_iter()
                    .map(|p| PeriodFigures {
                        days: p.days,
                        currency: p.currency,
                        orders: p.orders,
                        revenue_cents: p.revenue_cents,
                    })
                    .collect(),
                daily: q::daily(tx, CHART_DAYS)?
                    .into_iter()
                    .map(|d| DayFigures {
                        day: d.day,
                        orders: d.orders,
                        new_vendors: d.new_vendors,
                    })
                    .collect(),
                imports_by_status,
                failed_imports: q::failed_imports(tx, 10)?
                    .into_iter()
                    .map(|f| FailedImport {
                        id: f.id,
                        vendor_id: f.vendor_id,
                        vendor_code: f.vendor_code,
                        language: f.language,
                        failure: f.failure,
                        created_at: f.created_at,
                    })
                    .collect(),
            })
        })
    }
}
