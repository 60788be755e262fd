//! Inputs and answers of the customer service.

use chrono::{DateTime, Utc};
use db::{AddressId, CustomerId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

/// What counts as blank: spaces, tabs and line breaks (the same set the documented pattern
/// names, so a client generated from the document agrees with the server).
fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// A text without surrounding blanks, as it is stored.
pub(crate) fn tidy(value: &str) -> &str {
    value.trim_matches(is_blank)
}

/// A text must say something: blank names are refused.
fn not_blank(value: &str) -> Result<(), ValidationError> {
    if tidy(value).is_empty() {
        return Err(ValidationError::new("blank").with_message("this cannot be blank".into()));
    }
    Ok(())
}

/// ISO 3166-1 alpha-2, upper case (`LU`, `DE`, `FR`).
fn country_code(value: &str) -> Result<(), ValidationError> {
    if value.len() == 2 && value.bytes().all(|b| b.is_ascii_uppercase()) {
        return Ok(());
    }
    Err(ValidationError::new("country")
        .with_message("use the two-letter country code, e.g. LU".into()))
}

/// A new customer account at one shop.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Register {
    #[validate(email(message = "enter a valid e-mail address"), length(max = 254))]
    #[schema(format = "email", max_length = 254)]
    pub email: String,
    #[validate(length(
        min = 8,
        max = 200,
        message = "choose a password of 8 to 200 characters"
    ))]
    #[schema(min_length = 8, max_length = 200)]
    pub password: String,
    #[validate(length(min = 1, max = 100), custom(function = "not_blank"))]
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\u0000]*[^\\u0000\\t\\n\\r ][^\\u0000]*$"
    )]
    pub first_name: String,
    #[validate(length(min = 1, max = 100), custom(function = "not_blank"))]
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\u0000]*[^\\u0000\\t\\n\\r ][^\\u0000]*$"
    )]
    pub last_name: String,
    #[validate(length(max = 40))]
    #[schema(max_length = 40)]
    pub phone: Option<String>,
    /// The language of the shop's e-mails to the customer (the shop's own when absent).
    pub language: Option<catalog::Language>,
}

/// Profile fields to change; an absent field stays, `phone: null` clears the phone.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileUpdate {
    #[validate(length(min = 1, max = 100), custom(function = "not_blank"))]
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\u0000]*[^\\u0000\\t\\n\\r ][^\\u0000]*$"
    )]
    pub first_name: Option<String>,
    #[validate(length(min = 1, max = 100), custom(function = "not_blank"))]
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\u0000]*[^\\u0000\\t\\n\\r ][^\\u0000]*$"
    )]
    pub last_name: Option<String>,
    #[serde(default, with = "db::double_option")]
    #[validate(length(max = 40))]
    #[schema(value_type = Option<String>, max_length = 40)]
    pub phone: Option<Option<String>>,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    #[validate(length(min = 1, max = 200, message = "enter your current password"))]
    #[schema(min_length = 1, max_length = 200)]
    pub current_password: String,
    #[validate(length(
        min = 8,
        max = 200,
        message = "choose a password of 8 to 200 characters"
    ))]
    #[schema(min_length = 8, max_length = 200)]
    pub new_password: String,
}

/// "I forgot my password": the shop e-mails a link if the account exists (the answer is
/// the same either way).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    #[validate(email(message = "enter a valid e-mail address"), length(max = 254))]
    #[schema(format = "email", max_length = 254)]
    pub email: String,
    /// The language of the e-mail (the shop's own when absent).
    pub language: Option<catalog::Language>,
}

/// A new password set through an e-mailed reset link.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub token: String,
    #[validate(length(
        min = 8,
        max = 200,
        message = "choose a password of 8 to 200 characters"
    ))]
    #[schema(min_length = 8, max_length = 200)]
    pub new_password: String,
}

