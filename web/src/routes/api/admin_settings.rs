//! Platform settings for administrators: typed values, each change audited and seen by the
//! next request.

use actix_web::{get, put, web};
use platform::{SettingChange, SettingView};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{AdminUser, Client};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct SettingPath {
    /// A setting's key, as the list names them.
    #[param(pattern = "^[a-z_]{1,64}$")]
    pub key: String,
}

/// Every platform setting: its value, type (`text`, `email`, `choice`, `integer`, `boolean`),
/// limits, default and who changed it last.
#[utoipa::path(tag = "admin", security(("bearer" = [])), responses(
    (status = 200, body = Vec<SettingView>), (status = 401, body = ErrorBody)))]
#[get("/admin/settings")]
pub async fn list(
    state: web::Data<AppState>,
    admin: AdminUser,
) -> Result<web::Json<Vec<SettingView>>, ApiError> {
    let settings = blocking(move || state.platform_settings.list(&admin.scope)).await?;
    Ok(web::Json(settings))
}

/// Changes one setting; a value of the wrong type or out of range answers 422 naming the key
/// (audited).
#[utoipa::path(tag = "admin", params(SettingPath), request_body = SettingChange,
    security(("bearer" = [])), responses(
    (status = 200, body = SettingView), (status = 401, body = ErrorBody),
    (status = 404, description = "SETTING_NOT_FOUND", body = ErrorBody),
    (status = 422, body = ErrorBody)))]
#[put("/admin/settings/{key}")]
pub async fn set(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: Client,
    path: web::Path<SettingPath>,
    body: web::Json<SettingChange>,
) -> Result<web::Json<SettingView>, ApiError> {
    let actor = client.actor(&admin);
    let key = path.into_inner().key;
    let setting = blocking(move || {
        state
            .platform_settings
            .set(&admin.scope, &actor, &key, &body)
    })
    .await?;
    Ok(web::Json(setting))
}
