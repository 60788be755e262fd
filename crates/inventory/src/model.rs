//! Inputs and answers of the inventory service.

use chrono::{DateTime, Utc};
use db::{LocationId, ProductId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLocation {
    /// Short name used in files and URLs: lower-case letters, digits, inner hyphens.
    #[validate(custom(function = "location_code"))]
    #[schema(
        pattern = "^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$",
        min_length = 1,
        max_length = 40
    )]
    pub code: String,
    #[validate(length(min = 1, max = 200, message = "enter a name"))]
    #[schema(min_length = 1, max_length = 200, pattern = "^[^\\u0000]*$")]
    pub name: String,
}

static LOCATION_CODE: std::sync::LazyLock<Option<regex::Regex>> =
    std::sync::LazyLock::new(|| regex::Regex::new("^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$").ok());

fn location_code(code: &str) -> Result<(), validator::ValidationError> {
    if LOCATION_CODE.as_ref().is_some_and(|r| r.is_match(code)) {
        Ok(())
    } else {
        Err(validator::ValidationError::new("code")
            .with_message("use 1-40 lower-case letters, digits and inner hyphens".into()))
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LocationView {
    #[schema(value_type = i64)]
    pub id: LocationId,
    pub code: String,
    pub name: String,
    pub is_default: bool,
}

impl From<db::inventory::Location> for LocationView {
    fn from(l: db::inventory::Location) -> Self {
        Self {
            id: l.id,
            code: l.code,
            name: l.name,
            is_default: l.is_default,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetQuantity {
    #[schema(value_type = i64, minimum = 1)]
    pub product_id: ProductId,
    /// The location's code; the default location when absent.
    #[validate(length(min = 1, max = 40))]
    #[schema(min_length = 1, max_length = 40, pattern = "^[^\\u0000]*$")]
    pub location: Option<String>,
    #[validate(range(min = 0, max = 1_000_000_000))]
    #[schema(minimum = 0, maximum = 1_000_000_000)]
    pub quantity: i32,
}

/// Why a quantity changes by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AdjustReason {
    /// Goods came in.
    Received,
    /// A correction (count, damage, loss).
    Adjusted,
    /// A customer sent goods back.
    Returned,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustQuantity {
    #[schema(value_type = i64, minimum = 1)]
    pub product_id: ProductId,
    #[validate(length(min = 1, max = 40))]
    #[schema(min_length = 1, max_length = 40, pattern = "^[^\\u0000]*$")]
    pub location: Option<String>,
    /// Units to add (positive) or take away (negative); 0 changes nothing.
    #[validate(range(min = -1_000_000_000, max = 1_000_000_000))]
    #[schema(minimum = -1_000_000_000, maximum = 1_000_000_000)]
    pub delta: i32,
    pub reason: AdjustReason,
    #[validate(length(max = 500))]
    #[schema(max_length = 500, pattern = "^[^\\u0000]*$")]
    pub note: Option<String>,
}

/// Units of one product for one order line (reserve, release, sell, restock).
#[derive(Debug, Clone, Copy)]
pub struct StockLine {
    pub product_id: ProductId,
    /// The default location when `None`.
    pub location_id: Option<LocationId>,
    pub quantity: i32,
    pub order_id: Option<i64>,
}

/// A product's quantity at one location.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InventoryRow {
    #[schema(value_type = i64)]
    pub product_id: ProductId,
    pub sku: String,
    pub location: String,
    pub quantity: i32,
    pub reserved_quantity: i32,
    /// quantity - reserved_quantity, never below zero.
    pub available: i32,
    /// At or below the product's low-inventory threshold.
    pub is_low: bool,
}

/// A product's quantities summed over its locations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Available {
    pub quantity: i64,
    pub reserved_quantity: i64,
    pub available: i64,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InventoryQuery {
    #[param(value_type = Option<i64>)]
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub product_id: Option<ProductId>,
    /// A location code.
    #[param(max_length = 40)]
    pub location: Option<String>,
    /// Only rows at or below their product's low-inventory threshold.
    pub low: Option<bool>,
    /// From 1; out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub page: Option<i64>,
    /// 1 to 100 (default 20); out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub per_page: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MovementKind {
    Received,
    Adjusted,
    Reserved,
    Released,
    Sold,
    Returned,
}

impl MovementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::Received => "received",
            MovementKind::Adjusted => "adjusted",
            MovementKind::Reserved => "reserved",
            MovementKind::Released => "released",
            MovementKind::Sold => "sold",
            MovementKind::Returned => "returned",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MovementQuery {
    #[param(value_type = Option<i64>)]
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub product_id: Option<ProductId>,
    #[param(inline)]
    pub kind: Option<MovementKind>,
    /// From 1; out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub page: Option<i64>,
    /// 1 to 100 (default 20); out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub per_page: Option<i64>,
}

/// One change, as the ledger shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MovementView {
    pub id: i64,
    #[schema(value_type = i64)]
    pub product_id: ProductId,
    #[schema(value_type = i64)]
    pub location_id: LocationId,
    pub kind: String,
    pub quantity_delta: i32,
    pub reserved_delta: i32,
    pub quantity_after: i32,
    pub reserved_after: i32,
    pub order_id: Option<i64>,
    #[schema(value_type = Option<i64>)]
    pub user_id: Option<UserId>,
    pub note: String,
    pub at: DateTime<Utc>,
}

impl From<db::inventory::Movement> for MovementView {
    fn from(m: db::inventory::Movement) -> Self {
        Self {
            id: m.id,
            product_id: m.product_id,
            location_id: m.location_id,
            kind: m.kind,
            quantity_delta: m.quantity_delta,
            reserved_delta: m.reserved_delta,
            quantity_after: m.quantity_after,
            reserved_after: m.reserved_after,
            order_id: m.order_id,
            user_id: m.user_id,
            note: m.note,
            at: m.at,
        }
    }
}
