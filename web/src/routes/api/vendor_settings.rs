//! A vendor's own shop settings: its theme (colours, font, logo, list layout), an uploaded
//! logo, and checkout (shipping rates, VAT, payment methods).

use actix_multipart::form::MultipartForm;
use actix_web::{get, post, put, web};
use media::ImageKey;
use teams::needs::SettingsEdit;
use tenancy::Theme;

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Client, Member};
use crate::state::AppState;

/// The shop's theme [settings.edit].
#[utoipa::path(tag = "vendor", security(("bearer" = ["settings.edit"])),
    responses((status = 200, body = Theme)))]
#[get("/vendor/settings/theme")]
pub async fn theme(
    state: web::Data<AppState>,
    member: Member<SettingsEdit>,
) -> Result<web::Json<Theme>, ApiError> {
    let scope = member.scope();
    let current = blocking(move || state.shop_settings.theme(&scope)).await?;
    Ok(web::Json(current))
}

/// Replaces the shop's theme; the shop shows it on its next page (audited) [settings.edit].
#[utoipa::path(tag = "vendor", request_body = Theme, security(("bearer" = ["settings.edit"])),
    responses((status = 200, body = Theme)))]
#[put("/vendor/settings/theme")]
pub async fn set_theme(
    state: web::Data<AppState>,
    client: Client,
    member: Member<SettingsEdit, web::Json<Theme>>,
) -> Result<web::Json<Theme>, ApiError> {
    let (scope, actor, body) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
        member.input.into_inner(),
    );
    let cache = state.shop_cache.clone();
    let saved = blocking(move || state.shop_settings.set_theme(&scope, &actor, &body)).await?;
    cache.forget_vendors();
    Ok(web::Json(saved))
}

/// A logo upload: the same form as a product image's.
type LogoUpload =
    Result<MultipartForm<super::vendor_product_images::ImageUpload>, actix_web::Error>;

/// Uploads the shop's logo (multipart field `file`: JPEG, PNG or WebP), checked and
/// re-encoded like a product image; the theme then points at its large rendition (at most
/// 1,600 pixels) [settings.edit].
#[utoipa::path(tag = "vendor",
    request_body(content = super::vendor_product_images::ImageUpload, content_type = "multipart/form-data"),
    security(("bearer" = ["settings.edit"])),
    responses((status = 200, body = Theme),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 422, description = "NOT_AN_IMAGE, IMAGE_TOO_LARGE or IMAGE_DAMAGED", body = ErrorBody)))]
#[post("/vendor/settings/logo")]
pub async fn upload_logo(
    state: web::Data<AppState>,
    client: Client,
    member: Member<SettingsEdit, LogoUpload>,
) -> Result<web::Json<Theme>, ApiError> {
    let (scope, actor) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
    );
    let data = member
        .input
        .map_err(|e| ApiError::upload(&e))?
        .into_inner()
        .file
        .data;
    let prepared = blocking(move || media::images::prepare(&data)).await?;
    let key = ImageKey::new(scope.vendor_id().0);
    state.media.put_image(&key, prepared).await?;
    let url = state.media.url(&key.large());
    let saved = {
        let state = state.clone();
        blocking(move || state.shop_settings.set_logo(&scope, &actor, &url)).await
    };
    if saved.is_err()
        && let Err(cleanup) = state.media.delete_image(&key).await
    {
        tracing::warn!(error = %cleanup, key = key.as_str(), "unused logo left in storage");
    }
    state.shop_cache.forget_vendors();
    Ok(web::Json(saved?))
}

/// The shop's checkout settings: delivery rate and free-shipping threshold, pickup, VAT rate,
/// payment methods, bank account [settings.edit].
#[utoipa::path(tag = "vendor", security(("bearer" = ["settings.edit"])),
    responses((status = 200, body = orders::CheckoutSettings)))]
#[get("/vendor/settings/checkout")]
pub async fn checkout(
    state: web::Data<AppState>,
    member: Member<SettingsEdit>,
) -> Result<web::Json<orders::CheckoutSettings>, ApiError> {
    let scope = member.scope();
    let current = blocking(move || state.orders.settings(&scope)).await?;
    Ok(web::Json(current))
}

/// Replaces the shop's checkout settings; the next checkout uses them. `card` needs a connected
/// Stripe account (audited) [settings.edit].
#[utoipa::path(tag = "vendor", request_body = orders::CheckoutSettings,
    security(("bearer" = ["settings.edit"])),
    responses((status = 200, body = orders::CheckoutSettings),
    (status = 409, description = "METHOD_UNAVAILABLE: `card` without a connected Stripe account", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR (an IBAN's check digits are checked too)", body = ErrorBody)))]
#[put("/vendor/settings/checkout")]
pub async fn set_checkout(
    state: web::Data<AppState>,
    client: Client,
    member: Member<SettingsEdit, web::Json<orders::CheckoutSettings>>,
) -> Result<web::Json<orders::CheckoutSettings>, ApiError> {
    let (scope, actor, body) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
        member.input.into_inner(),
    );
    let saved = blocking(move || state.orders.set_settings(&scope, &actor, &body)).await?;
    Ok(web::Json(saved))
}
