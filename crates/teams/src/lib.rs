//! Teams: the permissions a vendor's members can hold, the default roles every vendor starts
//! with, and memberships.

mod error;
mod model;
mod permission;
mod pg;
mod service;

pub use error::TeamError;
pub use model::{Member, Membership, TeamMember};
pub use permission::{Permission, default_roles};
pub use pg::{PgTeams, provision_vendor};
pub use service::TeamService;
