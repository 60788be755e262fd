//! Changing a team: custom roles (create, rename and choose permissions, delete when nobody
//! holds them; the four default roles stay as they are), members' roles, deactivation,
//! removal and ownership transfer. The rules every change keeps:
//!
//! - a member grants nothing they do not hold themselves (a role with a permission the actor
//!   lacks is refused), so a Manager can never make an Owner;
//! - the vendor always keeps an active Owner (409 `LastOwner`); changes take the vendor's
//!   team lock first, so two of them cannot both remove the last one;
//! - a member whose role or membership changes is signed out of this vendor (refresh tokens
//!   revoked); access tokens already follow the membership on every request;
//! - every change is audited.

use db::audit::{self, Actor};
use db::roles::{NewRole, Role};
use db::{RoleId, TenantTx, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::pg::parse_permissions;
use crate::{ChangeError, Permission};

/// The role every vendor keeps at least one active holder of.
pub const OWNER: &str = "Owner";

/// A role as the team page shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleView {
    #[schema(value_type = i64)]
    pub id: RoleId,
    pub name: String,
    pub permissions: Vec<Permission>,
    /// One of the four roles every vendor has (cannot be changed or deleted).
    pub is_default: bool,
    /// Members holding it (active or not).
    pub members: i64,
}

/// A custom role's name and permissions.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleInput {
    #[validate(length(min = 1, max = 60), custom(function = "not_blank"))]
    #[schema(
        min_length = 1,
        max_length = 60,
        pattern = "^[^\\u0000]*[^\\u0000\\t\\n\\r ][^\\u0000]*$"
    )]
    pub name: String,
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub permissions: Vec<Permission>,
}

fn not_blank(value: &str) -> Result<(), ValidationError> {
    if value.trim_matches([' ', '\t', '\n', '\r']).is_empty() {
        return Err(ValidationError::new("blank").with_message("name the role".into()));
    }
    Ok(())
}

/// A member's new role.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleChange {
    #[schema(value_type = i64, minimum = 1)]
    pub role_id: RoleId,
}

/// A membership switched on or off.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MembershipState {
    pub is_active: bool,
}

/// Who becomes the vendor's owner.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnershipTransfer {
    #[schema(value_type = i64, minimum = 1)]
    pub user_id: UserId,
}

pub(crate) fn role_view(role: Role, members: i64) -> RoleView {
    RoleView {
        permissions: parse_permissions(&role),
        id: role.id,
        name: role.name,
        is_default: role.is_default,
        members,
    }
}

fn stored(permissions: &[Permission]) -> Vec<Option<String>> {
    let mut sorted = permissions.to_vec();
    sorted.sort();
    sorted.dedup();
    sorted.iter().map(|p| Some(p.as_str().to_owned())).collect()
}

/// Refuses to grant what the actor does not hold.
pub(crate) fn within(held: &[Permission], granted: &[Permission]) -> Result<(), ChangeError> {
    match granted.iter().find(|p| !held.contains(p)) {
        Some(missing) => Err(ChangeError::BeyondOwnPermissions(missing.as_str())),
        None => Ok(()),
    }
}

/// The actor's own permissions in this vendor. Called first by every change: it takes the
/// vendor's team lock (the Owner role's row), so changes run one at a time and two of them
/// can neither deadlock nor both remove the last Owner.
pub(crate) fn held(tx: &mut TenantTx<'_>, actor: &Actor) -> Result<Vec<Permission>, ChangeError> {
    db::roles::lock_default(tx, OWNER)?;
    let (member, role) =
        db::vendor_users::lock_member(tx, actor.user_id)?.ok_or(ChangeError::NotAMember)?;
    // Switched off by a change that committed while this request was on its way.
    if !member.is_active {
        return Err(ChangeError::NotAMember);
    }
    Ok(parse_permissions(&role))
}

