use db::ProductId;
use serde::Serialize;
use utoipa::ToSchema;

/// One product a checkout (or cart change) cannot have in the quantity asked.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Shortage {
    #[schema(value_type = i64)]
    pub product_id: ProductId,
    /// Empty when the product is no longer on sale.
    pub title: String,
    pub requested: i64,
    pub available: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    /// Not on sale in this shop (unknown, inactive, deleted, or another shop's).
    #[error("product not found")]
    ProductNotFound,
    #[error("the product is not in the cart")]
    NotInCart,
    #[error("not enough inventory for {}", names(.0))]
    Insufficient(Vec<Shortage>),
    #[error("the cart is empty")]
    CartEmpty,
    #[error("a cart holds at most {0} units of one product")]
    TooMany(i32),
    #[error("the cart mixes currencies; check out products of one currency at a time")]
    MixedCurrencies,
    /// The shop does not offer this shipping or payment method (or not together).
    #[error("{1}")]
    MethodUnavailable(&'static str, String),
    #[error("order not found")]
    NotFound,
    /// The move is not in the status table from the order's status now.
    #[error("an order that is {from} cannot become {to}")]
    InvalidTransition { from: String, to: String },
    /// A delivery order ships with its carrier and tracking number.
    #[error("name the carrier and the tracking number of the parcel")]
    ShipmentRequired,
    /// Only an unpaid, open order can be marked paid.
    #[error("an order that is {status} and {payment_status} cannot be marked paid")]
    PaymentClosed {
        status: String,
        payment_status: String,
    },
    /// Only a delivered order that was paid can be refunded in part.
    #[error(
        "an order that is {status} and {payment_status} cannot be refunded in part; only a delivered, paid order can"
    )]
    NotRefundable {
        status: String,
        payment_status: String,
    },
    #[error("invalid input")]
    Validation(#[from] validator::ValidationErrors),
    #[error(transparent)]
    Catalog(#[from] catalog::CatalogError),
    #[error(transparent)]
    Inventory(#[from] inventory::InventoryError),
    #[error(transparent)]
    Storage(#[from] db::Error),
}

db::storage_error!(OrderError);

fn names(shortages: &[Shortage]) -> String {
    shortages
        .iter()
        .map(|s| {
            let name = if s.title.is_empty() {
                format!("product {}", s.product_id)
            } else {
                format!("'{}'", s.title)
            };
            format!("{name} ({} asked, {} available)", s.requested, s.available)
        })
        .collect::<Vec<_>>()
        .join(", ")
}
