//! Shop carts (vendor-owned; row-level security applies): found by the hash of their opaque
//! session, optionally owned by a customer, with one row per product.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::schema::{cart_items, carts};
use crate::{CustomerId, ProductId, TenantTx};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = carts, check_for_backend(diesel::pg::Pg))]
pub struct Cart {
    pub id: i64,
    pub customer_id: Option<CustomerId>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, Queryable, Selectable)]
#[diesel(table_name = cart_items, check_for_backend(diesel::pg::Pg))]
pub struct Item {
    pub product_id: ProductId,
    pub quantity: i32,
}

/// The live cart of a session, locked until the transaction ends (changes to one cart
/// serialise; a checkout holds it while it turns it into an order).
pub fn lock(tx: &mut TenantTx<'_>, session_hash: &str) -> QueryResult<Option<Cart>> {
    let vendor_id = tx.vendor_id();
    carts::table
        .filter(carts::vendor_id.eq(vendor_id))
        .filter(carts::session_hash.eq(session_hash))
        .filter(carts::expires_at.gt(diesel::dsl::now))
        .select(Cart::as_select())
        .for_update()
        .first(tx.conn())
        .optional()
}

/// The live cart of a session, unlocked (to show it).
pub fn find(tx: &mut TenantTx<'_>, session_hash: &str) -> QueryResult<Option<Cart>> {
    let vendor_id = tx.vendor_id();
    carts::table
        .filter(carts::vendor_id.eq(vendor_id))
        .filter(carts::session_hash.eq(session_hash))
        .filter(carts::expires_at.gt(diesel::dsl::now))
        .select(Cart::as_select())
        .first(tx.conn())
        .optional()
}

/// The session's cart, made (or an expired one emptied and renewed) if need be, locked, and
/// living until `expires_at`.
pub fn open(
    tx: &mut TenantTx<'_>,
    session_hash: &str,
    expires_at: DateTime<Utc>,
) -> QueryResult<Cart> {
    let vendor_id = tx.vendor_id();
    let cart: Cart = diesel::insert_into(carts::table)
        .values((
            carts::vendor_id.eq(vendor_id),
            carts::session_hash.eq(session_hash),
            carts::expires_at.eq(expires_at),
        ))
        .on_conflict((carts::vendor_id, carts::session_hash))
        .do_update()
        .set(carts::updated_at.eq(diesel::dsl::now))
        .returning(Cart::as_returning())
        .get_result(tx.conn())?;
    if cart.expires_at <= Utc::now() {
        clear(tx, cart.id)?;
    }
    diesel::update(
        carts::table
            .filter(carts::vendor_id.eq(vendor_id))
            .find(cart.id),
    )
    .set(carts::expires_at.eq(expires_at))
    .returning(Cart::as_returning())
    .get_result(tx.conn())
}

pub fn items(tx: &mut TenantTx<'_>, cart: i64) -> QueryResult<Vec<Item>> {
    let vendor_id = tx.vendor_id();
    cart_items::table
        .filter(cart_items::vendor_id.eq(vendor_id))
        .filter(cart_items::cart_id.eq(cart))
        .order((cart_items::added_at, cart_items::product_id))
        .select(Item::as_select())
        .load(tx.conn())
}

/// Sets a product's quantity in the cart (adding the row if need be).
pub fn set_item(
    tx: &mut TenantTx<'_>,
    cart: i64,
    product: ProductId,
    quantity: i32,
) -> QueryResult<()> {
    let vendor_id = tx.vendor_id();
    diesel::insert_into(cart_items::table)
        .values((
            cart_items::vendor_id.eq(vendor_id),
            cart_items::cart_id.eq(cart),
            cart_items::product_id.eq(product),
            cart_items::quantity.eq(quantity),
        ))
        .on_conflict((cart_items::cart_id, cart_items::product_id))
        .do_update()
        .set(cart_items::quantity.eq(quantity))
        .execute(tx.conn())
        .map(|_| ())
}

pub fn remove_item(tx: &mut TenantTx<'_>, cart: i64, product: ProductId) -> QueryResult<bool> {
    let vendor_id = tx.vendor_id();
    diesel::delete(
        cart_items::table
            .filter(cart_items::vendor_id.eq(vendor_id))
            .filter(cart_items::cart_id.eq(cart))
            .filter(cart_items::product_id.eq(product)),
    )
    .execute(tx.conn())
    .map(|n| n > 0)
}

pub fn clear(tx: &mut TenantTx<'_>, cart: i64) -> QueryResult<()> {
    let vendor_id = tx.vendor_id();
    diesel::delete(
        cart_items::table
            .filter(cart_items::vendor_id.eq(vendor_id))
            .filter(cart_items::cart_id.eq(cart)),
    )
    .execute(tx.conn())
    .map(|_| ())
}

/// Deletes a cart and its items (checked out, or merged into another).
pub fn delete(tx: &mut TenantTx<'_>, cart: i64) -> QueryResult<()> {
    let vendor_id = tx.vendor_id();
    diesel::delete(
        carts::table
            .filter(carts::vendor_id.eq(vendor_id))
            .find(cart),
    )
    .execute(tx.conn())
    .map(|_| ())
}

/// The customer's cart other than `except` (from another device or an earlier visit),
/// locked.
pub fn lock_customer_cart(
    tx: &mut TenantTx<'_>,
    customer: CustomerId,
    except: i64,
) -> QueryResult<Option<Cart>> {
    let vendor_id = tx.vendor_id();
    carts::table
        .filter(carts::vendor_id.eq(vendor_id))
        .filter(carts::customer_id.eq(customer))
        .filter(carts::id.ne(except))
        .select(Cart::as_select())
        .for_update()
        .first(tx.conn())
        .optional()
}

pub fn set_customer(tx: &mut TenantTx<'_>, cart: i64, customer: CustomerId) -> QueryResult<()> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        carts::table
            .filter(carts::vendor_id.eq(vendor_id))
            .find(cart),
    )
    .set(carts::customer_id.eq(customer))
    .execute(tx.conn())
    .map(|_| ())
}

/// Deletes up to `limit` carts (every vendor's) that expired, with their items; answers how
/// many. The clean-up job's work, in the platform scope.
pub fn delete_expired(tx: &mut crate::PlatformTx<'_>, limit: i64) -> QueryResult<usize> {
    diesel::sql_query(
        "DELETE FROM carts WHERE id IN (SELECT id FROM carts WHERE expires_at <= now() LIMIT $1)",
    )
    .bind::<diesel::sql_types::BigInt, _>(limit)
    .execute(tx.conn())
}
