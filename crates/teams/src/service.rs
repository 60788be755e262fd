use db::{TenantScope, UserId};

use crate::{Member, Membership, TeamError, TeamMember};

/// Reads a vendor's team. Every method is scoped to one vendor.
pub trait TeamService: Send + Sync {
    /// The user's membership of the scope's vendor, if they have one (active or not).
    fn membership(
        &self,
        scope: &TenantScope,
        user_id: UserId,
    ) -> Result<Option<Membership>, TeamError>;

    /// The user's membership of the scope's vendor with the user and the vendor (whatever
    /// their states), if there is one.
    fn member(&self, scope: &TenantScope, user_id: UserId)
    -> Result<Option<TeamMember>, TeamError>;

    /// Every member of the scope's vendor.
    fn members(&self, scope: &TenantScope) -> Result<Vec<Member>, TeamError>;
}
