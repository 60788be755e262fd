//! Inputs and answers of carts, checkout and orders.

use catalog::Language;
use chrono::{DateTime, Utc};
use customers::PostalAddress;
use db::ProductId;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

/// The most units of one product a cart holds.
pub const MAX_QUANTITY: i32 = 999;

/// A cart's session: an opaque random string the browser keeps in a cookie (or a client
/// makes: 32 to 128 of `A-Z a-z 0-9 _ -`, e.g. 32 random bytes in base64url). Only its hash is
/// stored.
#[derive(Debug, Clone)]
pub struct CartSession(String);

impl CartSession {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        valid_session(raw)?;
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

fn valid_session(raw: &str) -> Result<(), ValidationError> {
    let ok = (32..=128).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        return Ok(());
    }
    Err(ValidationError::new("session")
        .with_message("a cart session is 32 to 128 letters, digits, '-' or '_'".into()))
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CartItemInput {
    #[schema(value_type = i64, minimum = 1)]
    pub product_id: ProductId,
    #[validate(range(min = 1, max = 999))]
    #[schema(minimum = 1, maximum = 999)]
    pub quantity: i32,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuantityInput {
    #[validate(range(min = 1, max = 999))]
    #[schema(minimum = 1, maximum = 999)]
    pub quantity: i32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CartLine {
    #[schema(value_type = i64)]
    pub product_id: ProductId,
    pub sku: String,
    pub title: String,
    pub thumbnail_url: Option<String>,
    /// The catalogue's price now (the sale price when lower).
    pub unit_price_cents: i64,
    pub quantity: i32,
    pub line_total_cents: i64,
    /// Whether this quantity can be bought now.
    pub available: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CartView {
    pub items: Vec<CartLine>,
    /// Units over all lines.
    pub item_count: i64,
    pub subtotal_cents: i64,
    pub currency: String,
    /// Products in the cart that are no longer on sale: not counted, and checkout refuses
    /// until they are removed.
    #[schema(value_type = Vec<i64>)]
    pub unavailable_product_ids: Vec<ProductId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShippingMethod {
    /// Sent to the shipping address at the shop's flat rate (free above its threshold).
    Delivery,
    /// Collected at the shop: no shipping cost.
    Pickup,
}

impl ShippingMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            ShippingMethod::Delivery => "delivery",
            ShippingMethod::Pickup => "pickup",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    BankTransfer,
    /// Paid when collected: with pickup only.
    CashOnPickup,
    /// Paid on Stripe Checkout, for shops that connected their Stripe account.
    Card,
}

impl PaymentMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::BankTransfer => "bank_transfer",
            PaymentMethod::CashOnPickup => "cash_on_pickup",
            PaymentMethod::Card => "card",
        }
    }
}

/// A checkout. Prices, totals and the shop come from the server, never from here: unknown
/// fields (a price, a `vendor_id`) are refused.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckoutInput {
    #[validate(custom(function = "valid_session"))]
    #[schema(min_length = 32, max_length = 128, pattern = "^[A-Za-z0-9_-]{32,128}$")]
    pub cart_session: String,
    /// A guest's e-mail (required without a customer token; a signed-in customer's orders
    /// go to their account's e-mail).
    #[validate(email(message = "enter a valid e-mail address"), length(max = 254))]
    #[schema(format = "email", max_length = 254)]
    pub email: Option<String>,
    #[validate(nested)]
    pub shipping_address: PostalAddress,
    /// The shipping address when absent.
    #[validate(nested)]
    pub billing_address: Option<PostalAddress>,
    #[serde(default = "delivery")]
    pub shipping_method: ShippingMethod,
    pub payment_method: PaymentMethod,
    #[validate(length(max = 1000))]
    #[schema(max_length = 1000)]
    pub notes: Option<String>,
    /// The language of the order's texts and e-mails (the shop's default when absent).
    pub language: Option<Language>,
}

