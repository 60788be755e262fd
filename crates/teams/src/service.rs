use db::{TenantScope, TenantTx, UserId};

use crate::{ActiveMember, Member, TeamError};

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
}
