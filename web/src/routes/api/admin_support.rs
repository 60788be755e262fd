//! Support sessions: a platform admin acts as a vendor's team member or customer to see what
//! they see — with a reason, audited, for one access token's lifetime, never as an admin.

use actix_web::{post, web};
use auth::{LoginAs, SupportSession};

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{AdminUser, Client};
use crate::state::AppState;

/// Opens a support session as a team member (`user_id`) or customer (`customer_id`) of the
/// vendor: an access token (no refresh token) naming the admin in its `act` claim. Audited
/// with the reason.
#[utoipa::path(tag = "admin", request_body = LoginAs, security(("bearer" = [])), responses(
    (status = 200, body = SupportSession), (status = 401, body = ErrorBody),
    (status = 403, description = "CANNOT_IMPERSONATE_ADMIN, ACCOUNT_INACTIVE, NOT_A_MEMBER or VENDOR_INACTIVE", body = ErrorBody),
    (status = 404, description = "TARGET_NOT_FOUND", body = ErrorBody),
    (status = 422, body = ErrorBody)))]
#[post("/admin/login-as")]
pub async fn login_as(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: Client,
    body: web::Json<LoginAs>,
) -> Result<web::Json<SupportSession>, ApiError> {
    Ok(web::Json(
        start(state, admin, client, body.into_inner()).await?,
    ))
}

/// Opens the session (for the API and the admin pages alike).
pub async fn start(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: Client,
    input: LoginAs,
) -> Result<SupportSession, ApiError> {
    let principal = auth::AdminPrincipal {
        user: admin.user,
        scope: admin.scope,
    };
    blocking(move || state.auth.login_as(&principal, &input, &client.info())).await
}
