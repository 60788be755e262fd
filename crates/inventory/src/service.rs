use std::collections::HashMap;

use db::pagination::Page;
use db::{ProductId, TenantScope, TenantTx, UserId};

use crate::{
    AdjustQuantity, Available, InventoryError, InventoryQuery, InventoryRow, LocationView,
    MovementQuery, MovementView, NewLocation, SetQuantity, StockLine,
};

/// A vendor's inventory. Every change writes exactly one movement.
///
/// Methods that take a `&mut TenantTx` join the caller's transaction (orders reserve
/// inventory and write the order in one); the others open their own.
pub trait InventoryService: Send + Sync {
    fn locations(&self, scope: &TenantScope) -> Result<Vec<LocationView>, InventoryError>;

    fn create_location(
        &self,
        scope: &TenantScope,
        input: &NewLocation,
    ) -> Result<LocationView, InventoryError>;

    /// Sets the quantity at a location (a count); the movement records the difference.
    fn set(
        &self,
        scope: &TenantScope,
        by: UserId,
        input: &SetQuantity,
    ) -> Result<InventoryRow, InventoryError>;

    /// [`InventoryService::set`] inside the caller's transaction (stock recorded while
    /// publishing imported products commits with them).
    fn set_in(
        &self,
        tx: &mut TenantTx<'_>,
        by: UserId,
        input: &SetQuantity,
    ) -> Result<InventoryRow, InventoryError>;

    /// Changes the quantity at a location by a delta, for a reason.
    fn adjust(
        &self,
        scope: &TenantScope,
        by: UserId,
        input: &AdjustQuantity,
    ) -> Result<InventoryRow, InventoryError>;

    fn list(
        &self,
        scope: &TenantScope,
        query: &InventoryQuery,
    ) -> Result<Page<InventoryRow>, InventoryError>;

    fn movements(
        &self,
        scope: &TenantScope,
        query: &MovementQuery,
    ) -> Result<Page<MovementView>, InventoryError>;

    /// Sets aside available units for an order (409 `Insufficient` when there are not enough).
    fn reserve(
        &self,
        tx: &mut TenantTx<'_>,
        line: &StockLine,
    ) -> Result<InventoryRow, InventoryError>;

    /// Reserves `quantity` units of a product for an order from wherever they are: the
    /// default location first, then the others in order, one movement per location used.
    /// All or nothing: fewer available over all locations is `Insufficient` and changes
    /// nothing. Locks the product's rows, so callers reserving several products must go in
    /// ascending product order (checkout does) to keep lock order global.
    fn reserve_for_order(
        &self,
        tx: &mut TenantTx<'_>,
        product: ProductId,
        quantity: i32,
        order_id: i64,
    ) -> Result<(), InventoryError>;

    /// Gives reserved units back (an order cancelled before shipping).
    fn release(
        &self,
        tx: &mut TenantTx<'_>,
        line: &StockLine,
    ) -> Result<InventoryRow, InventoryError>;

    /// Turns reserved units into a sale: both the quantity and the reservation go down.
    fn commit_sale(
        &self,
        tx: &mut TenantTx<'_>,
        line: &StockLine,
    ) -> Result<InventoryRow, InventoryError>;

    /// Puts sold units back on the shelf (a return or a refund).
    fn restock(
        &self,
        tx: &mut TenantTx<'_>,
        line: &StockLine,
    ) -> Result<InventoryRow, InventoryError>;

    /// Quantity, reserved and available of each product, over all locations.
    fn totals(
        &self,
        tx: &mut TenantTx<'_>,
        products: &[ProductId],
    ) -> Result<HashMap<ProductId, Available>, InventoryError>;

    /// Gives a new vendor its default location, inside the caller's transaction.
    fn provision(&self, tx: &mut TenantTx<'_>) -> Result<(), InventoryError>;
}
