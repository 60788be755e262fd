//! Every vendor's custom domains, for platform administrators: check or force-verify, remove.

use actix_web::{HttpResponse, delete, get, post, web};
use db::pagination::Page;
use tenancy::{AdminVerify, DomainQuery, DomainView};

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{AdminUser, Client};
use crate::state::AppState;

/// Every vendor's domains, newest first, verified or pending.
#[utoipa::path(tag = "admin", params(DomainQuery), security(("bearer" = [])), responses(
    (status = 200, body = Page<DomainView>), (status = 401, body = ErrorBody)))]
#[get("/admin/domains")]
pub async fn list(
    state: web::Data<AppState>,
    admin: AdminUser,
    query: web::Query<DomainQuery>,
) -> Result<web::Json<Page<DomainView>>, ApiError> {
    let query = query.into_inner();
    let page = blocking(move || state.domains.list_all(&admin.scope, &query)).await?;
    Ok(web::Json(page))
}

/// Checks a domain's TXT record now, or verifies it without one (`force`) (audited).
#[utoipa::path(tag = "admin", params(("id" = i64, Path, minimum = 1)), request_body = AdminVerify,
    security(("bearer" = [])), responses((status = 200, body = DomainView),
    (status = 401, body = ErrorBody), (status = 404, description = "DOMAIN_NOT_FOUND", body = ErrorBody),
    (status = 422, body = ErrorBody)))]
#[post("/admin/domains/{id}/verify")]
pub async fn verify(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: Client,
    id: web::Path<i64>,
    body: web::Json<AdminVerify>,
) -> Result<web::Json<DomainView>, ApiError> {
    let (actor, id) = (client.actor(&admin), id.into_inner());
    let cache = state.shop_cache.clone();
    let checked =
        blocking(move || state.domains.admin_verify(&admin.scope, &actor, id, &body)).await?;
    cache.forget_vendors();
    Ok(web::Json(checked))
}

/// Removes any vendor's domain (audited).
#[utoipa::path(tag = "admin", params(("id" = i64, Path, minimum = 1)), security(("bearer" = [])),
    responses((status = 204, description = "removed"), (status = 401, body = ErrorBody),
    (status = 404, description = "DOMAIN_NOT_FOUND", body = ErrorBody)))]
#[delete("/admin/domains/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: Client,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (actor, id) = (client.actor(&admin), id.into_inner());
    let cache = state.shop_cache.clone();
    blocking(move || state.domains.admin_remove(&admin.scope, &actor, id)).await?;
    cache.forget_vendors();
    Ok(HttpResponse::NoContent().finish())
}
