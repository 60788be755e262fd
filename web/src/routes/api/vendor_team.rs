//! The vendor's team: members with their roles and last sign-in, the roles (custom ones
//! created, changed and deleted), a member's role, deactivation and removal, and ownership
//! transfer — every change audited, none leaving the vendor without an active Owner, and none
//! granting more than the acting member holds.

use actix_web::{HttpResponse, delete, get, post, put, web};
use db::{RoleId, UserId};
use teams::needs::{TeamInvite, TeamManage, TeamRemove, TeamView};
use teams::{
    InvitationInput, InvitationView, MembershipState, OwnershipTransfer, RoleChange, RoleInput,
    RoleView,
};

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Client, Member};
use crate::state::AppState;

/// Members of the signed-in member's vendor, with their roles and last sign-in [team.view].
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

/// The vendor's roles, the four defaults first, with their permissions and how many members
/// hold each [team.view].
#[utoipa::path(tag = "vendor", security(("bearer" = ["team.view"])),
    responses((status = 200, body = Vec<RoleView>)))]
#[get("/vendor/team/roles")]
pub async fn roles(
    state: web::Data<AppState>,
    member: Member<TeamView>,
) -> Result<web::Json<Vec<RoleView>>, ApiError> {
    let scope = member.scope();
    let roles = blocking(move || state.teams.roles(&scope)).await?;
    Ok(web::Json(roles))
}

/// Creates a custom role with permissions the acting member holds (audited) [team.manage].
#[utoipa::path(tag = "vendor", request_body = RoleInput, security(("bearer" = ["team.manage"])),
    responses((status = 201, body = RoleView),
    (status = 403, description = "PERMISSION_DENIED or BEYOND_OWN_PERMISSIONS", body = ErrorBody),
    (status = 409, description = "ROLE_NAME_TAKEN", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[post("/vendor/team/roles")]
pub async fn create_role(
    state: web::Data<AppState>,
    client: Client,
    member: Member<TeamManage, web::Json<RoleInput>>,
) -> Result<HttpResponse, ApiError> {
    let (scope, actor) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
    );
    let input = member.input.into_inner();
    let role = blocking(move || state.teams.create_role(&scope, &actor, &input)).await?;
    Ok(HttpResponse::Created().json(role))
}

/// What changing a role takes: its id and its new name and permissions.
type RoleEdit = (web::Path<i64>, web::Json<RoleInput>);

/// Renames a custom role and sets its permissions; members who lose a permission are signed
/// out of this vendor. The default roles cannot be changed (audited) [team.manage].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)), request_body = RoleInput,
    security(("bearer" = ["team.manage"])),
    responses((status = 200, body = RoleView),
    (status = 403, description = "PERMISSION_DENIED or BEYOND_OWN_PERMISSIONS", body = ErrorBody),
    (status = 404, description = "ROLE_NOT_FOUND", body = ErrorBody),
    (status = 409, description = "DEFAULT_ROLE or ROLE_NAME_TAKEN", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[put("/vendor/team/roles/{id}")]
pub async fn update_role(
    state: web::Data<AppState>,
    client: Client,
    member: Member<TeamManage, RoleEdit>,
) -> Result<web::Json<RoleView>, ApiError> {
    let (scope, actor) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
    );
    let (id, input) = member.input;
    let id = RoleId(id.into_inner());
    let role = blocking(move || state.teams.update_role(&scope, &actor, id, &input)).await?;
    Ok(web::Json(role))
}

/// Deletes a custom role no member holds (audited) [team.manage].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)), security(("bearer" = ["team.manage"])),
    responses((status = 204, description = "deleted"),
    (status = 404, description = "ROLE_NOT_FOUND", body = ErrorBody),
    (status = 409, description = "DEFAULT_ROLE or ROLE_IN_USE", body = ErrorBody)))]
