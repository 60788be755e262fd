//! Checkout and a customer's orders over PostgreSQL.

use std::sync::Arc;

use catalog::{CatalogService, Language};
use customers::PostalAddress;
use db::orders::{self as repo, NewItem, NewOrder, Order};
use db::pagination::{Page, PageRequest};
use db::{CustomerId, Db, Email, TenantScope, TenantTx};
use inventory::{InventoryError, InventoryService};
use validator::Validate;

use crate::money::{included_vat, order_number};
use crate::settings::{self, CheckoutSettings};
use crate::{
    Buyer, CartSession, CheckoutInput, CheckoutOptions, OrderError, OrderItemView, OrderService,
    OrderSummary, OrderView, Shortage, StatusChangeView,
};

pub struct PgOrders {
    db: Db,
    catalog: Arc<dyn CatalogService>,
    inventory: Arc<dyn InventoryService>,
}

impl PgOrders {
    pub fn new(
        db: Db,
        catalog: Arc<dyn CatalogService>,
        inventory: Arc<dyn InventoryService>,
    ) -> Self {
        Self {
            db,
            catalog,
            inventory,
        }
    }

    pub(crate) fn db(&self) -> &Db {
        &self.db
    }

    pub(crate) fn inventory(&self) -> &dyn InventoryService {
        self.inventory.as_ref()
    }

    /// The whole checkout, in the caller's transaction; `None` when the idempotency key
    /// already made an order (the caller answers that one).
    fn place(
        &self,
        tx: &mut TenantTx<'_>,
        buyer: Buyer,
        input: &CheckoutInput,
        key: Option<&str>,
    ) -> Result<Order, OrderError> {
        let settings = CheckoutSettings::load(tx)?;
        let card_ready = db::payment_accounts::find(tx)?.is_some();
        settings.check(input.shipping_method, input.payment_method, card_ready)?;
        let email = buyer_email(tx, buyer, input)?;
        let session =
            CartSession::parse(&input.cart_session).map_err(|e| field("cart_session", e))?;
        let cart = db::carts::lock(tx, &session.hash())?.ok_or(OrderError::CartEmpty)?;
        let mut items = db::carts::items(tx, cart.id)?;
        if items.is_empty() {
            return Err(OrderError::CartEmpty);
        }
        // Ascending product order: every checkout locks inventory rows in one order.
        items.sort_by_key(|i| i.product_id);
        let ids: Vec<_> = items.iter().map(|i| i.product_id).collect();
        let mut lines = self.catalog.sale_lines_in(tx, &ids, input.language)?;

        let order_id = repo::next_id(tx)?;
        let mut shortages = Vec::new();
        let mut bought = Vec::with_capacity(items.len());
        for item in &items {
            let Some(line) = lines.remove(&item.product_id) else {
                shortages.push(Shortage {
                    product_id: item.product_id,
                    title: String::new(),
                    requested: i64::from(item.quantity),
                    available: 0,
                });
                continue;
            };
            match self
                .inventory
                .reserve_for_order(tx, item.product_id, item.quantity, order_id)
            {
                Ok(()) => bought.push((line, item.quantity)),
                Err(InventoryError::Insufficient { available, .. }) => shortages.push(Shortage {
                    product_id: item.product_id,
                    title: line.title,
                    requested: i64::from(item.quantity),
                    available,
                }),
                Err(e) => return Err(e.into()),
            }
        }
        if !shortages.is_empty() {
            return Err(OrderError::Insufficient(shortages));
        }
        let currency = bought
            .first()
            .map(|(l, _)| l.currency.clone())
            .unwrap_or_else(|| "EUR".to_owned());
        if bought.iter().any(|(l, _)| l.currency != currency) {
            return Err(OrderError::MixedCurrencies);
        }
        let subtotal: i64 = bought
            .iter()
            .map(|(l, q)| l.unit_price_cents * i64::from(*q))
            .sum();
        let shipping = settings.shipping_cents(input.shipping_method, subtotal);
        let total = subtotal + shipping;
        let shipping_address = input.shipping_address.trimmed();
        let billing_address = input
            .billing_address
            .as_ref()
            .map_or_else(|| shipping_address.clone(), PostalAddress::trimmed);
        let vendor_id = tx.vendor_id();
        let code = db::vendors::find(tx, vendor_id)?
            .map(|v| v.code)
            .unwrap_or_default();
        let language = match input.language {
            Some(l) => l,
            None => Language::parse(&db::settings::default_language(tx)?).unwrap_or(Language::Fr),
        };
        // Last: the counter row stays locked only until the commit that follows.
        let number = order_number(&code, repo::next_number(tx)?);
        let shipping_json = serde_json::to_value(&shipping_address).unwrap_or_default();
        let billing_json = serde_json::to_value(&billing_address).unwrap_or_default();
        let order = repo::insert(
            tx,
            &NewOrder {
                id: order_id,
                vendor_id,
                order_number: &number,
                customer_id: match buyer {
                    Buyer::Customer(id) => Some(id),
                    Buyer::Guest => None,
                },
                email: email.as_str(),
                payment_method: input.payment_method.as_str(),
                shipping_method: input.shipping_method.as_str(),
                currency: &currency,
                subtotal_cents: subtotal,
                shipping_cents: shipping,
                tax_cents: included_vat(total, settings.vat_rate_basis_points),
                total_cents: total,
                vat_rate_basis_points: settings.vat_rate_basis_points,
                shipping_address: &shipping_json,
                billing_address: &billing_json,
                notes: input.notes.as_deref().unwrap_or_default().trim(),
                language: language.as_str(),
                idempotency_key: key,
            },
        )?;
        let rows: Vec<NewItem<'_>> = bought
            .iter()
            .map(|(line, quantity)| NewItem {
                vendor_id,
                order_id,
                product_id: Some(line.product_id),
                sku: &line.sku,
                title: &line.title,
                unit_price_cents: line.unit_price_cents,
                quantity: *quantity,
                line_total_cents: line.unit_price_cents * i64::from(*quantity),
            })
            .collect();
        repo::insert_items(tx, &rows)?;
        repo::record_status(tx, order_id, None, "pending", None, "")?;
        db::carts::delete(tx, cart.id)?;
        Ok(order)
    }
}

