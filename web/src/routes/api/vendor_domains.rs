//! A vendor's custom domains: add one, see the DNS record that proves it is theirs, check it,
//! remove it [settings.edit]. Only a verified domain routes to the shop.

use actix_web::{HttpResponse, delete, get, post, web};
use teams::needs::SettingsEdit;
use tenancy::{DomainView, NewDomain};

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Client, Member};
use crate::state::AppState;

/// The shop's domains, each with its status and the TXT record to create [settings.edit].
#[utoipa::path(tag = "vendor", security(("bearer" = ["settings.edit"])),
    responses((status = 200, body = Vec<DomainView>)))]
#[get("/vendor/domains")]
pub async fn list(
    state: web::Data<AppState>,
    member: Member<SettingsEdit>,
) -> Result<web::Json<Vec<DomainView>>, ApiError> {
    let scope = member.scope();
    Ok(web::Json(
        blocking(move || state.domains.list(&scope)).await?,
    ))
}

/// Adds a domain, pending until its TXT record is found; a domain belongs to one vendor only
/// (409 `DOMAIN_TAKEN`) (audited) [settings.edit].
#[utoipa::path(tag = "vendor", request_body = NewDomain, security(("bearer" = ["settings.edit"])),
    responses((status = 201, body = DomainView),
    (status = 409, description = "DOMAIN_TAKEN", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[post("/vendor/domains")]
pub async fn add(
    state: web::Data<AppState>,
    client: Client,
    member: Member<SettingsEdit, web::Json<NewDomain>>,
) -> Result<HttpResponse, ApiError> {
    let (scope, actor) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
    );
    let input = member.input.into_inner();
    let added = blocking(move || state.domains.add(&scope, &actor, &input)).await?;
    Ok(HttpResponse::Created().json(added))
}

/// Looks the domain's TXT record up now: verified when it holds the token, otherwise pending
/// with the reason (audited) [settings.edit].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)),
    security(("bearer" = ["settings.edit"])), responses((status = 200, body = DomainView),
    (status = 404, description = "DOMAIN_NOT_FOUND", body = ErrorBody)))]
#[post("/vendor/domains/{id}/check")]
pub async fn check(
    state: web::Data<AppState>,
    client: Client,
    member: Member<SettingsEdit, web::Path<i64>>,
) -> Result<web::Json<DomainView>, ApiError> {
    let (scope, actor) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
    );
    let id = member.input.into_inner();
    let cache = state.shop_cache.clone();
    let checked = blocking(move || state.domains.check(&scope, &actor, id)).await?;
    cache.forget_vendors();
    Ok(web::Json(checked))
}

/// Removes a domain; it stops routing to the shop at once (audited) [settings.edit].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)),
    security(("bearer" = ["settings.edit"])), responses(
    (status = 204, description = "removed"),
    (status = 404, description = "DOMAIN_NOT_FOUND", body = ErrorBody)))]
#[delete("/vendor/domains/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    client: Client,
    member: Member<SettingsEdit, web::Path<i64>>,
) -> Result<HttpResponse, ApiError> {
    let (scope, actor) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
    );
    let id = member.input.into_inner();
    let cache = state.shop_cache.clone();
    blocking(move || state.domains.remove(&scope, &actor, id)).await?;
    cache.forget_vendors();
    Ok(HttpResponse::NoContent().finish())
}