pub(crate) fn record(
    tx: &mut TenantTx<'_>,
    actor: &Actor,
    action: &str,
    target_type: &str,
    target_id: String,
    details: serde_json::Value,
) -> Result<(), ChangeError> {
    audit::record(
        tx,
        actor,
        audit::Event {
            action,
            target_type,
            target_id,
            details,
        },
    )?;
    Ok(())
}

fn taken(e: db::diesel_error::Error) -> ChangeError {
    let e = db::Error::from(e);
    if e.unique_violation() == Some("roles_vendor_name_key") {
        return ChangeError::RoleNameTaken;
    }
    ChangeError::Storage(e)
}

pub(crate) fn create_role(
    tx: &mut TenantTx<'_>,
    actor: &Actor,
    input: &RoleInput,
) -> Result<RoleView, ChangeError> {
    input.validate()?;
    within(&held(tx, actor)?, &input.permissions)?;
    let name = input.name.trim();
    let created = db::roles::insert_many(
        tx,
        &[NewRole {
            name,
            permissions: stored(&input.permissions),
            is_default: false,
        }],
    )
    .map_err(taken)?;
    let role = created
        .into_iter()
        .next()
        .ok_or(ChangeError::RoleNotFound)?;
    let details = serde_json::json!({ "name": name, "permissions": &input.permissions });
    record(
        tx,
        actor,
        "team.role_create",
        "role",
        role.id.to_string(),
        details,
    )?;
    Ok(role_view(role, 0))
}

pub(crate) fn update_role(
    tx: &mut TenantTx<'_>,
    actor: &Actor,
    id: RoleId,
    input: &RoleInput,
) -> Result<RoleView, ChangeError> {
    input.validate()?;
    let role = db::roles::find(tx, id)?.ok_or(ChangeError::RoleNotFound)?;
    if role.is_default {
        return Err(ChangeError::DefaultRole);
    }
    within(&held(tx, actor)?, &input.permissions)?;
    let before = parse_permissions(&role);
    let name = input.name.trim();
    let updated = db::roles::update(tx, id, name, &stored(&input.permissions)).map_err(taken)?;
    let holders = db::vendor_users::users_in_role(tx, id)?;
    // Members who lose a permission start their sessions again with the new role.
    if before.iter().any(|p| !input.permissions.contains(p)) {
        for user in &holders {
            db::refresh_tokens::revoke_member(tx, *user)?;
        }
    }
    let details = serde_json::json!({ "name": name, "permissions": &input.permissions });
    record(
        tx,
        actor,
        "team.role_update",
        "role",
        id.to_string(),
        details,
    )?;
    Ok(role_view(
        updated,
        i64::try_from(holders.len()).unwrap_or(i64::MAX),
    ))
}

pub(crate) fn delete_role(
    tx: &mut TenantTx<'_>,
    actor: &Actor,
    id: RoleId,
) -> Result<(), ChangeError> {
    held(tx, actor)?;
    let role = db::roles::find(tx, id)?.ok_or(ChangeError::RoleNotFound)?;
    if role.is_default {
        return Err(ChangeError::DefaultRole);
    }
    if !db::vendor_users::users_in_role(tx, id)?.is_empty() {
        return Err(ChangeError::RoleInUse);
    }
    db::roles::delete(tx, id)?;
    let details = serde_json::json!({ "name": role.name });
    record(
        tx,
        actor,
        "team.role_delete",
        "role",
        id.to_string(),
        details,
    )
}

/// Refuses a change that would leave the vendor with no active Owner: `member` holds `role`
/// now and would stop being an active Owner.
fn keeps_an_owner(tx: &mut TenantTx<'_>, role: &Role, active: bool) -> Result<(), ChangeError> {
    let is_owner = role.is_default && role.name == OWNER;
    if is_owner && active && db::vendor_users::count_active_in_role(tx, role.id)? <= 1 {
        return Err(ChangeError::LastOwner);
    }
    Ok(())
}