/// The e-mail the order goes to: the signed-in customer's, else the guest's (required).
fn buyer_email(
    tx: &mut TenantTx<'_>,
    buyer: Buyer,
    input: &CheckoutInput,
) -> Result<Email, OrderError> {
    match buyer {
        Buyer::Customer(id) => db::customers::find(tx, id)?
            .map(|c| Email::new(&c.email))
            .ok_or(OrderError::NotFound),
        Buyer::Guest => match input.email.as_deref() {
            Some(email) => Ok(Email::new(email)),
            None => Err(field(
                "email",
                validator::ValidationError::new("required")
                    .with_message("enter your e-mail to check out as a guest".into()),
            )),
        },
    }
}

fn field(name: &'static str, error: validator::ValidationError) -> OrderError {
    let mut errors = validator::ValidationErrors::new();
    errors.add(name, error);
    OrderError::Validation(errors)
}

/// Orders as lists show them, with their unit counts (one query for all their items).
pub(crate) fn summaries(
    tx: &mut TenantTx<'_>,
    orders: Vec<Order>,
) -> Result<Vec<OrderSummary>, OrderError> {
    let ids: Vec<i64> = orders.iter().map(|o| o.id).collect();
    let items = repo::items(tx, &ids)?;
    Ok(orders
        .into_iter()
        .map(|o| OrderSummary {
            item_count: items
                .iter()
                .filter(|i| i.order_id == o.id)
                .map(|i| i64::from(i.quantity))
                .sum(),
            email: o.email,
            order_number: o.order_number,
            status: o.status,
            payment_status: o.payment_status,
            currency: o.currency,
            total_cents: o.total_cents,
            placed_at: o.placed_at,
        })
        .collect())
}

/// The shop's bank account while a bank-transfer order waits for its payment.
fn pay_to(tx: &mut TenantTx<'_>, order: &Order) -> Result<Option<crate::BankAccount>, OrderError> {
    let waiting = order.payment_method == crate::PaymentMethod::BankTransfer.as_str()
        && order.payment_status == crate::PaymentStatus::Unpaid.as_str()
        && order.status != crate::OrderStatus::Cancelled.as_str();
    if !waiting {
        return Ok(None);
    }
    Ok(CheckoutSettings::load(tx)?.bank_account)
}

