//! A shop's checkout settings: shipping (a flat rate, free above a threshold, pickup), the
//! VAT rate included in its prices, and the payment methods it takes. Kept in the vendor's
//! settings under `checkout`; a shop that never set them gets Luxembourg's defaults.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

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
    /// The payment methods the shop takes (at least one).
    #[validate(length(min = 1, max = 2))]
    #[schema(min_items = 1, max_items = 2)]
    pub payment_methods: Vec<PaymentMethod>,
}

impl Default for CheckoutSettings {
    fn default() -> Self {
        Self {
            shipping_flat_cents: 490,
            free_shipping_from_cents: Some(50_00),
            pickup_enabled: true,
            vat_rate_basis_points: 1700,
            payment_methods: vec![PaymentMethod::BankTransfer, PaymentMethod::CashOnPickup],
        }
    }
}

impl CheckoutSettings {
    /// The stored settings, or the defaults when none (or unreadable ones) are stored.
    pub(crate) fn from_stored(stored: Option<serde_json::Value>) -> Self {
        stored
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default()
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

    /// Refuses a shipping or payment method the shop does not offer, or cash on pickup with
    /// delivery.
    pub(crate) fn check(
        &self,
        shipping: ShippingMethod,
        payment: PaymentMethod,
    ) -> Result<(), crate::OrderError> {
        use crate::OrderError::MethodUnavailable;
        if shipping == ShippingMethod::Pickup && !self.pickup_enabled {
            return Err(MethodUnavailable(
                "shipping_method",
                "this shop does not offer pickup".into(),
            ));
        }
        if !self.payment_methods.contains(&payment) {
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

impl From<&CheckoutSettings> for CheckoutOptions {
    fn from(s: &CheckoutSettings) -> Self {
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
            payment_methods: s.payment_methods.clone(),
            vat_rate_basis_points: s.vat_rate_basis_points,
        }
    }
}
