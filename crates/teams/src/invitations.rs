//! Invitations to a vendor's team. An Owner or Manager invites an e-mail address with a role
//! (never one with more than they hold); the address gets a link with a random token, of
//! which only the SHA-256 hash is stored. The token names its vendor (`{vendor id}.{random}`),
//! so it is looked up inside that vendor's wall; it expires, works once, and can be revoked
//! or sent again (a new token, the old one dead). Accepting (the auth crate: a new account,
//! or the password of an existing one) joins the team with the invited role.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use db::audit::Actor;
use db::invitations::{self as repo, Invitation, NewInvitation};
use db::{Email, RoleId, TenantScope, TenantTx, UserId, VendorId};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use validator::Validate;

use crate::ChangeError;
use crate::management::{held, record, within};
use crate::pg::parse_permissions;

/// How long an invitation works.
pub const INVITATION_DAYS: i64 = 7;

/// Whom to invite, in which role.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationInput {
    #[validate(email(message = "enter a valid e-mail address"), length(max = 254))]
    #[schema(format = "email", max_length = 254)]
    pub email: String,
    #[schema(value_type = i64, minimum = 1)]
    pub role_id: RoleId,
}

/// An open invitation as the team page lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InvitationView {
    pub id: i64,
    pub email: String,
    #[schema(value_type = i64)]
    pub role_id: RoleId,
    pub role: String,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    /// Past its expiry (send it again for a new link).
    pub expired: bool,
}

/// What an invitation link says before it is accepted.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InvitationPreview {
    pub vendor_name: String,
    pub vendor_code: String,
    pub email: String,
    pub role: String,
    /// Whether the address has an account already (sign in with its password to accept).
    pub has_account: bool,
}

/// An invitation token: the vendor it names and the hash it is stored under.
pub struct InvitationToken {
    pub vendor: VendorId,
    pub hash: String,
}

impl InvitationToken {
    /// Reads a token from a link; `None` for anything that is not one.
    pub fn parse(token: &str) -> Option<Self> {
        let (vendor, random) = token.split_once('.')?;
        let vendor = vendor.parse::<i64>().ok().filter(|v| *v > 0)?;
        let fits = (40..=60).contains(&random.len())
            && random
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        fits.then(|| Self {
            vendor: VendorId(vendor),
            hash: hash(token),
        })
    }

    pub fn scope(&self) -> TenantScope {
        TenantScope::trusted(self.vendor)
    }
}

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new token for the transaction's vendor.
fn new_token(vendor: VendorId) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{}.{}", vendor.0, URL_SAFE_NO_PAD.encode(bytes))
}

fn view(invitation: Invitation, role: String) -> InvitationView {
    InvitationView {
        expired: invitation.expires_at <= Utc::now(),
        id: invitation.id,
        email: invitation.email,
        role_id: invitation.role_id,
        role,
        expires_at: invitation.expires_at,
        created_at: invitation.created_at,
    }
}

/// Queues the invitation e-mail with its link, in the vendor's language.
fn send(
    tx: &mut TenantTx<'_>,
    actor: &Actor,
    email: &str,
    role: &str,
    token: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), ChangeError> {
    let language = db::settings::default_language(tx)?;
    let inviter = db::users::find(tx, actor.user_id)?
        .map(|u| {
            format!("{} {}", u.first_name, u.last_name)
                .trim()
                .to_owned()
        })
        .unwrap_or_default();
    let data = serde_json::json!({
        "role": role,
        "inviter": inviter,
        "link_path": format!("/invitations/{token}"),
        "expires_on": expires_at.format("%Y-%m-%d").to_string(),
    });
    mail::queue(tx, email, mail::Template::TeamInvitation, &language, &data)?;
    Ok(())
}

pub(crate) fn invite(
    tx: &mut TenantTx<'_>,
    actor: &Actor,
    input: &InvitationInput,
) -> Result<InvitationView, ChangeError> {
    input.validate()?;
    let mine = held(tx, actor)?;
    let role = db::roles::find(tx, input.role_id)?.ok_or(ChangeError::RoleNotFound)?;
    within(&mine, &parse_permissions(&role))?;
    let email = Email::new(&input.email);
    if let Some(user) = db::users::find_by_email(tx, &email)?
        && db::vendor_users::lock_member(tx, user.id)?.is_some_and(|(m, _)| m.is_active)
    {
        return Err(ChangeError::AlreadyMember);
    }
    let vendor = tx.vendor_id();
    let token = new_token(vendor);
    let expires_at = Utc::now() + Duration::days(INVITATION_DAYS);
    let created = repo::insert(
        tx,
        &NewInvitation {
            email: email.as_str(),
            role_id: role.id,
            token_hash: &hash(&token),
            invited_by: actor.user_id,
            expires_at,
        },
    )
    .map_err(|e| {
        let e = db::Error::from(e);
        match e.unique_violation() {
            Some("vendor_invitations_one_open") => ChangeError::InvitationPending,
            _ => ChangeError::Storage(e),
        }
    })?;
    send(tx, actor, email.as_str(), &role.name, &token, expires_at)?;
    let details = serde_json::json!({ "email": email.as_str(), "role": &role.name });
    record(
        tx,
        actor,
        "team.invitation_create",
        "invitation",
        created.id.to_string(),
        details,
    )?;
    Ok(view(created, role.name))
}