/// An order with its items and history, as its customer sees it.
pub(crate) fn view(tx: &mut TenantTx<'_>, order: Order) -> Result<OrderView, OrderError> {
    let items = repo::items(tx, &[order.id])?
        .into_iter()
        .map(|i| OrderItemView {
            product_id: i.product_id,
            sku: i.sku,
            title: i.title,
            unit_price_cents: i.unit_price_cents,
            quantity: i.quantity,
            line_total_cents: i.line_total_cents,
            refunded_quantity: i.refunded_quantity,
        })
        .collect();
    let history = repo::history(tx, order.id)?
        .into_iter()
        .map(|h| StatusChangeView {
            from_status: h.from_status,
            to_status: h.to_status,
            note: h.note,
            at: h.at,
        })
        .collect();
    let address = |v: serde_json::Value| serde_json::from_value::<PostalAddress>(v).ok();
    let pay_to = pay_to(tx, &order)?;
    let carrier = order.carrier.as_deref().and_then(crate::Carrier::parse);
    Ok(OrderView {
        shipping_address: address(order.shipping_address).ok_or(OrderError::NotFound)?,
        billing_address: address(order.billing_address).ok_or(OrderError::NotFound)?,
        order_number: order.order_number,
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
        vat_rate_basis_points: order.vat_rate_basis_points,
        notes: order.notes,
        placed_at: order.placed_at,
        pay_to,
        paid_at: order.paid_at,
        refunded_cents: order.refunded_cents,
        tracking_url: match (carrier, &order.tracking_number) {
            (Some(c), Some(number)) => Some(c.tracking_url(number)),
            _ => None,
        },
        carrier,
        tracking_number: order.tracking_number,
        items,
        history,
    })
}

impl OrderService for PgOrders {
    fn checkout(
        &self,
        scope: &TenantScope,
        buyer: Buyer,
        input: &CheckoutInput,
        key: Option<&str>,
    ) -> Result<(OrderView, bool), OrderError> {
        input.validate()?;
        if let Some(key) = key {
            let earlier =
                self.db
                    .tenant(scope, |tx| match repo::find_by_idempotency_key(tx, key)? {
                        Some(order) => view(tx, order).map(Some),
                        None => Ok(None),
                    })?;
            if let Some(order) = earlier {
                return Ok((order, false));
            }
        }
        let placed = self.db.tenant(scope, |tx| {
            let order = self.place(tx, buyer, input, key)?;
            let language = order.language.clone();
            let order = view(tx, order)?;
            crate::notify::team(tx, &order)?;
            mail::queue(
                tx,
                &order.email,
                mail::Template::OrderConfirmation,
                &language,
                &serde_json::json!({ "order": &order }),
            )?;
            Ok(order)
        });
        match placed {
            Ok(order) => Ok((order, true)),
            // The same key raced this one and won: answer its order.
            Err(OrderError::Storage(e))
                if key.is_some()
                    && e.unique_violation() == Some("orders_vendor_idempotency_key") =>
            {
                let key = key.unwrap_or_default();
                let order = self.db.tenant(scope, |tx| {
                    let order =
                        repo::find_by_idempotency_key(tx, key)?.ok_or(OrderError::NotFound)?;
                    view(tx, order)
                })?;
                Ok((order, false))
            }
            Err(e) => Err(e),
        }
    }

    fn customer_orders(
        &self,
        scope: &TenantScope,
        customer: CustomerId,
        page: PageRequest,
    ) -> Result<Page<OrderSummary>, OrderError> {
        self.db.tenant(scope, |tx| {
            let (orders, total) = repo::for_customer(tx, customer, page.per_page, page.offset())?;
            let summaries = summaries(tx, orders)?;
            Ok(Page::new(summaries, total, page))
        })
    }

    fn customer_order(
        &self,
        scope: &TenantScope,
        customer: CustomerId,
        order_number: &str,
    ) -> Result<OrderView, OrderError> {
        self.db.tenant(scope, |tx| {
            let order =
                repo::find_for_customer(tx, customer, order_number)?.ok_or(OrderError::NotFound)?;
            view(tx, order)
        })
    }

    fn vendor_orders(
        &self,
        scope: &TenantScope,
        query: &crate::VendorOrderQuery,
    ) -> Result<Page<OrderSummary>, OrderError> {
        self.db
            .tenant(scope, |tx| crate::transitions::list(tx, query))
    }

    fn vendor_order(
        &self,
        scope: &TenantScope,
        order_number: &str,
    ) -> Result<crate::VendorOrderView, OrderError> {
        self.db.tenant(scope, |tx| {
            let order = repo::find_by_number(tx, order_number)?.ok_or(OrderError::NotFound)?;
            crate::transitions::vendor_view(tx, order)
        })
    }

