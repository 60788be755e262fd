//! A vendor's own shop settings: its theme (colours, font, logo, list layout).

use actix_web::{get, put, web};
use teams::needs::SettingsEdit;
use tenancy::Theme;

use crate::blocking::blocking;
use crate::error::ApiError;
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
    let saved = blocking(move || state.shop_settings.set_theme(&scope, &actor, &body)).await?;
    Ok(web::Json(saved))
}