pub(crate) fn open(tx: &mut TenantTx<'_>) -> Result<Vec<InvitationView>, ChangeError> {
    Ok(repo::open(tx)?
        .into_iter()
        .map(|(i, role)| view(i, role))
        .collect())
}

/// An open invitation of the vendor, locked, that the actor may handle (its role within
/// theirs).
fn open_one(
    tx: &mut TenantTx<'_>,
    actor: &Actor,
    id: i64,
) -> Result<(Invitation, String), ChangeError> {
    let mine = held(tx, actor)?;
    let invitation = repo::lock(tx, id)?
        .filter(|i| i.accepted_at.is_none() && i.revoked_at.is_none())
        .ok_or(ChangeError::InvitationNotFound)?;
    let role = db::roles::find(tx, invitation.role_id)?.ok_or(ChangeError::RoleNotFound)?;
    within(&mine, &parse_permissions(&role))?;
    Ok((invitation, role.name))
}

pub(crate) fn revoke(tx: &mut TenantTx<'_>, actor: &Actor, id: i64) -> Result<(), ChangeError> {
    let (invitation, _) = open_one(tx, actor, id)?;
    repo::revoke(tx, invitation.id)?;
    let details = serde_json::json!({ "email": invitation.email });
    record(
        tx,
        actor,
        "team.invitation_revoke",
        "invitation",
        id.to_string(),
        details,
    )
}

pub(crate) fn resend(
    tx: &mut TenantTx<'_>,
    actor: &Actor,
    id: i64,
) -> Result<InvitationView, ChangeError> {
    let (invitation, role) = open_one(tx, actor, id)?;
    let token = new_token(tx.vendor_id());
    let expires_at = Utc::now() + Duration::days(INVITATION_DAYS);
    let renewed = repo::renew(tx, invitation.id, &hash(&token), expires_at)?;
    send(tx, actor, &renewed.email, &role, &token, expires_at)?;
    let details = serde_json::json!({ "email": &renewed.email });
    record(
        tx,
        actor,
        "team.invitation_resend",
        "invitation",
        id.to_string(),
        details,
    )?;
    Ok(view(renewed, role))
}

/// The invitation a token opens, if it still can be accepted (locked).
fn usable(tx: &mut TenantTx<'_>, token: &InvitationToken) -> Result<Invitation, ChangeError> {
    let invitation = repo::lock_by_hash(tx, &token.hash)?.ok_or(ChangeError::InvitationNotFound)?;
    if invitation.revoked_at.is_some() {
        return Err(ChangeError::InvitationRevoked);
    }
    if invitation.accepted_at.is_some() {
        return Err(ChangeError::InvitationUsed);
    }
    if invitation.expires_at <= Utc::now() {
        return Err(ChangeError::InvitationExpired);
    }
    Ok(invitation)
}

pub(crate) fn preview(
    tx: &mut TenantTx<'_>,
    token: &InvitationToken,
) -> Result<InvitationPreview, ChangeError> {
    let invitation = usable(tx, token)?;
    let role = db::roles::find(tx, invitation.role_id)?.ok_or(ChangeError::RoleNotFound)?;
    let vendor = db::vendors::find(tx, token.vendor)?.ok_or(ChangeError::InvitationNotFound)?;
    let has_account = db::users::find_by_email(tx, &Email::new(&invitation.email))?.is_some();
    Ok(InvitationPreview {
        vendor_name: vendor.name,
        vendor_code: vendor.code,
        email: invitation.email,
        role: role.name,
        has_account,
    })
}

/// Joins the user (whose e-mail the invitation names) to the team with the invited role; a
/// member switched off earlier is switched on again with it.
pub(crate) fn join(
    tx: &mut TenantTx<'_>,
    token: &InvitationToken,
    user: UserId,
    email: &str,
) -> Result<(), ChangeError> {
    let invitation = usable(tx, token)?;
    if invitation.email != email {
        return Err(ChangeError::InvitationForAnotherEmail);
    }
    match db::vendor_users::lock_member(tx, user)? {
        Some((member, _)) if member.is_active => return Err(ChangeError::AlreadyMember),
        Some(_) => {
            db::vendor_users::set_role(tx, user, invitation.role_id)?;
            db::vendor_users::set_active(tx, user, true)?;
        }
        None => {
            db::vendor_users::insert(tx, user, invitation.role_id, invitation.invited_by)?;
        }
    }
    repo::accept(tx, invitation.id, user)?;
    let actor = Actor {
        user_id: user,
        ip: None,
        request_id: None,
        on_behalf: None,
    };
    let details = serde_json::json!({ "email": email });
    record(
        tx,
        &actor,
        "team.invitation_accept",
        "invitation",
        invitation.id.to_string(),
        details,
    )
}