fn delivery() -> ShippingMethod {
    ShippingMethod::Delivery
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrderItemView {
    #[schema(value_type = Option<i64>)]
    pub product_id: Option<ProductId>,
    pub sku: String,
    pub title: String,
    pub unit_price_cents: i64,
    pub quantity: i32,
    pub line_total_cents: i64,
    /// Units of this line refunded so far.
    pub refunded_quantity: i32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusChangeView {
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrderView {
    pub order_number: String,
    pub status: String,
    pub payment_status: String,
    pub payment_method: String,
    pub shipping_method: String,
    pub email: String,
    pub currency: String,
    pub subtotal_cents: i64,
    pub shipping_cents: i64,
    /// VAT included in the total.
    pub tax_cents: i64,
    pub total_cents: i64,
    /// 1700 = 17 %.
    pub vat_rate_basis_points: i32,
    pub shipping_address: PostalAddress,
    pub billing_address: PostalAddress,
    pub notes: String,
    pub placed_at: DateTime<Utc>,
    /// When the payment arrived (`null` while unpaid).
    pub paid_at: Option<DateTime<Utc>>,
    /// What has gone back to the customer so far.
    pub refunded_cents: i64,
    /// Where to send the bank transfer, while a bank-transfer order waits for its payment
    /// (the shop's account from its checkout settings).
    pub pay_to: Option<crate::BankAccount>,
    /// Set when the order ships by a carrier.
    pub carrier: Option<crate::Carrier>,
    pub tracking_number: Option<String>,
    /// The carrier's page for the parcel.
    pub tracking_url: Option<String>,
    pub items: Vec<OrderItemView>,
    pub history: Vec<StatusChangeView>,
}

/// An order as the vendor's team sees it: the customer's view, who the customer is, and the
/// moves open from its status (the only actions the dashboard offers).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VendorOrderView {
    #[serde(flatten)]
    pub order: OrderView,
    #[schema(value_type = Option<i64>)]
    pub customer_id: Option<db::CustomerId>,
    pub allowed_next: Vec<crate::OrderStatus>,
}

/// Filters of the vendor's order list.
#[derive(Debug, Clone, Default, Deserialize, Validate, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct VendorOrderQuery {
    #[param(inline)]
    pub status: Option<crate::OrderStatus>,
    #[param(inline)]
    pub payment_status: Option<PaymentStatus>,
    /// Placed at or after (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Placed before (RFC 3339).
    pub to: Option<DateTime<Utc>>,
    #[validate(custom(function = "positive_id"))]
    #[param(value_type = Option<i64>, minimum = 1)]
    pub customer_id: Option<db::CustomerId>,
    /// Part of the order number or of the buyer's e-mail.
    #[validate(length(min = 1, max = 100))]
    #[param(min_length = 1, max_length = 100)]
    pub q: Option<String>,
    /// From 1; out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub page: Option<i64>,
    /// 1 to 100 (default 20); out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub per_page: Option<i64>,
}

/// Ids start at 1.
fn positive_id(id: &db::CustomerId) -> Result<(), ValidationError> {
    if id.0 >= 1 {
        return Ok(());
    }
    Err(ValidationError::new("range").with_message("ids start at 1".into()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    Unpaid,
    Paid,
    Refunded,
    PartiallyRefunded,
}

impl PaymentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Unpaid => "unpaid",
            PaymentStatus::Paid => "paid",
            PaymentStatus::Refunded => "refunded",
            PaymentStatus::PartiallyRefunded => "partially_refunded",
        }
    }
}

/// An order in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrderSummary {
    pub order_number: String,
    pub email: String,
    pub status: String,
    pub payment_status: String,
    pub currency: String,
    pub total_cents: i64,
    pub item_count: i64,
    pub placed_at: DateTime<Utc>,
}

/// The vendor records that the payment of a manual method (a bank transfer, cash) arrived.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkPaid {
    /// For the order's history (e.g. the bank reference).
    #[validate(length(max = 1000))]
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

/// Units of one order line to refund.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundLine {
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub sku: String,
    #[validate(range(min = 1, max = 999))]
    #[schema(minimum = 1, maximum = 999)]
    pub quantity: i32,
}

/// A partial refund of a delivered, paid order: the units that came back (restocked) and
/// are paid back at the price the customer paid.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundInput {
    #[validate(length(min = 1, max = 100), nested)]
    #[schema(min_items = 1, max_items = 100)]
    pub items: Vec<RefundLine>,
    #[validate(length(max = 1000))]
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

/// An order as the CSV download lists it: one row per order.
#[derive(Debug, Clone)]
pub struct ExportedOrder {
    /// Where the next batch of a download starts (not a column of the file).
    pub id: i64,
    pub order_number: String,
    pub placed_at: DateTime<Utc>,
    pub status: String,
    pub payment_status: String,
    pub payment_method: String,
    pub shipping_method: String,
    pub email: String,
    /// The name on the shipping address.
    pub name: String,
    pub country: String,
    pub item_count: i64,
    pub currency: String,
    pub subtotal_cents: i64,
    pub shipping_cents: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
    pub refunded_cents: i64,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
}

impl ExportedOrder {
    /// The row of `order`; `items` holds (at least) its items.
    pub(crate) fn new(order: db::orders::Order, items: &[db::orders::Item]) -> Self {
        let address = serde_json::from_value::<PostalAddress>(order.shipping_address).ok();
        Self {
            item_count: items
                .iter()
                .filter(|i| i.order_id == order.id)
                .map(|i| i64::from(i.quantity))
                .sum(),
            name: address.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
            country: address.map(|a| a.country).unwrap_or_default(),
            id: order.id,
            order_number: order.order_number,
            placed_at: order.placed_at,
            status: order.status,
            payment_status: order.payment_status,
            payment_method: order.payment_method,
            shipping_method: order.shipping_method,
            email: order.email,
            currency: order.currency,
            subtotal_cents: order.subtotal_cents,
            shipping_cents: order.shipping_cents,
            tax_cents: order.tax_cents,
            total_cents: order.total_cents,
            refunded_cents: order.refunded_cents,
            carrier: order.carrier,
            tracking_number: order.tracking_number,
        }
    }
}

/// The shop as its printed papers (packing slip, invoice) name it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Seller {
    pub name: String,
    pub address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// An order with its seller: what a packing slip or an invoice prints.
#[derive(Debug, Clone, Serialize)]
pub struct OrderPaper {
    pub order: VendorOrderView,
    pub seller: Seller,
}