/// An address, written whole (create and replace).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    /// A name for the customer's own use ("Home", "Office").
    #[serde(default)]
    #[validate(length(max = 60))]
    #[schema(max_length = 60)]
    pub label: String,
    /// Who receives the parcel.
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "^[^\\u0000]*[^\\u0000\\t\\n\\r ][^\\u0000]*$"
    )]
    pub name: String,
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "^[^\\u0000]*[^\\u0000\\t\\n\\r ][^\\u0000]*$"
    )]
    pub street: String,
    #[validate(length(min = 1, max = 20), custom(function = "not_blank"))]
    #[schema(
        min_length = 1,
        max_length = 20,
        pattern = "^[^\\u0000]*[^\\u0000\\t\\n\\r ][^\\u0000]*$"
    )]
    pub postal_code: String,
    #[validate(length(min = 1, max = 100), custom(function = "not_blank"))]
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\u0000]*[^\\u0000\\t\\n\\r ][^\\u0000]*$"
    )]
    pub city: String,
    #[validate(custom(function = "country_code"))]
    #[schema(min_length = 2, max_length = 2, pattern = "^[A-Z]{2}$", example = "LU")]
    pub country: String,
    #[validate(length(max = 40))]
    #[schema(max_length = 40)]
    pub phone: Option<String>,
    #[serde(default)]
    pub is_default_shipping: bool,
    #[serde(default)]
    pub is_default_billing: bool,
}

/// A postal address as an order keeps it (a copy: later edits of the address book do not
/// change placed orders).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostalAddress {
    /// Who receives the parcel.
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "^[^\\u0000]*[^\\u0000\\t\\n\\r ][^\\u0000]*$"
    )]
    pub name: String,
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "^[^\\u0000]*[^\\u0000\\t\\n\\r ][^\\u0000]*$"
    )]
    pub street: String,
    #[validate(length(min = 1, max = 20), custom(function = "not_blank"))]
    #[schema(
        min_length = 1,
        max_length = 20,
        pattern = "^[^\\u0000]*[^\\u0000\\t\\n\\r ][^\\u0000]*$"
    )]
    pub postal_code: String,
    #[validate(length(min = 1, max = 100), custom(function = "not_blank"))]
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\u0000]*[^\\u0000\\t\\n\\r ][^\\u0000]*$"
    )]
    pub city: String,
    #[validate(custom(function = "country_code"))]
    #[schema(min_length = 2, max_length = 2, pattern = "^[A-Z]{2}$", example = "LU")]
    pub country: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 40))]
    #[schema(max_length = 40)]
    pub phone: Option<String>,
}

impl PostalAddress {
    /// The same address with surrounding spaces trimmed and an empty phone dropped.
    pub fn trimmed(&self) -> Self {
        Self {
            name: tidy(&self.name).to_owned(),
            street: tidy(&self.street).to_owned(),
            postal_code: tidy(&self.postal_code).to_owned(),
            city: tidy(&self.city).to_owned(),
            country: self.country.clone(),
            phone: self
                .phone
                .as_deref()
                .map(tidy)
                .filter(|p| !p.is_empty())
                .map(str::to_owned),
        }
    }
}

/// A customer's own account as they see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CustomerProfile {
    #[schema(value_type = i64)]
    pub id: CustomerId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<db::customers::Customer> for CustomerProfile {
    fn from(c: db::customers::Customer) -> Self {
        Self {
            id: c.id,
            email: c.email,
            first_name: c.first_name,
            last_name: c.last_name,
            phone: c.phone,
            created_at: c.created_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AddressView {
    #[schema(value_type = i64)]
    pub id: AddressId,
    pub label: String,
    pub name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub phone: Option<String>,
    pub is_default_shipping: bool,
    pub is_default_billing: bool,
}

impl From<db::customers::Address> for AddressView {
    fn from(a: db::customers::Address) -> Self {
        Self {
            id: a.id,
            label: a.label,
            name: a.name,
            street: a.street,
            postal_code: a.postal_code,
            city: a.city,
            country: a.country,
            phone: a.phone,
            is_default_shipping: a.is_default_shipping,
            is_default_billing: a.is_default_billing,
        }
    }
}

/// A reset link made for a customer: the token exists only here and in the e-mail.
#[derive(Debug, Clone)]
pub struct ResetLink {
    pub customer: CustomerProfile,
    pub token: String,
    pub expires_at: DateTime<Utc>,
}
