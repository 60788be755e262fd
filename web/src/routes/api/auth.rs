//! Sign-in, token refresh, logout and "who am I" for API clients.

use actix_web::{HttpResponse, get, post, web};
use auth::{AdminLogin, Principal, Session, SwitchVendor, TokenPair, VendorLogin};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{AnyPrincipal, Client, VendorClaims};
use crate::state::AppState;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub refresh_token: String,
}

/// A platform administrator signs in.
#[utoipa::path(tag = "auth", request_body = AdminLogin, responses(
    (status = 200, body = Session), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
#[post("/admin/auth/login")]
pub async fn admin_login(
    state: web::Data<AppState>,
    client: Client,
    body: web::Json<AdminLogin>,
) -> Result<web::Json<Session>, ApiError> {
    let session = blocking(move || state.auth.admin_login(&body, &client.info())).await?;
    Ok(web::Json(session))
}

/// A vendor team member signs in to one vendor.
#[utoipa::path(tag = "auth", request_body = VendorLogin, responses(
    (status = 200, body = Session), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 429, body = ErrorBody)))]
#[post("/vendor/auth/login")]
pub async fn vendor_login(
    state: web::Data<AppState>,
    client: Client,
    body: web::Json<VendorLogin>,
) -> Result<web::Json<Session>, ApiError> {
    let session = blocking(move || state.auth.vendor_login(&body, &client.info())).await?;
    Ok(web::Json(session))
}

/// The vendors the signed-in member may act for, with their role in each (the switcher). In
/// a browser it reads the vendor portal's session, whatever other portal it is signed in to.
#[utoipa::path(tag = "auth", security(("bearer" = [])), responses(
    (status = 200, body = Vec<auth::MemberVendor>), (status = 401, body = ErrorBody)))]
#[get("/vendor/auth/vendors")]
pub async fn member_vendors(
    state: web::Data<AppState>,
    principal: VendorClaims,
) -> Result<web::Json<Vec<auth::MemberVendor>>, ApiError> {
    let vendors = blocking(move || state.auth.member_vendors(&principal.0)).await?;
    Ok(web::Json(vendors))
}

/// A member moves to another vendor they belong to: a new token pair for it.
#[utoipa::path(tag = "auth", request_body = SwitchVendor, security(("bearer" = [])), responses(
    (status = 200, body = Session), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[post("/vendor/auth/switch")]
pub async fn switch_vendor(
    state: web::Data<AppState>,
    principal: AnyPrincipal,
    body: web::Json<SwitchVendor>,
) -> Result<web::Json<Session>, ApiError> {
    let session = blocking(move || state.auth.switch_vendor(&principal.0, &body)).await?;
    Ok(web::Json(session))
}

/// Spends a refresh token for a new pair; a spent token used again ends the session.
#[utoipa::path(tag = "auth", request_body = RefreshRequest, responses(
    (status = 200, body = TokenPair), (status = 401, body = ErrorBody)))]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> Result<web::Json<TokenPair>, ApiError> {
    body.validate().map_err(|e| ApiError::validation(&e))?;
    let pair = blocking(move || state.auth.refresh(&body.refresh_token)).await?;
    Ok(web::Json(pair))
}

/// Ends the session the refresh token belongs to.
#[utoipa::path(tag = "auth", request_body = RefreshRequest, responses((status = 204, description = "signed out")))]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    body.validate().map_err(|e| ApiError::validation(&e))?;
    blocking(move || state.auth.logout(&body.refresh_token)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Who the bearer is: kind, user, and for vendor members the vendor, role and permissions.
#[utoipa::path(tag = "auth", security(("bearer" = [])), responses(
    (status = 200, body = Principal), (status = 401, body = ErrorBody)))]
#[get("/auth/me")]
pub async fn me(
    state: web::Data<AppState>,
    principal: AnyPrincipal,
) -> Result<web::Json<Principal>, ApiError> {
    let me = blocking(move || state.auth.principal(&principal.0)).await?;
    Ok(web::Json(me))
}
