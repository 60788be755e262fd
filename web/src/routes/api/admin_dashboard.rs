//! Platform counts for the admin dashboard.

use actix_web::{get, web};
use tenancy::PlatformStats;

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::AdminUser;
use crate::state::AppState;

/// Counts of vendors (active, verified) and users.
#[utoipa::path(tag = "admin", security(("bearer" = [])), responses(
    (status = 200, body = PlatformStats), (status = 401, body = ErrorBody)))]
#[get("/admin/dashboard/stats")]
pub async fn stats(
    state: web::Data<AppState>,
    admin: AdminUser,
) -> Result<web::Json<PlatformStats>, ApiError> {
    let stats = blocking(move || state.vendors.stats(&admin.scope)).await?;
    Ok(web::Json(stats))
}