    fn vendor_paper(
        &self,
        scope: &TenantScope,
        order_number: &str,
    ) -> Result<crate::OrderPaper, OrderError> {
        self.db.tenant(scope, |tx| {
            let order = repo::find_by_number(tx, order_number)?.ok_or(OrderError::NotFound)?;
            let order = crate::transitions::vendor_view(tx, order)?;
            let vendor_id = tx.vendor_id();
            let vendor = db::vendors::find(tx, vendor_id)?.ok_or(OrderError::NotFound)?;
            Ok(crate::OrderPaper {
                order,
                seller: crate::Seller {
                    name: vendor.name,
                    address: vendor.business_address,
                    email: vendor.business_email,
                    phone: vendor.business_phone,
                },
            })
        })
    }

    fn change_status(
        &self,
        scope: &TenantScope,
        by: db::UserId,
        order_number: &str,
        input: &crate::StatusChange,
    ) -> Result<crate::VendorOrderView, OrderError> {
        self.db.tenant(scope, |tx| {
            crate::transitions::change(tx, self.inventory.as_ref(), Some(by), order_number, input)
        })
    }

    fn mark_paid(
        &self,
        scope: &TenantScope,
        actor: &db::audit::Actor,
        order_number: &str,
        input: &crate::MarkPaid,
    ) -> Result<crate::VendorOrderView, OrderError> {
        self.db.tenant(scope, |tx| {
            let order = crate::payments::mark_paid(tx, actor, order_number, input)?;
            crate::transitions::vendor_view(tx, order)
        })
    }

    fn refund(
        &self,
        scope: &TenantScope,
        actor: &db::audit::Actor,
        order_number: &str,
        input: &crate::RefundInput,
    ) -> Result<crate::VendorOrderView, OrderError> {
        self.db.tenant(scope, |tx| {
            let order =
                crate::payments::refund(tx, self.inventory.as_ref(), actor, order_number, input)?;
            crate::transitions::vendor_view(tx, order)
        })
    }

    fn customer_history(
        &self,
        scope: &TenantScope,
        customer: CustomerId,
    ) -> Result<Vec<OrderView>, OrderError> {
        self.db.tenant(scope, |tx| {
            let (orders, _) = repo::for_customer(tx, customer, i64::MAX, 0)?;
            orders.into_iter().map(|o| view(tx, o)).collect()
        })
    }

    fn vendor_export_batch(
        &self,
        scope: &TenantScope,
        query: &crate::VendorOrderQuery,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<crate::ExportedOrder>, OrderError> {
        self.db.tenant(scope, |tx| {
            crate::transitions::export_batch(tx, query, before, limit)
        })
    }

    fn figures(&self, scope: &TenantScope) -> Result<crate::SalesFigures, OrderError> {
        self.db.tenant(scope, crate::figures::figures)
    }

    fn options(&self, scope: &TenantScope) -> Result<CheckoutOptions, OrderError> {
        let card_ready = self.db.tenant(scope, db::payment_accounts::find)?.is_some();
        Ok(CheckoutOptions::new(&self.settings(scope)?, card_ready))
    }

    fn settings(&self, scope: &TenantScope) -> Result<CheckoutSettings, OrderError> {
        Ok(self.db.tenant(scope, CheckoutSettings::load)?)
    }

    fn set_settings(
        &self,
        scope: &TenantScope,
        actor: &db::audit::Actor,
        input: &CheckoutSettings,
    ) -> Result<CheckoutSettings, OrderError> {
        input.validate()?;
        let mut chosen = input.clone();
        chosen.payment_methods.dedup();
        let stored = serde_json::to_value(&chosen).unwrap_or_default();
        self.db.tenant(scope, |tx| {
            if chosen.payment_methods.contains(&crate::PaymentMethod::Card)
                && db::payment_accounts::find(tx)?.is_none()
            {
                return Err(OrderError::MethodUnavailable(
                    "payment_methods",
                    "connect your Stripe account before taking cards".into(),
                ));
            }
            db::settings::set_group(tx, settings::KEY, &stored)?;
            let vendor = tx.vendor_id();
            db::audit::record(
                tx,
                actor,
                db::audit::Event {
                    action: "vendor.checkout_settings",
                    target_type: "vendor",
                    target_id: vendor.to_string(),
                    details: stored.clone(),
                },
            )?;
            Ok::<_, OrderError>(())
        })?;
        Ok(chosen)
    }
}
