//! A shop's carts, checkout and orders. A cart lives in the database under an opaque random
//! session; checkout turns it into an order in one transaction that reserves inventory
//! (product rows locked in ascending order, so concurrent buyers queue instead of
//! deadlocking and never oversell), takes prices from the catalogue only, and numbers the
//! order per vendor (`LUX-000123`). Catalogue and inventory are reached through their
//! service traits, joining this crate's transaction.

mod card;
mod cart;
mod checkout;
mod error;
mod expiry;
mod figures;
mod model;
mod money;
mod notify;
mod payments;
mod service;
mod settings;
mod status;
mod transitions;

pub use card::{
    CardAccountView, CardEvent, CardOutcome, CardPayments, NewCardAccount, SealedAccount,
};
pub use cart::{CART_LIFETIME_DAYS, PgCarts};
pub use checkout::PgOrders;
pub use error::{OrderError, Shortage};
pub use expiry::{
    CARD_EXPIRY_JOB, CARD_PAYMENT_HOURS, CART_EXPIRY_JOB, CardExpiryJob, CartExpiryJob,
};
pub use figures::{DayFigures, PeriodFigures, SalesFigures, StatusCount, TopProduct};
pub use model::{
    CartItemInput, CartLine, CartSession, CartView, CheckoutInput, ExportedOrder, MarkPaid,
    OrderItemView, OrderPaper, OrderSummary, OrderView, PaymentMethod, PaymentStatus,
    QuantityInput, RefundInput, RefundLine, Seller, ShippingMethod, StatusChangeView,
    VendorOrderQuery, VendorOrderView,
};
pub use service::{Buyer, CartService, OrderService};
pub use settings::{BankAccount, CheckoutOptions, CheckoutSettings, ShippingOption};
pub use status::{Carrier, OrderStatus, StatusChange, TRANSITIONS};
