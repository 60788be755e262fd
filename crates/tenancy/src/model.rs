//! Inputs and answers of vendor management.

use chrono::{DateTime, Utc};
use db::{UserId, VendorId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateVendor {
    /// The vendor's slug, used in URLs (`/shop/{code}`); not one of the reserved names
    /// (admin, www, api, static, docs, mail, shop, vendor).
    #[validate(custom(function = "crate::validate::vendor_code"))]
    #[schema(
        pattern = "^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$",
        min_length = 2,
        max_length = 40
    )]
    pub code: String,
    #[validate(length(min = 1, max = 200, message = "enter a name of at most 200 characters"))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// Defaults to the code; a DNS label, not a reserved name.
    #[validate(custom(function = "crate::validate::subdomain"))]
    #[schema(pattern = "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", max_length = 63)]
    pub subdomain: Option<String>,
    #[validate(email(message = "enter a valid e-mail address"), length(max = 254))]
    #[schema(format = Email, max_length = 254)]
    pub owner_email: String,
    #[validate(length(min = 1, max = 100, message = "enter the owner's first name"))]
    #[schema(min_length = 1, max_length = 100)]
    pub owner_first_name: String,
    /// May be empty: not everybody has two names.
    #[validate(length(max = 100))]
    #[schema(max_length = 100)]
    pub owner_last_name: String,
    #[validate(email(message = "enter a valid e-mail address"), length(max = 254))]
    #[schema(format = Email, max_length = 254)]
    pub business_email: Option<String>,
    #[validate(length(max = 50))]
    #[schema(max_length = 50)]
    pub business_phone: Option<String>,
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub business_address: Option<String>,
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub description: Option<String>,
}

/// Editable vendor fields; absent fields stay as they are, `null` clears an optional one.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateVendor {
    #[validate(length(min = 1, max = 200, message = "enter a name of at most 200 characters"))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// A DNS label, not a reserved name.
    #[validate(custom(function = "crate::validate::subdomain"))]
    #[schema(pattern = "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", max_length = 63)]
    pub subdomain: Option<String>,
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub description: Option<String>,
    #[serde(default, with = "db::double_option")]
    #[schema(value_type = Option<String>, format = Email, max_length = 254)]
    #[validate(email(message = "enter a valid e-mail address"), length(max = 254))]
    pub business_email: Option<Option<String>>,
    #[serde(default, with = "db::double_option")]
    #[schema(value_type = Option<String>, max_length = 50)]
    #[validate(length(max = 50))]
    pub business_phone: Option<Option<String>>,
    #[serde(default, with = "db::double_option")]
    #[schema(value_type = Option<String>, max_length = 500)]
    #[validate(length(max = 500))]
    pub business_address: Option<Option<String>>,
    /// The shop's colours and font; replaces the whole theme.
    #[validate(nested)]
    pub theme: Option<crate::Theme>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct VendorListQuery {
    /// Text to find in code, name or subdomain.
    pub q: Option<String>,
    pub is_active: Option<bool>,
    pub is_verified: Option<bool>,
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub page: Option<i64>,
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub per_page: Option<i64>,
}

/// A vendor as the admin API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VendorView {
    #[schema(value_type = i64)]
    pub id: VendorId,
    pub code: String,
    pub name: String,
    pub subdomain: String,
    pub description: String,
    pub business_email: Option<String>,
    pub business_phone: Option<String>,
    pub business_address: Option<String>,
    pub is_active: bool,
    pub is_verified: bool,
    #[schema(value_type = i64)]
    pub owner_user_id: UserId,
    pub theme: crate::Theme,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<db::vendors::Vendor> for VendorView {
    fn from(v: db::vendors::Vendor) -> Self {
        Self {
            id: v.id,
            code: v.code,
            name: v.name,
            subdomain: v.subdomain,
            description: v.description,
            business_email: v.business_email,
            business_phone: v.business_phone,
            business_address: v.business_address,
            is_active: v.is_active,
            is_verified: v.is_verified,
            owner_user_id: v.owner_user_id,
            theme: crate::Theme::from_stored(&v.theme),
            created_at: v.created_at,
            updated_at: v.updated_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnerInfo {
    #[schema(value_type = i64)]
    pub id: UserId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
}

impl From<db::users::User> for OwnerInfo {
    fn from(u: db::users::User) -> Self {
        Self {
            id: u.id,
            email: u.email,
            first_name: u.first_name,
            last_name: u.last_name,
        }
    }
}

/// The answer to creating a vendor. `temporary_password` is shown this once and stored
/// nowhere but as a hash; it is `null` when the owner already had an account.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreatedVendor {
    pub vendor: VendorView,
    pub owner: OwnerInfo,
    pub temporary_password: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VendorCounts {
    pub members: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VendorDetail {
    #[serde(flatten)]
    pub vendor: VendorView,
    pub owner: OwnerInfo,
    pub domains: Vec<String>,
    pub counts: VendorCounts,
}
