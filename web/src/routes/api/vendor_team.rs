//! The vendor's team, as its members see it.

use actix_web::{get, web};
use teams::{Member, Permission};

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::VendorMember;
use crate::state::AppState;

/// Members of the signed-in member's vendor, with their roles [team.view].
#[utoipa::path(tag = "vendor", security(("bearer" = [])), responses(
    (status = 200, body = Vec<Member>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[get("/vendor/team/members")]
pub async fn members(
    state: web::Data<AppState>,
    member: VendorMember,
) -> Result<web::Json<Vec<Member>>, ApiError> {
    member.require(Permission::TeamView)?;
    let scope = member.0.scope;
    let members = blocking(move || state.teams.members(&scope)).await?;
    Ok(web::Json(members))
}
