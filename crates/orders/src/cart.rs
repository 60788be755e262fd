//! Carts over PostgreSQL.

use std::collections::HashMap;
use std::sync::Arc;

use catalog::{CatalogService, Language, SaleLine};
use chrono::{Duration, Utc};
use db::carts;
use db::{CustomerId, Db, ProductId, TenantScope, TenantTx};
use validator::Validate;

use crate::model::MAX_QUANTITY;
use crate::{
    CartItemInput, CartLine, CartService, CartSession, CartView, OrderError, QuantityInput,
    Shortage,
};

/// How long a cart lives after its last change; the clean-up job deletes it after that.
pub const CART_LIFETIME_DAYS: i64 = 30;

pub struct PgCarts {
    db: Db,
    catalog: Arc<dyn CatalogService>,
}

impl PgCarts {
    pub fn new(db: Db, catalog: Arc<dyn CatalogService>) -> Self {
        Self { db, catalog }
    }

    /// The cart as the shop shows it, read in the caller's transaction.
    fn view(
        &self,
        tx: &mut TenantTx<'_>,
        cart: Option<i64>,
        language: Option<Language>,
    ) -> Result<CartView, OrderError> {
        let items = match cart {
            Some(id) => carts::items(tx, id)?,
            None => Vec::new(),
        };
        let ids: Vec<ProductId> = items.iter().map(|i| i.product_id).collect();
        let mut on_sale = self.catalog.sale_lines_in(tx, &ids, language)?;
        let mut view = CartView {
            items: Vec::with_capacity(items.len()),
            item_count: 0,
            subtotal_cents: 0,
            currency: "EUR".to_owned(),
            unavailable_product_ids: Vec::new(),
        };
        for item in items {
            let Some(line) = on_sale.remove(&item.product_id) else {
                view.unavailable_product_ids.push(item.product_id);
                continue;
            };
            let total = line.unit_price_cents * i64::from(item.quantity);
            view.item_count += i64::from(item.quantity);
            view.subtotal_cents += total;
            view.currency.clone_from(&line.currency);
            view.items.push(CartLine {
                product_id: line.product_id,
                available: line.available >= i64::from(item.quantity),
                sku: line.sku,
                title: line.title,
                thumbnail_url: line.thumbnail_url,
                unit_price_cents: line.unit_price_cents,
                quantity: item.quantity,
                line_total_cents: total,
            });
        }
        Ok(view)
    }

    /// Changes the session's cart (made if need be) and answers it.
    fn change(
        &self,
        scope: &TenantScope,
        session: &CartSession,
        language: Option<Language>,
        f: impl FnOnce(&mut TenantTx<'_>, i64) -> Result<(), OrderError>,
    ) -> Result<CartView, OrderError> {
        let expires = Utc::now() + Duration::days(CART_LIFETIME_DAYS);
        self.db.tenant(scope, |tx| {
            let cart = carts::open(tx, &session.hash(), expires)?;
            f(tx, cart.id)?;
            self.view(tx, Some(cart.id), language)
        })
    }

    /// The product on sale, checked to have `quantity` units available.
    fn on_sale(
        &self,
        tx: &mut TenantTx<'_>,
        product: ProductId,
        quantity: i32,
    ) -> Result<SaleLine, OrderError> {
        let line = self
            .catalog
            .sale_lines_in(tx, &[product], None)?
            .remove(&product)
            .ok_or(OrderError::ProductNotFound)?;
        if line.available < i64::from(quantity) {
            return Err(OrderError::Insufficient(vec![Shortage {
                product_id: product,
                title: line.title,
                requested: i64::from(quantity),
                available: line.available,
            }]));
        }
        Ok(line)
    }
}

fn quantities(tx: &mut TenantTx<'_>, cart: i64) -> Result<HashMap<ProductId, i32>, OrderError> {
    Ok(carts::items(tx, cart)?
        .into_iter()
        .map(|i| (i.product_id, i.quantity))
        .collect())
}

impl CartService for PgCarts {
    fn cart(
        &self,
        scope: &TenantScope,
        session: &CartSession,
        language: Option<Language>,
    ) -> Result<CartView, OrderError> {
        self.db.tenant(scope, |tx| {
            let cart = carts::find(tx, &session.hash())?;
            self.view(tx, cart.map(|c| c.id), language)
        })
    }

    fn add(
        &self,
        scope: &TenantScope,
        session: &CartSession,
        input: &CartItemInput,
        language: Option<Language>,
    ) -> Result<CartView, OrderError> {
        input.validate()?;
        self.change(scope, session, language, |tx, cart| {
            let had = quantities(tx, cart)?
                .get(&input.product_id)
                .copied()
                .unwrap_or(0);
            let wanted = had + input.quantity;
            if wanted > MAX_QUANTITY {
                return Err(OrderError::TooMany(MAX_QUANTITY));
            }
            self.on_sale(tx, input.product_id, wanted)?;
            carts::set_item(tx, cart, input.product_id, wanted)?;
            Ok(())
        })
    }

    fn set_quantity(
        &self,
        scope: &TenantScope,
        session: &CartSession,
        product: ProductId,
        input: &QuantityInput,
        language: Option<Language>,
    ) -> Result<CartView, OrderError> {
        input.validate()?;
        self.change(scope, session, language, |tx, cart| {
            if !quantities(tx, cart)?.contains_key(&product) {
                return Err(OrderError::NotInCart);
            }
            self.on_sale(tx, product, input.quantity)?;
            carts::set_item(tx, cart, product, input.quantity)?;
            Ok(())
        })
    }

    fn remove(
        &self,
        scope: &TenantScope,
        session: &CartSession,
        product: ProductId,
        language: Option<Language>,
    ) -> Result<CartView, OrderError> {
        self.change(scope, session, language, |tx, cart| {
            if !carts::remove_item(tx, cart, product)? {
                return Err(OrderError::NotInCart);
            }
            Ok(())
        })
    }

    fn clear(&self, scope: &TenantScope, session: &CartSession) -> Result<(), OrderError> {
        self.db.tenant(scope, |tx| {
            if let Some(cart) = carts::lock(tx, &session.hash())? {
                carts::clear(tx, cart.id)?;
            }
            Ok(())
        })
    }

    fn claim(
        &self,
        scope: &TenantScope,
        session: &CartSession,
        customer: CustomerId,
        language: Option<Language>,
    ) -> Result<CartView, OrderError> {
        self.change(scope, session, language, |tx, cart| {
            if let Some(earlier) = carts::lock_customer_cart(tx, customer, cart)? {
                let mut mine = quantities(tx, cart)?;
                for item in carts::items(tx, earlier.id)? {
                    let total = mine.entry(item.product_id).or_insert(0);
                    *total = (*total + item.quantity).min(MAX_QUANTITY);
                }
                carts::delete(tx, earlier.id)?;
                for (product, quantity) in mine {
                    carts::set_item(tx, cart, product, quantity)?;
                }
            }
            carts::set_customer(tx, cart, customer)?;
            Ok(())
        })
    }
}
