//! The platform's figures for the admin dashboard.

use actix_web::{get, web};
use db::PlatformScope;
use platform::PlatformFigures;

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::AdminUser;
use crate::state::AppState;

/// Vendors (active, verified, new this month), team users, admins, customers, products, orders
/// and revenue over 7/30/90 days per currency, orders and new vendors per day over 30 days,
/// imports by status and the latest failed imports.
#[utoipa::path(tag = "admin", security(("bearer" = [])), responses(
    (status = 200, body = PlatformFigures), (status = 401, body = ErrorBody)))]
#[get("/admin/dashboard/stats")]
pub async fn stats(
    state: web::Data<AppState>,
    admin: AdminUser,
) -> Result<web::Json<PlatformFigures>, ApiError> {
    Ok(web::Json(load(state, admin.scope).await?))
}

/// The figures, labelled in the platform's default currency when no order was placed.
pub async fn load(
    state: web::Data<AppState>,
    scope: PlatformScope,
) -> Result<PlatformFigures, ApiError> {
    let currency = state.platform_settings.current().default_currency.clone();
    blocking(move || state.figures.figures(&scope, &currency)).await
}
