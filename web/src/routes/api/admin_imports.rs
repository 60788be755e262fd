//! Every vendor's Letzshop imports, for platform administrators.

use actix_web::{get, web};
use db::pagination::Page;
use marketplace::{AdminImportQuery, VendorImportView};

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::AdminUser;
use crate::state::AppState;

/// All vendors' imports, newest first: one vendor's or those in one status.
#[utoipa::path(tag = "admin", params(AdminImportQuery), security(("bearer" = [])), responses(
    (status = 200, body = Page<VendorImportView>), (status = 401, body = ErrorBody)))]
#[get("/admin/marketplace-import-jobs")]
pub async fn list(
    state: web::Data<AppState>,
    admin: AdminUser,
    query: web::Query<AdminImportQuery>,
) -> Result<web::Json<Page<VendorImportView>>, ApiError> {
    let query = query.into_inner();
    let page = blocking(move || state.marketplace.all_imports(&admin.scope, &query)).await?;
    Ok(web::Json(page))
}