pub(crate) fn change_role(
    tx: &mut TenantTx<'_>,
    actor: &Actor,
    user: UserId,
    to: RoleId,
) -> Result<(), ChangeError> {
    let mine = held(tx, actor)?;
    let (member, role) =
        db::vendor_users::lock_member(tx, user)?.ok_or(ChangeError::MemberNotFound)?;
    let target = db::roles::find(tx, to)?.ok_or(ChangeError::RoleNotFound)?;
    within(&mine, &parse_permissions(&target))?;
    // Taking a role away is granting too: only who holds everything it gives may change it.
    within(&mine, &parse_permissions(&role))?;
    if role.id == target.id {
        return Ok(());
    }
    keeps_an_owner(tx, &role, member.is_active)?;
    db::vendor_users::set_role(tx, user, to)?;
    db::refresh_tokens::revoke_member(tx, user)?;
    let details = serde_json::json!({ "from": role.name, "to": target.name });
    record(
        tx,
        actor,
        "team.member_role",
        "user",
        user.to_string(),
        details,
    )
}

pub(crate) fn set_active(
    tx: &mut TenantTx<'_>,
    actor: &Actor,
    user: UserId,
    active: bool,
) -> Result<(), ChangeError> {
    let mine = held(tx, actor)?;
    let (member, role) =
        db::vendor_users::lock_member(tx, user)?.ok_or(ChangeError::MemberNotFound)?;
    within(&mine, &parse_permissions(&role))?;
    if member.is_active == active {
        return Ok(());
    }
    if !active {
        keeps_an_owner(tx, &role, member.is_active)?;
        db::refresh_tokens::revoke_member(tx, user)?;
    }
    db::vendor_users::set_active(tx, user, active)?;
    let action = match active {
        true => "team.member_activate",
        false => "team.member_deactivate",
    };
    record(
        tx,
        actor,
        action,
        "user",
        user.to_string(),
        serde_json::json!({}),
    )
}

pub(crate) fn remove(
    tx: &mut TenantTx<'_>,
    actor: &Actor,
    user: UserId,
) -> Result<(), ChangeError> {
    let mine = held(tx, actor)?;
    let (member, role) =
        db::vendor_users::lock_member(tx, user)?.ok_or(ChangeError::MemberNotFound)?;
    within(&mine, &parse_permissions(&role))?;
    keeps_an_owner(tx, &role, member.is_active)?;
    db::refresh_tokens::revoke_member(tx, user)?;
    db::vendor_users::delete(tx, user)?;
    let details = serde_json::json!({ "role": role.name });
    record(
        tx,
        actor,
        "team.member_remove",
        "user",
        user.to_string(),
        details,
    )
}

/// The actor (an Owner) hands ownership to another active member: they become an Owner and
/// the owner of record; the actor stays a member as Manager.
pub(crate) fn transfer(
    tx: &mut TenantTx<'_>,
    actor: &Actor,
    to: UserId,
) -> Result<(), ChangeError> {
    held(tx, actor)?;
    let (_, mine) =
        db::vendor_users::lock_member(tx, actor.user_id)?.ok_or(ChangeError::NotAMember)?;
    if !(mine.is_default && mine.name == OWNER) {
        return Err(ChangeError::BeyondOwnPermissions("ownership"));
    }
    let (member, _) = db::vendor_users::lock_member(tx, to)?.ok_or(ChangeError::MemberNotFound)?;
    if !member.is_active || to == actor.user_id {
        return Err(ChangeError::MemberNotFound);
    }
    let owner = db::roles::find_default(tx, OWNER)?.ok_or(ChangeError::RoleNotFound)?;
    let manager = db::roles::find_default(tx, "Manager")?.ok_or(ChangeError::RoleNotFound)?;
    db::vendor_users::set_role(tx, to, owner.id)?;
    db::vendors::set_owner(tx, to)?;
    db::vendor_users::set_role(tx, actor.user_id, manager.id)?;
    db::refresh_tokens::revoke_member(tx, actor.user_id)?;
    let details = serde_json::json!({ "to": to });
    record(
        tx,
        actor,
        "team.ownership_transfer",
        "user",
        to.to_string(),
        details,
    )
}
