//! A shop's checkout settings: shipping (a flat rate, free above a threshold, pickup), the
//! VAT rate included in its prices, and the payment methods it takes. Kept in the vendor's
//! settings under `checkout`; a shop that never set them gets Luxembourg's defaults.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::{PaymentMethod, ShippingMethod};

/// The key of these settings among the vendor's settings.
pub(crate) const KEY: &str = "checkout";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckoutSettings {
    /// What delivery costs (VAT included).
    #[validate(range(min = 0, max = 10_000_000))]
    #[schema(minimum = 0, maximum = 10_000_000)]
    pub shipping_flat_cents: i64,
    /// Delivery is free from this subtotal on; `null`: never free.
    #[validate(range(min = 0, max = 1_000_000_000))]
    #[schema(minimum = 0, maximum = 1_000_000_000)]
    pub free_shipping_from_cents: Option<i64>,
    /// Whether customers may collect their order at the shop.
    pub pickup_enabled: bool,
    /// The VAT rate included in every price, in basis points (1700 = 17 %, Luxembourg's
    /// standard rate).
    #[validate(range(min = 0, max = 10_000))]
    #[schema(minimum = 0, maximum = 10000)]
    pub vat_rate_basis_points: i32,
    /// The payment methods the shop takes (at least one; `card` once a Stripe account is
    /// connected).
    #[validate(length(min = 1, max = 3))]
    #[schema(min_items = 1, max_items = 3)]
    pub payment_methods: Vec<PaymentMethod>,
    /// The account bank transfers go to: shown with every unpaid bank-transfer order (the
    /// confirmation e-mail, the customer's order page, the invoice).
    #[serde(default)]
    #[validate(nested)]
    pub bank_account: Option<BankAccount>,
}

/// A bank account, as a customer needs it for a transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BankAccount {
    /// Who the account belongs to.
    #[validate(length(min = 1, max = 100), custom(function = "not_blank"))]
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\u0000]*[^\\u0000\\t\\n\\r ][^\\u0000]*$"
    )]
    pub holder: String,
    /// Checked by its country's format and check digits; spaces are allowed (`LU28 0019
    /// 4006 4475 0000`).
    #[validate(length(min = 15, max = 42), custom(function = "valid_iban"))]
    #[schema(min_length = 15, max_length = 42, example = "LU28 0019 4006 4475 0000")]
    pub iban: String,
    /// The bank's BIC (8 or 11 letters and digits).
    #[validate(custom(function = "valid_bic"))]
    #[schema(pattern = "^[A-Z0-9]{8}([A-Z0-9]{3})?$")]
    pub bic: Option<String>,
}

fn not_blank(value: &str) -> Result<(), ValidationError> {
    if value.trim_matches([' ', '\t', '\n', '\r']).is_empty() {
        return Err(ValidationError::new("blank").with_message("this cannot be blank".into()));
    }
    Ok(())
}

fn valid_iban(value: &str) -> Result<(), ValidationError> {
    match value.parse::<iban::Iban>() {
        Ok(_) => Ok(()),
        Err(_) => Err(ValidationError::new("iban")
            .with_message("this is not a valid IBAN (check its digits and length)".into())),
    }
}

fn valid_bic(value: &str) -> Result<(), ValidationError> {
    let fits = matches!(value.len(), 8 | 11)
        && value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if fits {
        return Ok(());
    }
    Err(ValidationError::new("bic")
        .with_message("a BIC is 8 or 11 capital letters and digits".into()))
}

impl Default for CheckoutSettings {
    fn default() -> Self {
        Self {
            shipping_flat_cents: 490,
            free_shipping_from_cents: Some(50_00),
            pickup_enabled: true,
            vat_rate_basis_points: 1700,
            payment_methods: vec![PaymentMethod::BankTransfer, PaymentMethod::CashOnPickup],
            bank_account: None,
        }
    }
}

impl CheckoutSettings {
    /// The shop's stored settings, or the defaults when none (or unreadable ones) are
    /// stored — with the platform's default VAT rate when the admin has set one.
    pub(crate) fn load(tx: &mut db::TenantTx<'_>) -> db::diesel_error::QueryResult<Self> {
        let stored = db::settings::group(tx, KEY)?.and_then(|v| serde_json::from_value(v).ok());
        if let Some(settings) = stored {
            return Ok(settings);
        }
        let vat = db::platform_settings::value(tx, db::platform_settings::DEFAULT_VAT_RATE)?
            .and_then(|v| v.as_i64())
            .and_then(|n| i32::try_from(n).ok())
            .filter(|n| (0..=10_000).contains(n));
        Ok(Self {
            vat_rate_basis_points: vat.unwrap_or(1700),
            ..Self::default()
        })
    }

    /// What shipping costs for a subtotal.
    pub fn shipping_cents(&self, method: ShippingMethod, subtotal_cents: i64) -> i64 {
        match method {
            ShippingMethod::Pickup => 0,
            ShippingMethod::Delivery => match self.free_shipping_from_cents {
                Some(from) if subtotal_cents >= from => 0,
                _ => self.shipping_flat_cents,
            },
        }
    }

    /// Refuses a shipping or payment method the shop does not offer (a card without a
    /// connected account among them), or cash on pickup with delivery.
    pub(crate) fn check(
        &self,
        shipping: ShippingMethod,
        payment: PaymentMethod,
        card_ready: bool,
    ) -> Result<(), crate::OrderError> {
        use crate::OrderError::MethodUnavailable;
        if shipping == ShippingMethod::Pickup && !self.pickup_enabled {
            return Err(MethodUnavailable(
                "shipping_method",
                "this shop does not offer pickup".into(),
            ));
        }
        if !self.payment_methods.contains(&payment)
            || (payment == PaymentMethod::Card && !card_ready)
        {
            return Err(MethodUnavailable(
                "payment_method",
                "this shop does not take this payment method".into(),
            ));
        }
        if payment == PaymentMethod::CashOnPickup && shipping != ShippingMethod::Pickup {
            return Err(MethodUnavailable(
                "payment_method",
                "cash is taken only when you collect the order".into(),
            ));
        }
        Ok(())
    }
}

/// A way to receive an order, with its price.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShippingOption {
    pub method: ShippingMethod,
    pub price_cents: i64,
    /// Free from this subtotal on.
    pub free_from_cents: Option<i64>,
}

/// What a shop's checkout offers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckoutOptions {
    pub shipping: Vec<ShippingOption>,
    pub payment_methods: Vec<PaymentMethod>,
    pub vat_rate_basis_points: i32,
}

impl CheckoutOptions {
    /// What the settings offer; cards only while an account is connected (`card_ready`).
    pub(crate) fn new(s: &CheckoutSettings, card_ready: bool) -> Self {
        let mut shipping = vec![ShippingOption {
            method: ShippingMethod::Delivery,
            price_cents: s.shipping_flat_cents,
            free_from_cents: s.free_shipping_from_cents,
        }];
        if s.pickup_enabled {
            shipping.push(ShippingOption {
                method: ShippingMethod::Pickup,
                price_cents: 0,
                free_from_cents: None,
            });
        }
        Self {
            shipping,
            payment_methods: s
                .payment_methods
                .iter()
                .copied()
                .filter(|m| *m != PaymentMethod::Card || card_ready)
                .collect(),
            vat_rate_basis_points: s.vat_rate_basis_points,
        }
    }
}
