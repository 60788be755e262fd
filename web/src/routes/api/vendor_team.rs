//! The vendor's team, as its members see it.

use actix_web::{get, web};
use teams::needs::TeamView;

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Member;
use crate::state::AppState;

/// Members of the signed-in member's vendor, with their roles [team.view].
#[utoipa::path(tag = "vendor", security(("bearer" = ["team.view"])), responses(
    (status = 200, body = Vec<teams::Member>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[get("/vendor/team/members")]
pub async fn members(
    state: web::Data<AppState>,
    member: Member<TeamView>,
) -> Result<web::Json<Vec<teams::Member>>, ApiError> {
    let scope = member.scope();
    let members = blocking(move || state.teams.members(&scope)).await?;
    Ok(web::Json(members))
}