#[delete("/vendor/team/roles/{id}")]
pub async fn delete_role(
    state: web::Data<AppState>,
    client: Client,
    member: Member<TeamManage, web::Path<i64>>,
) -> Result<HttpResponse, ApiError> {
    let (scope, actor) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
    );
    let id = RoleId(member.input.into_inner());
    blocking(move || state.teams.delete_role(&scope, &actor, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// What changing a member's role takes.
type MemberRole = (web::Path<i64>, web::Json<RoleChange>);

/// Gives a member another role; they are signed out of this vendor to start again with it.
/// Nobody grants or takes away what they do not hold, and the last active Owner keeps the role
/// (audited) [team.manage].
#[utoipa::path(tag = "vendor", params(("user_id" = i64, Path, minimum = 1)), request_body = RoleChange,
    security(("bearer" = ["team.manage"])),
    responses((status = 200, body = teams::Member),
    (status = 403, description = "PERMISSION_DENIED or BEYOND_OWN_PERMISSIONS", body = ErrorBody),
    (status = 404, description = "MEMBER_NOT_FOUND or ROLE_NOT_FOUND", body = ErrorBody),
    (status = 409, description = "LAST_OWNER", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[put("/vendor/team/members/{user_id}/role")]
pub async fn change_role(
    state: web::Data<AppState>,
    client: Client,
    member: Member<TeamManage, MemberRole>,
) -> Result<web::Json<teams::Member>, ApiError> {
    let (scope, actor) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
    );
    let (user, body) = member.input;
    let (user, role) = (UserId(user.into_inner()), body.role_id);
    let changed =
        blocking(move || state.teams.change_member_role(&scope, &actor, user, role)).await?;
    Ok(web::Json(changed))
}

/// What switching a membership takes.
type MemberSwitch = (web::Path<i64>, web::Json<MembershipState>);

/// Switches a membership off — the member is signed out of this vendor at once and refused
/// on their next request — or on again; never the last active Owner (audited) [team.manage].
#[utoipa::path(tag = "vendor", params(("user_id" = i64, Path, minimum = 1)), request_body = MembershipState,
    security(("bearer" = ["team.manage"])),
    responses((status = 200, body = teams::Member),
    (status = 403, description = "PERMISSION_DENIED or BEYOND_OWN_PERMISSIONS", body = ErrorBody),
    (status = 404, description = "MEMBER_NOT_FOUND", body = ErrorBody),
    (status = 409, description = "LAST_OWNER", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[put("/vendor/team/members/{user_id}/active")]
pub async fn set_active(
    state: web::Data<AppState>,
    client: Client,
    member: Member<TeamManage, MemberSwitch>,
) -> Result<web::Json<teams::Member>, ApiError> {
    let (scope, actor) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
    );
    let (user, body) = member.input;
    let (user, active) = (UserId(user.into_inner()), body.is_active);
    let changed =
        blocking(move || state.teams.set_member_active(&scope, &actor, user, active)).await?;
    Ok(web::Json(changed))
}

/// Removes a member from the team (their account stays); never the last active Owner
/// (audited) [team.remove].
#[utoipa::path(tag = "vendor", params(("user_id" = i64, Path, minimum = 1)), security(("bearer" = ["team.remove"])),
    responses((status = 204, description = "removed"),
    (status = 403, description = "PERMISSION_DENIED or BEYOND_OWN_PERMISSIONS", body = ErrorBody),
    (status = 404, description = "MEMBER_NOT_FOUND", body = ErrorBody),
    (status = 409, description = "LAST_OWNER", body = ErrorBody)))]
#[delete("/vendor/team/members/{user_id}")]
pub async fn remove(
    state: web::Data<AppState>,
    client: Client,
    member: Member<TeamRemove, web::Path<i64>>,
) -> Result<HttpResponse, ApiError> {
    let (scope, actor) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
    );
    let user = UserId(member.input.into_inner());
    blocking(move || state.teams.remove_member(&scope, &actor, user)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The acting Owner hands ownership to another active member, who becomes an Owner and the
/// owner of record; the acting Owner stays as Manager (audited) [team.manage].
#[utoipa::path(tag = "vendor", request_body = OwnershipTransfer, security(("bearer" = ["team.manage"])),
    responses((status = 200, body = Vec<teams::Member>),
    (status = 403, description = "PERMISSION_DENIED, or BEYOND_OWN_PERMISSIONS: only an Owner transfers ownership", body = ErrorBody),
    (status = 404, description = "MEMBER_NOT_FOUND (or not active)", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[post("/vendor/team/ownership")]
pub async fn transfer(
    state: web::Data<AppState>,
    client: Client,
    member: Member<TeamManage, web::Json<OwnershipTransfer>>,
) -> Result<web::Json<Vec<teams::Member>>, ApiError> {
    let (scope, actor) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
    );
    let to = member.input.into_inner().user_id;
    let team = blocking(move || state.teams.transfer_ownership(&scope, &actor, to)).await?;
    Ok(web::Json(team))
}

/// Invites an address to the team with a role the acting member may grant; the address gets
/// a link that works once for seven days (audited) [team.invite].
#[utoipa::path(tag = "vendor", request_body = InvitationInput, security(("bearer" = ["team.invite"])),
    responses((status = 201, body = InvitationView),
    (status = 403, description = "PERMISSION_DENIED or BEYOND_OWN_PERMISSIONS (a role with more than the inviter holds)", body = ErrorBody),
    (status = 404, description = "ROLE_NOT_FOUND", body = ErrorBody),
    (status = 409, description = "ALREADY_MEMBER or INVITATION_PENDING", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[post("/vendor/team/invitations")]
pub async fn invite(
    state: web::Data<AppState>,
    client: Client,
    member: Member<TeamInvite, web::Json<InvitationInput>>,
) -> Result<HttpResponse, ApiError> {
    let (scope, actor) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
    );
    let input = member.input.into_inner();
    let invitation = blocking(move || state.teams.invite(&scope, &actor, &input)).await?;
    Ok(HttpResponse::Created().json(invitation))
}

/// The team's open invitations, newest first (expired ones marked) [team.view].
#[utoipa::path(tag = "vendor", security(("bearer" = ["team.view"])),
    responses((status = 200, body = Vec<InvitationView>)))]
#[get("/vendor/team/invitations")]
pub async fn invitations(
    state: web::Data<AppState>,
    member: Member<TeamView>,
) -> Result<web::Json<Vec<InvitationView>>, ApiError> {
    let scope = member.scope();
    let open = blocking(move || state.teams.invitations(&scope)).await?;
    Ok(web::Json(open))
}

/// Withdraws an open invitation: its link stops working (audited) [team.invite].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)), security(("bearer" = ["team.invite"])),
    responses((status = 204, description = "revoked"),
    (status = 403, description = "PERMISSION_DENIED or BEYOND_OWN_PERMISSIONS", body = ErrorBody),
    (status = 404, description = "INVITATION_NOT_FOUND", body = ErrorBody)))]
#[delete("/vendor/team/invitations/{id}")]
pub async fn revoke_invitation(
    state: web::Data<AppState>,
    client: Client,
    member: Member<TeamInvite, web::Path<i64>>,
) -> Result<HttpResponse, ApiError> {
    let (scope, actor) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
    );
    let id = member.input.into_inner();
    blocking(move || state.teams.revoke_invitation(&scope, &actor, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Sends an open invitation again with a new link and seven more days; the old link stops
/// working (audited) [team.invite].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)), security(("bearer" = ["team.invite"])),
    responses((status = 200, body = InvitationView),
    (status = 403, description = "PERMISSION_DENIED or BEYOND_OWN_PERMISSIONS", body = ErrorBody),
    (status = 404, description = "INVITATION_NOT_FOUND", body = ErrorBody)))]
#[post("/vendor/team/invitations/{id}/resend")]
pub async fn resend_invitation(
    state: web::Data<AppState>,
    client: Client,
    member: Member<TeamInvite, web::Path<i64>>,
) -> Result<web::Json<InvitationView>, ApiError> {
    let (scope, actor) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
    );
    let id = member.input.into_inner();
    let renewed = blocking(move || state.teams.resend_invitation(&scope, &actor, id)).await?;
    Ok(web::Json(renewed))
}
