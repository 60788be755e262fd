//! Invitation links, for the person invited (no token needed: the link is the proof): what
//! the link invites to, and accepting it — with the password of the invited address's
//! account, or with a name and password for a new one — which joins the team and signs in.

use actix_web::http::StatusCode;
use actix_web::{get, post, web};
use auth::{AcceptInvitation, Session};
use teams::{InvitationPreview, InvitationToken};

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Client;
use crate::state::AppState;

fn token_of(raw: &str) -> Result<InvitationToken, ApiError> {
    InvitationToken::parse(raw).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "INVITATION_NOT_FOUND",
            "this invitation does not exist",
        )
    })
}

/// What an invitation link invites to: the vendor, the role, the address, and whether the
/// address has an account already.
#[utoipa::path(tag = "auth", params(("token" = String, Path, min_length = 42, max_length = 80)),
    responses((status = 200, body = InvitationPreview),
    (status = 404, description = "INVITATION_NOT_FOUND", body = ErrorBody),
    (status = 410, description = "INVITATION_EXPIRED, INVITATION_REVOKED or INVITATION_USED", body = ErrorBody)))]
#[get("/invitations/{token}")]
pub async fn preview(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<web::Json<InvitationPreview>, ApiError> {
    let token = token_of(&token)?;
    let found = blocking(move || state.teams.invitation_preview(&token)).await?;
    Ok(web::Json(found))
}

/// What accepting takes: the link's token and the password (with a name for a new account).
type Acceptance = (web::Path<String>, web::Json<AcceptInvitation>);

/// Accepts an invitation: an address with an account gives its password; one without gets a
/// new account (name and password). Either joins the team with the invited role and is
/// signed in to the vendor. Limited like sign-ins.
#[utoipa::path(tag = "auth", params(("token" = String, Path, min_length = 42, max_length = 80)),
    request_body = AcceptInvitation,
    responses((status = 200, body = Session),
    (status = 401, description = "INVALID_CREDENTIALS: the account's password is wrong", body = ErrorBody),
    (status = 403, description = "ACCOUNT_INACTIVE", body = ErrorBody),
    (status = 404, description = "INVITATION_NOT_FOUND", body = ErrorBody),
    (status = 409, description = "ALREADY_MEMBER", body = ErrorBody),
    (status = 410, description = "INVITATION_EXPIRED, INVITATION_REVOKED or INVITATION_USED", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody),
    (status = 429, description = "RATE_LIMITED", body = ErrorBody)))]
#[post("/invitations/{token}/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    client: Client,
    input: Acceptance,
) -> Result<web::Json<Session>, ApiError> {
    let (token, body) = input;
    let token = token_of(&token)?;
    let session =
        blocking(move || state.auth.accept_invitation(&token, &body, &client.info())).await?;
    Ok(web::Json(session))
}
