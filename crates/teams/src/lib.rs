//! Teams: the permissions a vendor's members can hold, the default roles every vendor starts
//! with, memberships, and the one rule for who may act for a vendor.

mod error;
mod invitations;
mod management;
mod model;
mod permission;
mod pg;
mod service;
mod standing;

pub use error::{ChangeError, TeamError};
pub use invitations::{
    INVITATION_DAYS, InvitationInput, InvitationPreview, InvitationToken, InvitationView,
};
pub use management::{MembershipState, OWNER, OwnershipTransfer, RoleChange, RoleInput, RoleView};
pub use model::{ActiveMember, Member, MemberUser, Standing, VendorRef};
pub use permission::{Permission, Requires, default_roles, needs};
pub use pg::PgTeams;
pub use service::TeamService;
pub use standing::{check_standing, check_vendor_open};
