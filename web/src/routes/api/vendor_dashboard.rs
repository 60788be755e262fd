//! The vendor's dashboard: sales figures (orders by status, revenue over 7/30/90 days, the
//! last 30 days, best sellers), the latest orders, products running low and the last
//! Letzshop import — each from its own domain's service, gathered here.

use actix_web::{get, web};
use db::TenantScope;
use inventory::{InventoryQuery, InventoryRow};
use marketplace::{ImportView, PageQuery};
use orders::{OrderSummary, SalesFigures, VendorOrderQuery};
use serde::Serialize;
use teams::needs::AnalyticsView;
use utoipa::ToSchema;

use crate::blocking::blocking;
use crate::error::ApiError;
use crate::extract::Member;
use crate::state::AppState;

/// How many recent orders and low rows the dashboard lists.
const SHORT_LIST: i64 = 5;

#[derive(Debug, Serialize, ToSchema)]
pub struct Dashboard {
    pub sales: SalesFigures,
    /// The five newest orders.
    pub recent_orders: Vec<OrderSummary>,
    /// Up to five stock rows at or below their product's low-inventory threshold.
    pub low_inventory: Vec<InventoryRow>,
    /// The newest Letzshop import, if any.
    pub last_import: Option<ImportView>,
}

/// Everything the dashboard shows, for the shop in `scope`.
pub async fn load(state: web::Data<AppState>, scope: TenantScope) -> Result<Dashboard, ApiError> {
    blocking(move || {
        let sales = state.orders.figures(&scope)?;
        let recent_orders = state
            .orders
            .vendor_orders(
                &scope,
                &VendorOrderQuery {
                    per_page: Some(SHORT_LIST),
                    ..VendorOrderQuery::default()
                },
            )?
            .items;
        let low_inventory = state
            .inventory
            .list(
                &scope,
                &InventoryQuery {
                    low: Some(true),
                    per_page: Some(SHORT_LIST),
                    ..InventoryQuery::default()
                },
            )?
            .items;
        let last_import = state
            .marketplace
            .imports(
                &scope,
                &PageQuery {
                    page: Some(1),
                    per_page: Some(1),
                },
            )?
            .items
            .into_iter()
            .next();
        Ok::<_, ApiError>(Dashboard {
            sales,
            recent_orders,
            low_inventory,
            last_import,
        })
    })
    .await
}

/// The shop at a glance: orders by status, revenue over 7, 30 and 90 days and day by day
/// over 30, the five best sellers, the newest orders, products running low and the last
/// import [analytics.view].
#[utoipa::path(tag = "vendor", security(("bearer" = ["analytics.view"])),
    responses((status = 200, body = Dashboard)))]
#[get("/vendor/dashboard")]
pub async fn get(
    state: web::Data<AppState>,
    member: Member<AnalyticsView>,
) -> Result<web::Json<Dashboard>, ApiError> {
    Ok(web::Json(load(state, member.scope()).await?))
}
