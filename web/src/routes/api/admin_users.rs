//! Team accounts for platform administrators: every admin and vendor team member with their
//! memberships; switch off or on, temporary password, platform admin rights.

use actix_web::{get, post, put, web};
use auth::{AccountView, TemporaryPassword, UserQuery};
use db::UserId;
use db::pagination::Page;
use serde::Deserialize;
use utoipa::ToSchema;

use super::admin_vendors::StatusRequest;
use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{AdminUser, Client};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminRightsRequest {
    pub is_platform_admin: bool,
}

/// Every account, newest first, with its memberships: by name or e-mail, status, admin
/// rights or vendor.
#[utoipa::path(tag = "admin", params(UserQuery), security(("bearer" = [])), responses(
    (status = 200, body = Page<AccountView>), (status = 401, body = ErrorBody),
    (status = 422, body = ErrorBody)))]
#[get("/admin/users")]
pub async fn list(
    state: web::Data<AppState>,
    admin: AdminUser,
    query: web::Query<UserQuery>,
) -> Result<web::Json<Page<AccountView>>, ApiError> {
    let query = query.into_inner();
    let page = blocking(move || state.user_admin.list(&admin.scope, &query)).await?;
    Ok(web::Json(page))
}

/// Switches an account off (every session ends at once) or on again; never the last active
/// admin (audited).
#[utoipa::path(tag = "admin", params(("id" = i64, Path, minimum = 1)), request_body = StatusRequest,
    security(("bearer" = [])), responses(
    (status = 200, body = AccountView), (status = 401, body = ErrorBody),
    (status = 404, description = "USER_NOT_FOUND", body = ErrorBody),
    (status = 409, description = "LAST_ADMIN", body = ErrorBody), (status = 422, body = ErrorBody)))]
#[put("/admin/users/{id}/status")]
pub async fn status(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: Client,
    id: web::Path<i64>,
    body: web::Json<StatusRequest>,
) -> Result<web::Json<AccountView>, ApiError> {
    let (actor, id) = (client.actor(&admin), UserId(id.into_inner()));
    let user = blocking(move || {
        state
            .user_admin
            .set_active(&admin.scope, &actor, id, body.is_active)
    })
    .await?;
    Ok(web::Json(user))
}

/// Grants or revokes platform administration: never to a vendor's team member, never from
/// the last active admin; the person signs in again (audited).
#[utoipa::path(tag = "admin", params(("id" = i64, Path, minimum = 1)), request_body = AdminRightsRequest,
    security(("bearer" = [])), responses(
    (status = 200, body = AccountView), (status = 401, body = ErrorBody),
    (status = 404, description = "USER_NOT_FOUND", body = ErrorBody),
    (status = 409, description = "LAST_ADMIN or TEAM_MEMBER", body = ErrorBody),
    (status = 422, body = ErrorBody)))]
#[put("/admin/users/{id}/admin")]
pub async fn admin_rights(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: Client,
    id: web::Path<i64>,
    body: web::Json<AdminRightsRequest>,
) -> Result<web::Json<AccountView>, ApiError> {
    let (actor, id) = (client.actor(&admin), UserId(id.into_inner()));
    let user = blocking(move || {
        state
            .user_admin
            .set_platform_admin(&admin.scope, &actor, id, body.is_platform_admin)
    })
    .await?;
    Ok(web::Json(user))
}

/// Gives the account a temporary password, shown once in the answer; every session ends
/// (audited).
#[utoipa::path(tag = "admin", params(("id" = i64, Path, minimum = 1)), security(("bearer" = [])),
    responses((status = 200, body = TemporaryPassword), (status = 401, body = ErrorBody),
    (status = 404, description = "USER_NOT_FOUND", body = ErrorBody)))]
#[post("/admin/users/{id}/password-reset")]
pub async fn reset_password(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: Client,
    id: web::Path<i64>,
) -> Result<web::Json<TemporaryPassword>, ApiError> {
    let (actor, id) = (client.actor(&admin), UserId(id.into_inner()));
    let reset = blocking(move || state.user_admin.reset_password(&admin.scope, &actor, id)).await?;
    Ok(web::Json(reset))
}
