//! Inputs and answers of the auth service.

use std::net::IpAddr;

use db::{CustomerId, PlatformScope, TenantScope, UserId};
use serde::{Deserialize, Serialize};
use teams::{ActiveMember, Permission, VendorRef};
use utoipa::ToSchema;
use validator::Validate;

use crate::PrincipalKind;

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminLogin {
    #[validate(length(min = 1, max = 254, message = "enter your e-mail"))]
    #[schema(min_length = 1, max_length = 254)]
    pub email: String,
    #[validate(length(
        min = 1,
        max = 200,
        message = "enter your password (at most 200 characters)"
    ))]
    #[schema(min_length = 1, max_length = 200)]
    pub password: String,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VendorLogin {
    #[validate(length(min = 1, max = 254, message = "enter your e-mail"))]
    #[schema(min_length = 1, max_length = 254)]
    pub email: String,
    #[validate(length(
        min = 1,
        max = 200,
        message = "enter your password (at most 200 characters)"
    ))]
    #[schema(min_length = 1, max_length = 200)]
    pub password: String,
    #[validate(length(min = 1, max = 40, message = "enter the vendor code"))]
    #[schema(min_length = 1, max_length = 40)]
    pub vendor_code: String,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SwitchVendor {
    #[validate(length(min = 1, max = 40, message = "enter the vendor code"))]
    #[schema(min_length = 1, max_length = 40)]
    pub vendor_code: String,
}

/// A platform admin starts a support session as one of a vendor's team members or customers.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginAs {
    /// The vendor whose member or customer the admin acts as.
    #[validate(range(min = 1))]
    #[schema(minimum = 1)]
    pub vendor_id: i64,
    /// A team member or a customer of that vendor.
    pub kind: SupportTarget,
    /// Their e-mail.
    #[validate(email(message = "enter their e-mail"), length(max = 254))]
    #[schema(format = "email", max_length = 254)]
    pub email: String,
    /// Why (the support request), kept in the audit log.
    #[validate(length(min = 10, max = 500, message = "say why, in 10 to 500 characters"))]
    #[schema(min_length = 10, max_length = 500)]
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SupportTarget {
    Member,
    Customer,
}

/// A support session's access token (no refresh token: it ends when the token does).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SupportSession {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    /// `vendor` (a team member) or `customer`.
    pub kind: PrincipalKind,
    pub vendor_code: String,
    /// The e-mail of the person acted as.
    pub email: String,
}

/// A shop's customer signs in (the shop is in the path: accounts are per vendor).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerLogin {
    #[validate(length(min = 1, max = 254, message = "enter your e-mail"))]
    #[schema(min_length = 1, max_length = 254)]
    pub email: String,
    #[validate(length(
        min = 1,
        max = 200,
        message = "enter your password (at most 200 characters)"
    ))]
    #[schema(min_length = 1, max_length = 200)]
    pub password: String,
}

/// What the server knows of the client, for rate limits and audit entries.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: Option<IpAddr>,
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserInfo {
    #[schema(value_type = i64)]
    pub id: UserId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
}

impl From<db::users::User> for UserInfo {
    fn from(u: db::users::User) -> Self {
        Self {
            id: u.id,
            email: u.email,
            first_name: u.first_name,
            last_name: u.last_name,
        }
    }
}

impl From<teams::MemberUser> for UserInfo {
    fn from(u: teams::MemberUser) -> Self {
        Self {
            id: u.id,
            email: u.email,
            first_name: u.first_name,
            last_name: u.last_name,
        }
    }
}

/// A customer as their session names them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CustomerInfo {
    #[schema(value_type = i64)]
    pub id: CustomerId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
}

impl From<db::customers::Customer> for CustomerInfo {
    fn from(c: db::customers::Customer) -> Self {
        Self {
            id: c.id,
            email: c.email,
            first_name: c.first_name,
            last_name: c.last_name,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    /// Always "bearer".
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

/// A signed-in principal with its tokens: `vendor`, `role` and `permissions` only for
/// vendor team members.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Session {
    #[serde(flatten)]
    pub tokens: TokenPair,
    pub user: UserInfo,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<VendorRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<String>>)]
    pub permissions: Option<Vec<Permission>>,
}

/// A signed-in customer and the token pair of their session.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CustomerSession {
    #[serde(flatten)]
    pub tokens: TokenPair,
    pub customer: CustomerInfo,
}

/// A verified, active customer of one vendor's shop, with that vendor's tenant scope.
#[derive(Debug, Clone)]
pub struct CustomerPrincipal {
    pub scope: TenantScope,
    pub customer: CustomerInfo,
}

/// A verified platform administrator, with the platform scope only this check can give.
#[derive(Debug, Clone)]
pub struct AdminPrincipal {
    pub user: UserInfo,
    pub scope: PlatformScope,
}

/// A verified vendor team member acting for one vendor, re-checked on every request (see
/// `teams::check_standing`) unless the server kept it, which it does only until the change
/// feed says their team or account changed.
#[derive(Debug, Clone)]
pub struct VendorPrincipal {
    pub scope: TenantScope,
    pub member: ActiveMember,
}

impl VendorPrincipal {
    pub fn has(&self, permission: Permission) -> bool {
        self.member.has(permission)
    }
}

/// The answer of `/auth/me`: a `user` for admins and team members, a `customer` for a
/// shop's customers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Principal {
    pub kind: PrincipalKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<UserInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<CustomerInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<VendorRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[schema(value_type = Vec<String>)]
    pub permissions: Vec<Permission>,
}

/// Accepting an invitation: the password of the invited address's account, or, for an
/// address without one, a new account's name and password.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitation {
    #[validate(length(min = 8, max = 200, message = "a password has 8 to 200 characters"))]
    #[schema(min_length = 8, max_length = 200)]
    pub password: String,
    /// Needed for a new account.
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub first_name: Option<String>,
    /// Needed for a new account.
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub last_name: Option<String>,
}

/// A vendor the signed-in member may act for, with their role there (the dashboard's vendor
/// switcher).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberVendor {
    pub code: String,
    pub name: String,
    pub role: String,
}
