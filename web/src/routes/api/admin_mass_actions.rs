//! Actions over many vendors at once, run by a job with a per-vendor result list.

use actix_web::{HttpResponse, get, post, web};
use platform::{MassActionView, NewMassAction};

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{AdminUser, Client};
use crate::state::AppState;

/// Starts the Letzshop imports of chosen vendors, or activates or deactivates them: 202, the
/// action to follow at `GET /admin/vendors/mass-actions/{id}` (audited).
#[utoipa::path(tag = "admin", request_body = NewMassAction, security(("bearer" = [])), responses(
    (status = 202, body = MassActionView), (status = 401, body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[post("/admin/vendors/mass-actions")]
pub async fn start(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: Client,
    body: web::Json<NewMassAction>,
) -> Result<HttpResponse, ApiError> {
    let actor = client.actor(&admin);
    let started = blocking(move || state.mass_actions.start(&admin.scope, &actor, &body)).await?;
    Ok(HttpResponse::Accepted().json(started))
}

/// Starts the Letzshop imports of every live vendor with a feed configured: 202, the action
/// to follow (audited); 422 `NOTHING_TO_DO` when no vendor has one.
#[utoipa::path(tag = "admin", security(("bearer" = [])), responses(
    (status = 202, body = MassActionView), (status = 401, body = ErrorBody),
    (status = 422, description = "NOTHING_TO_DO", body = ErrorBody)))]
#[post("/admin/vendors/mass-actions/all-feeds")]
pub async fn start_all_feeds(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: Client,
) -> Result<HttpResponse, ApiError> {
    let actor = client.actor(&admin);
    let started =
        blocking(move || state.mass_actions.start_all_feeds(&admin.scope, &actor)).await?;
    Ok(HttpResponse::Accepted().json(started))
}

/// The latest mass actions, newest first.
#[utoipa::path(tag = "admin", security(("bearer" = [])), responses(
    (status = 200, body = Vec<MassActionView>), (status = 401, body = ErrorBody)))]
#[get("/admin/vendors/mass-actions")]
pub async fn recent(
    state: web::Data<AppState>,
    admin: AdminUser,
) -> Result<web::Json<Vec<MassActionView>>, ApiError> {
    Ok(web::Json(
        blocking(move || state.mass_actions.recent(&admin.scope)).await?,
    ))
}

/// One mass action: its status and each vendor's outcome so far.
#[utoipa::path(tag = "admin", params(("id" = i64, Path, minimum = 1)), security(("bearer" = [])),
    responses((status = 200, body = MassActionView), (status = 401, body = ErrorBody),
    (status = 404, description = "MASS_ACTION_NOT_FOUND", body = ErrorBody)))]
#[get("/admin/vendors/mass-actions/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    admin: AdminUser,
    id: web::Path<i64>,
) -> Result<web::Json<MassActionView>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        blocking(move || state.mass_actions.get(&admin.scope, id)).await?,
    ))
}
