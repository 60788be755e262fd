use db::pagination::{Page, PageRequest};
use db::{CustomerId, ProductId, TenantScope};

use catalog::Language;

use crate::{
    CartItemInput, CartSession, CartView, CheckoutInput, OrderError, OrderSummary, OrderView,
    QuantityInput,
};

/// Who checks out: a signed-in customer of the shop (from their verified token) or a guest.
#[derive(Debug, Clone, Copy)]
pub enum Buyer {
    Customer(CustomerId),
    Guest,
}

/// A shop's carts. `language` picks the titles shown.
pub trait CartService: Send + Sync {
    /// The session's cart (empty when it has none yet).
    fn cart(
        &self,
        scope: &TenantScope,
        session: &CartSession,
        language: Option<Language>,
    ) -> Result<CartView, OrderError>;

    /// Adds units of a product on sale, up to what is available.
    fn add(
        &self,
        scope: &TenantScope,
        session: &CartSession,
        input: &CartItemInput,
        language: Option<Language>,
    ) -> Result<CartView, OrderError>;

    /// Sets the quantity of a product already in the cart, up to what is available.
    fn set_quantity(
        &self,
        scope: &TenantScope,
        session: &CartSession,
        product: ProductId,
        input: &QuantityInput,
        language: Option<Language>,
    ) -> Result<CartView, OrderError>;

    fn remove(
        &self,
        scope: &TenantScope,
        session: &CartSession,
        product: ProductId,
        language: Option<Language>,
    ) -> Result<CartView, OrderError>;

    fn clear(&self, scope: &TenantScope, session: &CartSession) -> Result<(), OrderError>;

    /// Makes the session's cart the signed-in customer's, merging in the cart they had
    /// (another device, an earlier visit): quantities add up.
    fn claim(
        &self,
        scope: &TenantScope,
        session: &CartSession,
        customer: CustomerId,
        language: Option<Language>,
    ) -> Result<CartView, OrderError>;
}

/// Checkout and a customer's own orders.
pub trait OrderService: Send + Sync {
    /// Turns the cart into an order: one transaction, inventory reserved, the cart gone.
    /// With an idempotency key, a retry answers the order the first attempt made (and
    /// `false`: nothing new was placed).
    fn checkout(
        &self,
        scope: &TenantScope,
        buyer: Buyer,
        input: &CheckoutInput,
        idempotency_key: Option<&str>,
    ) -> Result<(OrderView, bool), OrderError>;

    fn customer_orders(
        &self,
        scope: &TenantScope,
        customer: CustomerId,
        page: PageRequest,
    ) -> Result<Page<OrderSummary>, OrderError>;

    fn customer_order(
        &self,
        scope: &TenantScope,
        customer: CustomerId,
        order_number: &str,
    ) -> Result<OrderView, OrderError>;

    /// The shop's shipping and payment choices and VAT rate, as checkout offers them.
    fn options(&self, scope: &TenantScope) -> Result<crate::CheckoutOptions, OrderError>;

    /// The vendor's orders, newest first, with filters.
    fn vendor_orders(
        &self,
        scope: &TenantScope,
        query: &crate::VendorOrderQuery,
    ) -> Result<Page<OrderSummary>, OrderError>;

    /// One of the vendor's orders, with the moves open from its status.
    fn vendor_order(
        &self,
        scope: &TenantScope,
        order_number: &str,
    ) -> Result<crate::VendorOrderView, OrderError>;

    /// One of the vendor's orders with the shop's name and address, for its packing slip and
    /// invoice.
    fn vendor_paper(
        &self,
        scope: &TenantScope,
        order_number: &str,
    ) -> Result<crate::OrderPaper, OrderError>;

    /// Moves an order through the status table (409 `InvalidTransition` for any other move),
    /// with its inventory effect and history row, in one transaction.
    fn change_status(
        &self,
        scope: &TenantScope,
        by: db::UserId,
        order_number: &str,
        input: &crate::StatusChange,
    ) -> Result<crate::VendorOrderView, OrderError>;

    /// Records that a manual payment arrived (a pending order becomes confirmed); 409
    /// `PaymentClosed` for an order paid already, cancelled or refunded. Audited.
    fn mark_paid(
        &self,
        scope: &TenantScope,
        actor: &db::audit::Actor,
        order_number: &str,
        input: &crate::MarkPaid,
    ) -> Result<crate::VendorOrderView, OrderError>;

    /// Refunds units of a delivered, paid order (restocked); the last units refund the whole
    /// order. Audited.
    fn refund(
        &self,
        scope: &TenantScope,
        actor: &db::audit::Actor,
        order_number: &str,
        input: &crate::RefundInput,
    ) -> Result<crate::VendorOrderView, OrderError>;

    /// Every order of one customer account, with items and history, newest first (what a
    /// GDPR export of the customer lists).
    fn customer_history(
        &self,
        scope: &TenantScope,
        customer: CustomerId,
    ) -> Result<Vec<OrderView>, OrderError>;

    /// A download's next batch: up to `limit` orders the filters match (page and size
    /// ignored), placed before the order whose `id` is `before` (from the newest when `None`),
    /// newest first. A download asks batch after batch until one comes back short.
    fn vendor_export_batch(
        &self,
        scope: &TenantScope,
        query: &crate::VendorOrderQuery,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<crate::ExportedOrder>, OrderError>;

    /// The shop's sales figures for its dashboard (computed by SQL).
    fn figures(&self, scope: &TenantScope) -> Result<crate::SalesFigures, OrderError>;

    /// The shop's checkout settings (Luxembourg's defaults until it sets its own).
    fn settings(&self, scope: &TenantScope) -> Result<crate::CheckoutSettings, OrderError>;

    /// Replaces the shop's checkout settings (audited); the next checkout uses them.
    fn set_settings(
        &self,
        scope: &TenantScope,
        actor: &db::audit::Actor,
        input: &crate::CheckoutSettings,
    ) -> Result<crate::CheckoutSettings, OrderError>;
}
