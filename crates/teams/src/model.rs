use chrono::{DateTime, Utc};
use db::{UserId, VendorId};
use serde::Serialize;
use utoipa::ToSchema;

use crate::Permission;

/// One user's standing in one vendor's team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub vendor_id: VendorId,
    pub user_id: UserId,
    pub role: String,
    pub permissions: Vec<Permission>,
    pub is_active: bool,
}

impl Membership {
    pub fn has(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }
}

/// A membership with the user and vendor it joins, read together so a request can check all
/// three (vendor live and active, user active, membership active) in one query.
#[derive(Debug, Clone)]
pub struct TeamMember {
    pub membership: Membership,
    pub user: db::users::User,
    pub vendor: db::vendors::Vendor,
}

/// A team member as the team page lists them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Member {
    #[schema(value_type = i64)]
    pub user_id: UserId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: String,
    pub is_active: bool,
    pub joined_at: DateTime<Utc>,
}
