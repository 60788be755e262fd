//! Inventory: a vendor's locations, the quantity of each product at each location, and the
//! append-only movement ledger (vendor-owned; row-level security applies). Every change goes
//! through [`apply`], one conditional UPDATE, so concurrent changes to one row serialise in
//! the database and the never-oversold CHECK can never be reached by a race.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::schema::{inventory, inventory_locations, inventory_movements, products};
use crate::{LocationId, ProductId, TenantTx, UserId, VendorId};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = inventory_locations, check_for_backend(diesel::pg::Pg))]
pub struct Location {
    pub id: LocationId,
    pub vendor_id: VendorId,
    pub code: String,
    pub name: String,
    pub is_default: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, Queryable, Selectable)]
#[diesel(table_name = inventory, check_for_backend(diesel::pg::Pg))]
pub struct Stock {
    pub product_id: ProductId,
    pub location_id: LocationId,
    pub quantity: i32,
    pub reserved_quantity: i32,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = inventory_movements, check_for_backend(diesel::pg::Pg))]
pub struct Movement {
    pub id: i64,
    pub product_id: ProductId,
    pub location_id: LocationId,
    pub kind: String,
    pub quantity_delta: i32,
    pub reserved_delta: i32,
    pub quantity_after: i32,
    pub reserved_after: i32,
    pub order_id: Option<i64>,
    pub user_id: Option<UserId>,
    pub note: String,
    pub at: DateTime<Utc>,
}

pub fn locations(tx: &mut TenantTx<'_>) -> QueryResult<Vec<Location>> {
    let vendor_id = tx.vendor_id();
    inventory_locations::table
        .filter(inventory_locations::vendor_id.eq(vendor_id))
        .order((
            inventory_locations::is_default.desc(),
            inventory_locations::code,
        ))
        .select(Location::as_select())
        .load(tx.conn())
}

pub fn create_location(
    tx: &mut TenantTx<'_>,
    code: &str,
    name: &str,
    is_default: bool,
) -> QueryResult<Location> {
    let vendor_id = tx.vendor_id();
    diesel::insert_into(inventory_locations::table)
        .values((
            inventory_locations::vendor_id.eq(vendor_id),
            inventory_locations::code.eq(code),
            inventory_locations::name.eq(name),
            inventory_locations::is_default.eq(is_default),
        ))
        .returning(Location::as_returning())
        .get_result(tx.conn())
}

/// The location named by `code`, or the default one when `code` is `None`.
pub fn find_location(tx: &mut TenantTx<'_>, code: Option<&str>) -> QueryResult<Option<Location>> {
    let vendor_id = tx.vendor_id();
    let mut query = inventory_locations::table
        .filter(inventory_locations::vendor_id.eq(vendor_id))
        .into_boxed();
    query = match code {
        Some(code) => query.filter(inventory_locations::code.eq(code.to_owned())),
        None => query.filter(inventory_locations::is_default.eq(true)),
    };
    query
        .select(Location::as_select())
        .first(tx.conn())
        .optional()
}

/// Makes sure the product has a (zero) row at the location, so changes can apply to it.
pub fn ensure(tx: &mut TenantTx<'_>, product: ProductId, location: LocationId) -> QueryResult<()> {
    let vendor_id = tx.vendor_id();
    diesel::insert_into(inventory::table)
        .values((
            inventory::vendor_id.eq(vendor_id),
            inventory::product_id.eq(product),
            inventory::location_id.eq(location),
        ))
        .on_conflict_do_nothing()
        .execute(tx.conn())
        .map(|_| ())
}

/// The product's row at the location, locked until the transaction ends.
pub fn lock(
    tx: &mut TenantTx<'_>,
    product: ProductId,
    location: LocationId,
) -> QueryResult<Option<Stock>> {
    let vendor_id = tx.vendor_id();
    inventory::table
        .filter(inventory::vendor_id.eq(vendor_id))
        .filter(inventory::product_id.eq(product))
        .filter(inventory::location_id.eq(location))
        .select(Stock::as_select())
        .for_update()
        .first(tx.conn())
        .optional()
}

