use db::audit::Actor;
use db::{RoleId, TenantScope, TenantTx, UserId};

use crate::{
    ActiveMember, ChangeError, InvitationInput, InvitationPreview, InvitationToken, InvitationView,
    Member, RoleInput, RoleView, TeamError,
};

/// A vendor's team. Every method is scoped to one vendor.
///
/// Methods that take a `&mut TenantTx` join the caller's transaction (the one documented way
/// for one service to act inside another's; see docs/architecture.md); the others open their
/// own.
pub trait TeamService: Send + Sync {
    /// The user as a member allowed to act for the scope's vendor now, or why not
    /// ([`crate::check_standing`]).
    fn active_member(
        &self,
        scope: &TenantScope,
        user_id: UserId,
    ) -> Result<ActiveMember, TeamError>;

    /// Every member of the scope's vendor.
    fn members(&self, scope: &TenantScope) -> Result<Vec<Member>, TeamError>;

    /// Gives a new vendor its default roles and makes `owner` its Owner, inside the caller's
    /// transaction, so a vendor never exists without its team.
    fn provision(&self, tx: &mut TenantTx<'_>, owner: UserId) -> Result<(), TeamError>;

    /// The vendor's roles, defaults first, with how many members hold each.
    fn roles(&self, scope: &TenantScope) -> Result<Vec<RoleView>, TeamError>;

    /// Creates a custom role (only with permissions the actor holds).
    fn create_role(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        input: &RoleInput,
    ) -> Result<RoleView, ChangeError>;

    /// Renames a custom role and sets its permissions; holders who lose one are signed out.
    fn update_role(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        id: RoleId,
        input: &RoleInput,
    ) -> Result<RoleView, ChangeError>;

    /// Deletes a custom role nobody holds.
    fn delete_role(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        id: RoleId,
    ) -> Result<(), ChangeError>;

    /// Gives a member another role (never leaving the vendor without an active Owner).
    fn change_member_role(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        user: UserId,
        role: RoleId,
    ) -> Result<Member, ChangeError>;

    /// Switches a membership off (signed out at once) or on again.
    fn set_member_active(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        user: UserId,
        active: bool,
    ) -> Result<Member, ChangeError>;

    /// Removes a member from the team.
    fn remove_member(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        user: UserId,
    ) -> Result<(), ChangeError>;

    /// The acting Owner hands ownership to another active member and becomes a Manager.
    fn transfer_ownership(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        to: UserId,
    ) -> Result<Vec<Member>, ChangeError>;

    /// Invites an address with a role the actor may grant, and e-mails the link.
    fn invite(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        input: &InvitationInput,
    ) -> Result<InvitationView, ChangeError>;

    /// The vendor's open invitations, newest first.
    fn invitations(&self, scope: &TenantScope) -> Result<Vec<InvitationView>, ChangeError>;

    fn revoke_invitation(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        id: i64,
    ) -> Result<(), ChangeError>;

    /// Sends the invitation again with a new link (the old one stops working) and expiry.
    fn resend_invitation(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        id: i64,
    ) -> Result<InvitationView, ChangeError>;

    /// What a link invites to, while it can still be accepted (404 unknown; 410 expired,
    /// revoked or used).
    fn invitation_preview(&self, token: &InvitationToken)
    -> Result<InvitationPreview, ChangeError>;

    /// Joins the user (of the invited e-mail) to the team with the invited role.
    fn join_by_invitation(
        &self,
        token: &InvitationToken,
        user: UserId,
        email: &str,
    ) -> Result<(), ChangeError>;
}
