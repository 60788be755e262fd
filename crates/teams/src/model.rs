use chrono::{DateTime, Utc};
use db::{UserId, VendorId};
use serde::Serialize;
use utoipa::ToSchema;

use crate::Permission;

/// A member allowed to act for a vendor right now: the vendor is open, the account and the
/// membership are active (see [`crate::check_standing`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveMember {
    pub user: MemberUser,
    pub vendor: VendorRef,
    pub role: String,
    pub permissions: Vec<Permission>,
}

impl ActiveMember {
    pub fn has(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }
}

/// The member's account, without anything secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct MemberUser {
    #[schema(value_type = i64)]
    pub id: UserId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
}

/// The vendor a member acts for, as sessions and pages name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct VendorRef {
    #[schema(value_type = i64)]
    pub id: VendorId,
    pub code: String,
    pub name: String,
}

/// The states [`crate::check_standing`] decides on, read together in one query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub vendor_deleted: bool,
    pub vendor_active: bool,
    pub account_active: bool,
    pub membership_active: bool,
}

/// A team member as the team page lists them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Member {
    #[schema(value_type = i64)]
    pub user_id: UserId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    #[schema(value_type = i64)]
    pub role_id: db::RoleId,
    pub role: String,
    pub is_active: bool,
    pub joined_at: DateTime<Utc>,
    /// Their last sign-in (any vendor).
    pub last_login_at: Option<DateTime<Utc>>,
}