/// Every row of the product (one per location it has been counted at), locked until the
/// transaction ends, in location order: callers that lock several products go product by
/// product, so every transaction takes row locks in one global order and none can deadlock.
pub fn lock_all(tx: &mut TenantTx<'_>, product: ProductId) -> QueryResult<Vec<Stock>> {
    let vendor_id = tx.vendor_id();
    inventory::table
        .filter(inventory::vendor_id.eq(vendor_id))
        .filter(inventory::product_id.eq(product))
        .order(inventory::location_id)
        .select(Stock::as_select())
        .for_update()
        .load(tx.conn())
}

/// Changes the row by the deltas if the result stays valid (0 <= reserved <= quantity);
/// `None` when it would not (or the row does not exist). One statement: concurrent callers
/// wait on the row lock and see each other's result.
pub fn apply(
    tx: &mut TenantTx<'_>,
    product: ProductId,
    location: LocationId,
    quantity_delta: i32,
    reserved_delta: i32,
) -> QueryResult<Option<Stock>> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        inventory::table
            .filter(inventory::vendor_id.eq(vendor_id))
            .filter(inventory::product_id.eq(product))
            .filter(inventory::location_id.eq(location))
            .filter((inventory::reserved_quantity + reserved_delta).ge(0))
            .filter(
                (inventory::quantity + quantity_delta)
                    .ge(inventory::reserved_quantity + reserved_delta),
            ),
    )
    .set((
        inventory::quantity.eq(inventory::quantity + quantity_delta),
        inventory::reserved_quantity.eq(inventory::reserved_quantity + reserved_delta),
        inventory::updated_at.eq(diesel::dsl::now),
    ))
    .returning(Stock::as_returning())
    .get_result(tx.conn())
    .optional()
}

/// One ledger row for a change that left the row at `after`.
pub struct NewMovement<'a> {
    pub kind: &'a str,
    pub quantity_delta: i32,
    pub reserved_delta: i32,
    pub order_id: Option<i64>,
    pub user_id: Option<UserId>,
    pub note: &'a str,
}

pub fn record(
    tx: &mut TenantTx<'_>,
    after: &Stock,
    movement: &NewMovement<'_>,
) -> QueryResult<Movement> {
    let vendor_id = tx.vendor_id();
    diesel::insert_into(inventory_movements::table)
        .values((
            inventory_movements::vendor_id.eq(vendor_id),
            inventory_movements::product_id.eq(after.product_id),
            inventory_movements::location_id.eq(after.location_id),
            inventory_movements::kind.eq(movement.kind),
            inventory_movements::quantity_delta.eq(movement.quantity_delta),
            inventory_movements::reserved_delta.eq(movement.reserved_delta),
            inventory_movements::quantity_after.eq(after.quantity),
            inventory_movements::reserved_after.eq(after.reserved_quantity),
            inventory_movements::order_id.eq(movement.order_id),
            inventory_movements::user_id.eq(movement.user_id),
            inventory_movements::note.eq(movement.note),
        ))
        .returning(Movement::as_returning())
        .get_result(tx.conn())
}

/// An inventory row with what a list shows beside it.
#[derive(Debug, Clone, Queryable)]
pub struct Row {
    pub stock: Stock,
    pub sku: String,
    pub location_code: String,
    pub low_inventory_threshold: i32,
}

#[derive(Debug, Clone, Default)]
pub struct RowFilter {
    pub product: Option<ProductId>,
    pub location: Option<LocationId>,
    /// Only rows whose available quantity is at or below the product's threshold.
    pub low: bool,
}

