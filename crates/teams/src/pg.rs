//! The team service over PostgreSQL.

use db::audit::Actor;
use db::roles::{NewRole, Role};
use db::{Db, RoleId, TenantScope, TenantTx, UserId};

use crate::invitations;
use crate::management::{self, role_view};
use crate::{
    ActiveMember, ChangeError, InvitationInput, InvitationPreview, InvitationToken, InvitationView,
    Member, MemberUser, Permission, RoleInput, RoleView, Standing, TeamError, TeamService,
    VendorRef, check_standing, default_roles,
};

pub struct PgTeams {
    db: Db,
}

impl PgTeams {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

impl TeamService for PgTeams {
    fn active_member(
        &self,
        scope: &TenantScope,
        user_id: UserId,
    ) -> Result<ActiveMember, TeamError> {
        let found = self
            .db
            .tenant(scope, |tx| db::vendor_users::find_member(tx, user_id))
            .map_err(db::Error::from)?;
        let (member, role, user, vendor) = found.ok_or(TeamError::NotAMember)?;
        check_standing(Standing {
            vendor_deleted: vendor.deleted_at.is_some(),
            vendor_active: vendor.is_active,
            account_active: user.is_active,
            membership_active: member.is_active,
        })?;
        Ok(ActiveMember {
            user: MemberUser {
                id: user.id,
                email: user.email,
                first_name: user.first_name,
                last_name: user.last_name,
            },
            vendor: VendorRef {
                id: vendor.id,
                code: vendor.code,
                name: vendor.name,
            },
            permissions: parse_permissions(&role),
            role: role.name,
        })
    }

    fn members(&self, scope: &TenantScope) -> Result<Vec<Member>, TeamError> {
        Ok(self.db.tenant(scope, members)?)
    }

    fn roles(&self, scope: &TenantScope) -> Result<Vec<RoleView>, TeamError> {
        let rows = self.db.tenant(scope, db::roles::with_member_counts)?;
        Ok(rows.into_iter().map(|(r, n)| role_view(r, n)).collect())
    }

    fn create_role(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        input: &RoleInput,
    ) -> Result<RoleView, ChangeError> {
        self.db
            .tenant(scope, |tx| management::create_role(tx, actor, input))
    }

    fn update_role(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        id: RoleId,
        input: &RoleInput,
    ) -> Result<RoleView, ChangeError> {
        self.db
            .tenant(scope, |tx| management::update_role(tx, actor, id, input))
    }

    fn delete_role(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        id: RoleId,
    ) -> Result<(), ChangeError> {
        self.db
            .tenant(scope, |tx| management::delete_role(tx, actor, id))
    }

    fn change_member_role(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        user: UserId,
        role: RoleId,
    ) -> Result<Member, ChangeError> {
        self.db.tenant(scope, |tx| {
            management::change_role(tx, actor, user, role)?;
            member(tx, user)
        })
    }

    fn set_member_active(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        user: UserId,
        active: bool,
    ) -> Result<Member, ChangeError> {
        self.db.tenant(scope, |tx| {
            management::set_active(tx, actor, user, active)?;
            member(tx, user)
        })
    }

    fn remove_member(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        user: UserId,
    ) -> Result<(), ChangeError> {
        self.db
            .tenant(scope, |tx| management::remove(tx, actor, user))
    }

    fn transfer_ownership(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        to: UserId,
    ) -> Result<Vec<Member>, ChangeError> {
        self.db.tenant(scope, |tx| {
            management::transfer(tx, actor, to)?;
            Ok(members(tx)?)
        })
    }

    fn invite(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        input: &InvitationInput,
    ) -> Result<InvitationView, ChangeError> {
        self.db
            .tenant(scope, |tx| invitations::invite(tx, actor, input))
    }

    fn invitations(&self, scope: &TenantScope) -> Result<Vec<InvitationView>, ChangeError> {
        self.db.tenant(scope, invitations::open)
    }

    fn revoke_invitation(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        id: i64,
    ) -> Result<(), ChangeError> {
        self.db
            .tenant(scope, |tx| invitations::revoke(tx, actor, id))
    }

    fn resend_invitation(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        id: i64,
    ) -> Result<InvitationView, ChangeError> {
        self.db
            .tenant(scope, |tx| invitations::resend(tx, actor, id))
    }

    fn invitation_preview(
        &self,
        token: &InvitationToken,
    ) -> Result<InvitationPreview, ChangeError> {
        self.db
            .tenant(&token.scope(), |tx| invitations::preview(tx, token))
    }

    fn join_by_invitation(
        &self,
        token: &InvitationToken,
        user: UserId,
        email: &str,
    ) -> Result<(), ChangeError> {
        self.db.tenant(&token.scope(), |tx| {
            invitations::join(tx, token, user, email)
        })
    }

    fn provision(&self, tx: &mut TenantTx<'_>, owner: UserId) -> Result<(), TeamError> {
        let defaults = default_roles();
        let new_roles: Vec<NewRole<'_>> = defaults
            .iter()
            .map(|(name, perms)| NewRole {
                name,
                permissions: perms.iter().map(|p| Some(p.as_str().to_owned())).collect(),
                is_default: true,
            })
            .collect();
        let roles = db::roles::insert_many(tx, &new_roles)?;
        let owner_role = roles
            .iter()
            .find(|r| r.name == "Owner")
            .ok_or(db::diesel_error::Error::NotFound)?;
        db::vendor_users::insert(tx, owner, owner_role.id, None)?;
        Ok(())
    }
}

/// Every member of the handle's vendor, oldest first.
fn members(tx: &mut TenantTx<'_>) -> Result<Vec<Member>, db::Error> {
    let rows = db::vendor_users::list_with_users(tx)?;
    Ok(rows
        .into_iter()
        .map(|(member, user, role)| Member {
            user_id: user.id,
            email: user.email,
            first_name: user.first_name,
            last_name: user.last_name,
            role_id: role.id,
            role: role.name,
            is_active: member.is_active,
            joined_at: member.created_at,
            last_login_at: user.last_login_at,
        })
        .collect())
}

fn member(tx: &mut TenantTx<'_>, user: UserId) -> Result<Member, ChangeError> {
    members(tx)?
        .into_iter()
        .find(|m| m.user_id == user)
        .ok_or(ChangeError::MemberNotFound)
}

/// Stored permission strings that no longer exist are ignored rather than trusted.
pub(crate) fn parse_permissions(role: &Role) -> Vec<Permission> {
    role.permissions
        .iter()
        .flatten()
        .filter_map(|p| Permission::parse(p))
        .collect()
}
