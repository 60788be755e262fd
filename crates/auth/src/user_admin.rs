//! The platform admin's management of team accounts (admins and vendor team members): find
//! them with their memberships, switch them off or on, give them a temporary password, grant
//! or revoke platform administration. Switching off or resetting ends the person's sessions at
//! once (every refresh token revoked; access tokens are re-checked on every request, or kept until the change feed reports the change). One
//! active admin always remains, and a vendor's team member is never made an admin (an admin
//! is nobody's member, so support can never be asked to impersonate an admin). Every change
//! is audited.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use db::audit::{self, Actor};
use db::pagination::{Page, PageRequest};
use db::users::{User, UserFilter};
use db::{Db, PlatformScope, PlatformTx, UserId};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::PasswordHasher;

/// Length of a temporary password.
const TEMPORARY_PASSWORD_LEN: usize = 16;

#[derive(Debug, thiserror::Error)]
pub enum UserAdminError {
    #[error("user not found")]
    NotFound,
    /// The change would leave no active platform admin.
    #[error("this is the last active platform admin; make someone else an admin first")]
    LastAdmin,
    /// A vendor's team member cannot be a platform admin.
    #[error("this person is on a vendor's team; a platform admin cannot be a team member")]
    TeamMember,
    #[error("invalid input")]
    Validation(#[from] validator::ValidationErrors),
    #[error(transparent)]
    Storage(#[from] db::Error),
    #[error("password hashing failed: {0}")]
    Hashing(#[from] bcrypt::BcryptError),
}

db::storage_error!(UserAdminError);

#[derive(Debug, Clone, Default, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Part of the e-mail, first or last name.
    #[validate(length(max = 200))]
    #[param(max_length = 200)]
    pub q: Option<String>,
    pub is_active: Option<bool>,
    pub is_platform_admin: Option<bool>,
    /// Members of the vendor with this code.
    #[validate(length(min = 1, max = 64))]
    #[param(min_length = 1, max_length = 64)]
    pub vendor: Option<String>,
    /// From 1; out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub page: Option<i64>,
    /// 1 to 100 (default 20); out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub per_page: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountView {
    #[schema(value_type = i64)]
    pub id: UserId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub is_active: bool,
    pub is_platform_admin: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Teams the person belongs to (live vendors), by vendor name.
    pub memberships: Vec<MembershipView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MembershipView {
    pub vendor_id: i64,
    pub vendor_code: String,
    pub vendor_name: String,
    pub role: String,
    pub is_active: bool,
}

/// A temporary password, shown once: the person signs in with it and chooses another.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TemporaryPassword {
    pub user: AccountView,
    pub temporary_password: String,
}

pub trait UserAdmin: Send + Sync {
    fn list(
        &self,
        scope: &PlatformScope,
        query: &UserQuery,
    ) -> Result<Page<AccountView>, UserAdminError>;

    fn set_active(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        id: UserId,
        active: bool,
    ) -> Result<AccountView, UserAdminError>;

    fn set_platform_admin(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        id: UserId,
        admin: bool,
    ) -> Result<AccountView, UserAdminError>;

    fn reset_password(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        id: UserId,
    ) -> Result<TemporaryPassword, UserAdminError>;
}

pub struct PgUserAdmin {
    db: Db,
    hasher: Arc<PasswordHasher>,
}

impl PgUserAdmin {
    pub fn new(db: Db, hasher: Arc<PasswordHasher>) -> Self {
        Self { db, hasher }
    }
}

impl UserAdmin for PgUserAdmin {
    fn list(
        &self,
        scope: &PlatformScope,
        query: &UserQuery,
    ) -> Result<Page<AccountView>, UserAdminError> {
        query.validate()?;
        let page = PageRequest::new(query.page, query.per_page);
        self.db.platform(scope, |tx| {
            let vendor = match &query.vendor {
                Some(code) => match db::vendors::find_by_code(tx, code.trim())? {
                    Some(v) => Some(v.id),
                    None => return Ok(Page::new(Vec::new(), 0, page)),
                },
                None => None,
            };
            let filter = UserFilter {
                q: query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()),
                is_active: query.is_active,
                is_platform_admin: query.is_platform_admin,
                vendor,
            };
            let users = db::users::search(tx, &filter, page)?;
            let views = with_memberships(tx, users.items)?;
            Ok(Page::new(views, users.total, page))
        })
    }

    fn set_active(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        id: UserId,
        active: bool,
    ) -> Result<AccountView, UserAdminError> {
        self.db.platform(scope, |tx| {
            keeping_an_admin(tx, id, !active)?;
            let user = db::users::set_active(tx, id, active)?;
            let revoked = match active {
                true => 0,
                false => db::refresh_tokens::revoke_user(tx, id)?,
            };
            let action = match active {
                true => "admin.user_activate",
                false => "admin.user_deactivate",
            };
            record(tx, actor, action, id, json!({ "sessions_ended": revoked }))?;
            one(tx, user)
        })
    }

    fn set_platform_admin(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        id: UserId,
        admin: bool,
    ) -> Result<AccountView, UserAdminError> {
        self.db.platform(scope, |tx| {
            keeping_an_admin(tx, id, !admin)?;
            if admin && !db::vendor_users::memberships_of(tx, &[id])?.is_empty() {
                return Err(UserAdminError::TeamMember);
            }
            let user = db::users::set_platform_admin(tx, id, admin)?;
            // A new or former admin signs in again with their new rights.
            db::refresh_tokens::revoke_user(tx, id)?;
            let action = match admin {
                true => "admin.admin_grant",
                false => "admin.admin_revoke",
            };
            record(tx, actor, action, id, json!({}))?;
            one(tx, user)
        })
    }

    fn reset_password(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        id: UserId,
    ) -> Result<TemporaryPassword, UserAdminError> {
        let password = crate::generate_password(TEMPORARY_PASSWORD_LEN);
        // Hash before the transaction: bcrypt is slow and must not hold a connection.
        let hash = self.hasher.hash(&password)?;
        self.db.platform(scope, |tx| {
            let user = db::users::lock(tx, id)?.ok_or(UserAdminError::NotFound)?;
            db::users::set_password(tx, id, &hash)?;
            let revoked = db::refresh_tokens::revoke_user(tx, id)?;
            record(
                tx,
                actor,
                "admin.user_password_reset",
                id,
                json!({ "sessions_ended": revoked }),
            )?;
            Ok(TemporaryPassword {
                user: one(tx, user)?,
                temporary_password: password,
            })
        })
    }
}

/// Locks every active admin's row and the user's; refuses to take the last active admin
/// away (`removing`: the change would end the user's admin rights or account).
fn keeping_an_admin(
    tx: &mut PlatformTx<'_>,
    id: UserId,
    removing: bool,
) -> Result<(), UserAdminError> {
    let admins = db::users::lock_active_admins(tx)?;
    let user = db::users::lock(tx, id)?.ok_or(UserAdminError::NotFound)?;
    if removing && admins == [user.id] {
        return Err(UserAdminError::LastAdmin);
    }
    Ok(())
}

fn record(
    tx: &mut PlatformTx<'_>,
    actor: &Actor,
    action: &'static str,
    id: UserId,
    details: serde_json::Value,
) -> Result<(), UserAdminError> {
    audit::record_platform(
        tx,
        actor,
        None,
        audit::Event {
            action,
            target_type: "user",
            target_id: id.0.to_string(),
            details,
        },
    )?;
    Ok(())
}

fn one(tx: &mut PlatformTx<'_>, user: User) -> Result<AccountView, UserAdminError> {
    with_memberships(tx, vec![user])?
        .pop()
        .ok_or(UserAdminError::NotFound)
}

/// The users with their memberships, read in one query for the whole page.
fn with_memberships(
    tx: &mut PlatformTx<'_>,
    users: Vec<User>,
) -> Result<Vec<AccountView>, UserAdminError> {
    let ids: Vec<UserId> = users.iter().map(|u| u.id).collect();
    let memberships = db::vendor_users::memberships_of(tx, &ids)?;
    Ok(users
        .into_iter()
        .map(|u| AccountView {
            memberships: memberships
                .iter()
                .filter(|m| m.user_id == u.id)
                .map(|m| MembershipView {
                    vendor_id: m.vendor_id.0,
                    vendor_code: m.vendor_code.clone(),
                    vendor_name: m.vendor_name.clone(),
                    role: m.role.clone(),
                    is_active: m.is_active,
                })
                .collect(),
            id: u.id,
            email: u.email,
            first_name: u.first_name,
            last_name: u.last_name,
            is_active: u.is_active,
            is_platform_admin: u.is_platform_admin,
            last_login_at: u.last_login_at,
            created_at: u.created_at,
        })
        .collect())
}