/// A page of inventory rows (live products only), by SKU then location, and their count.
pub fn rows(
    tx: &mut TenantTx<'_>,
    filter: &RowFilter,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<Row>, i64)> {
    let vendor_id = tx.vendor_id();
    let query = || {
        let mut q = inventory::table
            .inner_join(
                products::table.on(products::id
                    .eq(inventory::product_id)
                    .and(products::vendor_id.eq(inventory::vendor_id))),
            )
            .inner_join(
                inventory_locations::table.on(inventory_locations::id
                    .eq(inventory::location_id)
                    .and(inventory_locations::vendor_id.eq(inventory::vendor_id))),
            )
            .filter(inventory::vendor_id.eq(vendor_id))
            .filter(products::deleted_at.is_null())
            .into_boxed();
        if let Some(p) = filter.product {
            q = q.filter(inventory::product_id.eq(p));
        }
        if let Some(l) = filter.location {
            q = q.filter(inventory::location_id.eq(l));
        }
        if filter.low {
            q = q.filter(
                (inventory::quantity - inventory::reserved_quantity)
                    .le(products::low_inventory_threshold),
            );
        }
        q
    };
    let total = query().count().get_result(tx.conn())?;
    let items = query()
        .order((products::sku, inventory_locations::code))
        .limit(limit)
        .offset(offset)
        .select((
            Stock::as_select(),
            products::sku,
            inventory_locations::code,
            products::low_inventory_threshold,
        ))
        .load(tx.conn())?;
    Ok((items, total))
}

/// Quantity and reservations of each product, summed over its locations.
pub fn totals(tx: &mut TenantTx<'_>, ids: &[ProductId]) -> QueryResult<Vec<(ProductId, i64, i64)>> {
    use diesel::dsl::sum;
    let vendor_id = tx.vendor_id();
    let rows: Vec<(ProductId, Option<i64>, Option<i64>)> = inventory::table
        .filter(inventory::vendor_id.eq(vendor_id))
        .filter(inventory::product_id.eq_any(ids))
        .group_by(inventory::product_id)
        .select((
            inventory::product_id,
            sum(inventory::quantity),
            sum(inventory::reserved_quantity),
        ))
        .load(tx.conn())?;
    Ok(rows
        .into_iter()
        .map(|(id, q, r)| (id, q.unwrap_or(0), r.unwrap_or(0)))
        .collect())
}

#[derive(Debug, Clone, Default)]
pub struct MovementFilter {
    pub product: Option<ProductId>,
    pub kind: Option<String>,
}

/// A page of movements, newest first, and their count.
pub fn movements(
    tx: &mut TenantTx<'_>,
    filter: &MovementFilter,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<Movement>, i64)> {
    let vendor_id = tx.vendor_id();
    let query = || {
        let mut q = inventory_movements::table
            .filter(inventory_movements::vendor_id.eq(vendor_id))
            .into_boxed();
        if let Some(p) = filter.product {
            q = q.filter(inventory_movements::product_id.eq(p));
        }
        if let Some(k) = &filter.kind {
            q = q.filter(inventory_movements::kind.eq(k.clone()));
        }
        q
    };
    let total = query().count().get_result(tx.conn())?;
    let items = query()
        .order(inventory_movements::id.desc())
        .limit(limit)
        .offset(offset)
        .select(Movement::as_select())
        .load(tx.conn())?;
    Ok((items, total))
}

/// What an order holds at each place, from its movements: units still reserved, and units
/// sold and not returned, per product and location (in product, then location order).
#[derive(Debug, Clone, Copy, diesel::QueryableByName)]
pub struct Allocation {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub product_id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub location_id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub reserved: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub sold: i64,
}

pub fn order_allocations(tx: &mut TenantTx<'_>, order_id: i64) -> QueryResult<Vec<Allocation>> {
    let vendor_id = tx.vendor_id();
    diesel::sql_query(
        "SELECT product_id, location_id,
                coalesce(sum(reserved_delta), 0)::bigint AS reserved,
                coalesce(-sum(quantity_delta) FILTER (WHERE kind IN ('sold', 'returned')), 0)::bigint AS sold
         FROM inventory_movements WHERE vendor_id = $1 AND order_id = $2
         GROUP BY product_id, location_id ORDER BY product_id, location_id",
    )
    .bind::<diesel::sql_types::BigInt, _>(vendor_id.0)
    .bind::<diesel::sql_types::BigInt, _>(order_id)
    .load(tx.conn())
}
