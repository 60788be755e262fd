//! The inventory service over PostgreSQL.

use std::collections::HashMap;

use db::inventory::{self as repo, NewMovement, RowFilter, Stock};
use db::pagination::{Page, PageRequest};
use db::{Db, LocationId, ProductId, TenantScope, TenantTx, UserId};
use validator::Validate;

use crate::{
    AdjustQuantity, AdjustReason, Available, InventoryError, InventoryQuery, InventoryRow,
    InventoryService, LocationView, MovementKind, MovementQuery, MovementView, NewLocation,
    SetQuantity, StockLine,
};

pub struct PgInventory {
    db: Db,
}

impl PgInventory {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

/// The location a request names (by code), or the default one.
fn location(tx: &mut TenantTx<'_>, code: Option<&str>) -> Result<LocationId, InventoryError> {
    repo::find_location(tx, code)?
        .map(|l| l.id)
        .ok_or(InventoryError::LocationNotFound)
}

/// The live product of the handle's vendor, or 404 (another vendor's id included).
fn live_product(
    tx: &mut TenantTx<'_>,
    id: ProductId,
) -> Result<db::catalog::Product, InventoryError> {
    db::catalog::find(tx, id)?.ok_or(InventoryError::ProductNotFound)
}

/// Applies one change and writes its one movement; refuses a change that would leave fewer
/// than zero available or reserved.
fn change(
    tx: &mut TenantTx<'_>,
    product: ProductId,
    location: LocationId,
    kind: MovementKind,
    (quantity_delta, reserved_delta): (i32, i32),
    (order_id, user_id, note): (Option<i64>, Option<UserId>, &str),
) -> Result<Stock, InventoryError> {
    let Some(after) = repo::apply(tx, product, location, quantity_delta, reserved_delta)? else {
        let before = repo::lock(tx, product, location)?;
        let (available, asked) = match kind {
            MovementKind::Released | MovementKind::Sold => (
                before.map_or(0, |s| s.reserved_quantity),
                -i64::from(reserved_delta),
            ),
            MovementKind::Reserved => (
                before.map_or(0, |s| s.quantity - s.reserved_quantity),
                i64::from(reserved_delta),
            ),
            _ => (
                before.map_or(0, |s| s.quantity - s.reserved_quantity),
                -i64::from(quantity_delta),
            ),
        };
        return Err(InventoryError::Insufficient {
            product_id: product,
            available: i64::from(available),
            requested: asked,
        });
    };
    repo::record(
        tx,
        &after,
        &NewMovement {
            kind: kind.as_str(),
            quantity_delta,
            reserved_delta,
            order_id,
            user_id,
            note,
        },
    )?;
    Ok(after)
}

fn row(stock: Stock, sku: String, location: String, threshold: i32) -> InventoryRow {
    let available = (stock.quantity - stock.reserved_quantity).max(0);
    InventoryRow {
        product_id: stock.product_id,
        sku,
        location,
        quantity: stock.quantity,
        reserved_quantity: stock.reserved_quantity,
        available,
        is_low: available <= threshold,
    }
}

/// The row as lists show it, after a change to it.
fn view(tx: &mut TenantTx<'_>, stock: Stock) -> Result<InventoryRow, InventoryError> {
    let filter = RowFilter {
        product: Some(stock.product_id),
        location: Some(stock.location_id),
        low: false,
    };
    let (rows, _) = repo::rows(tx, &filter, 1, 0)?;
    let found = rows
        .into_iter()
        .next()
        .ok_or(InventoryError::ProductNotFound)?;
    Ok(row(
        found.stock,
        found.sku,
        found.location_code,
        found.low_inventory_threshold,
    ))
}

impl PgInventory {
    /// One order-line change in the caller's transaction.
    fn line_change(
        &self,
        tx: &mut TenantTx<'_>,
        line: &StockLine,
        kind: MovementKind,
        deltas: (i32, i32),
    ) -> Result<InventoryRow, InventoryError> {
        if line.quantity <= 0 {
            return Err(InventoryError::Insufficient {
                product_id: line.product_id,
                available: 0,
                requested: i64::from(line.quantity),
            });
        }
        let location = match line.location_id {
            Some(l) => l,
            None => location(tx, None)?,
        };
        let after = change(
            tx,
            line.product_id,
            location,
            kind,
            deltas,
            (line.order_id, None, ""),
        )?;
        view(tx, after)
    }
}

impl InventoryService for PgInventory {
    fn locations(&self, scope: &TenantScope) -> Result<Vec<LocationView>, InventoryError> {
        self.db.tenant(scope, |tx| {
            Ok(repo::locations(tx)?
                .into_iter()
                .map(LocationView::from)
                .collect())
        })
    }

    fn create_location(
        &self,
        scope: &TenantScope,
        input: &NewLocation,
    ) -> Result<LocationView, InventoryError> {
        input.validate()?;
        self.db
            .tenant(scope, |tx| {
                Ok(repo::create_location(tx, &input.code, input.name.trim(), false)?.into())
            })
            .map_err(|e| match &e {
                InventoryError::Storage(s)
                    if s.unique_violation() == Some("inventory_locations_vendor_code_key") =>
                {
                    InventoryError::LocationTaken(input.code.clone())
                }
                _ => e,
            })
    }

    fn set(
        &self,
        scope: &TenantScope,
        by: UserId,
        input: &SetQuantity,
    ) -> Result<InventoryRow, InventoryError> {
        self.db.tenant(scope, |tx| self.set_in(tx, by, input))
    }

    fn set_in(
        &self,
        tx: &mut TenantTx<'_>,
        by: UserId,
        input: &SetQuantity,
    ) -> Result<InventoryRow, InventoryError> {
        input.validate()?;
        live_product(tx, input.product_id)?;
        let location = location(tx, input.location.as_deref())?;
        repo::ensure(tx, input.product_id, location)?;
        let before =
            repo::lock(tx, input.product_id, location)?.ok_or(InventoryError::ProductNotFound)?;
        let delta = input.quantity - before.quantity;
        if delta == 0 {
            return view(tx, before);
        }
        let after = change(
            tx,
            input.product_id,
            location,
            MovementKind::Adjusted,
            (delta, 0),
            (None, Some(by), "set by count"),
        )?;
        view(tx, after)
    }

    fn adjust(
        &self,
        scope: &TenantScope,
        by: UserId,
        input: &AdjustQuantity,
    ) -> Result<InventoryRow, InventoryError> {
        input.validate()?;
        let kind = match input.reason {
            AdjustReason::Received => MovementKind::Received,
            AdjustReason::Adjusted => MovementKind::Adjusted,
            AdjustReason::Returned => MovementKind::Returned,
        };
        self.db.tenant(scope, |tx| {
            live_product(tx, input.product_id)?;
            let location = location(tx, input.location.as_deref())?;
            repo::ensure(tx, input.product_id, location)?;
            if input.delta == 0 {
                // Nothing changes, so nothing is recorded.
                let row = repo::lock(tx, input.product_id, location)?
                    .ok_or(InventoryError::ProductNotFound)?;
                return view(tx, row);
            }
            let note = input.note.as_deref().unwrap_or_default().trim();
            let after = change(
                tx,
                input.product_id,
                location,
                kind,
                (input.delta, 0),
                (None, Some(by), note),
            )?;
            view(tx, after)
        })
    }

    fn list(
        &self,
        scope: &TenantScope,
        query: &InventoryQuery,
    ) -> Result<Page<InventoryRow>, InventoryError> {
        let page = PageRequest::new(query.page, query.per_page);
        self.db.tenant(scope, |tx| {
            let location = match query.location.as_deref() {
                Some(code) => Some(location(tx, Some(code))?),
                None => None,
            };
            let filter = RowFilter {
                product: query.product_id,
                location,
                low: query.low.unwrap_or(false),
            };
            let (rows, total) = repo::rows(tx, &filter, page.per_page, page.offset())?;
            let items = rows
                .into_iter()
                .map(|r| row(r.stock, r.sku, r.location_code, r.low_inventory_threshold))
                .collect();
            Ok(Page::new(items, total, page))
        })
    }

    fn movements(
        &self,
        scope: &TenantScope,
        query: &MovementQuery,
    ) -> Result<Page<MovementView>, InventoryError> {
        let page = PageRequest::new(query.page, query.per_page);
        let filter = repo::MovementFilter {
            product: query.product_id,
            kind: query.kind.map(|k| k.as_str().to_owned()),
        };
        self.db.tenant(scope, |tx| {
            let (items, total) = repo::movements(tx, &filter, page.per_page, page.offset())?;
            Ok(Page::new(
                items.into_iter().map(MovementView::from).collect(),
                total,
                page,
            ))
        })
    }

    fn reserve(
        &self,
        tx: &mut TenantTx<'_>,
        line: &StockLine,
    ) -> Result<InventoryRow, InventoryError> {
        self.line_change(tx, line, MovementKind::Reserved, (0, line.quantity))
    }

    fn reserve_for_order(
        &self,
        tx: &mut TenantTx<'_>,
        product: ProductId,
        quantity: i32,
        order_id: i64,
    ) -> Result<(), InventoryError> {
        let rows = repo::lock_all(tx, product)?;
        let free = |s: &repo::Stock| (s.quantity - s.reserved_quantity).max(0);
        let available: i64 = rows.iter().map(|s| i64::from(free(s))).sum();
        if quantity <= 0 || available < i64::from(quantity) {
            return Err(InventoryError::Insufficient {
                product_id: product,
                available,
                requested: i64::from(quantity),
            });
        }
        let default = location(tx, None)?;
        let mut order: Vec<&repo::Stock> = rows.iter().collect();
        order.sort_by_key(|s| (s.location_id != default, s.location_id));
        let mut needed = quantity;
        for stock in order {
            let take = needed.min(free(stock));
            if take == 0 {
                continue;
            }
            change(
                tx,
                product,
                stock.location_id,
                MovementKind::Reserved,
                (0, take),
                (Some(order_id), None, ""),
            )?;
            needed -= take;
            if needed == 0 {
                break;
            }
        }
        Ok(())
    }

    fn release(
        &self,
        tx: &mut TenantTx<'_>,
        line: &StockLine,
    ) -> Result<InventoryRow, InventoryError> {
        self.line_change(tx, line, MovementKind::Released, (0, -line.quantity))
    }

    fn commit_sale(
        &self,
        tx: &mut TenantTx<'_>,
        line: &StockLine,
    ) -> Result<InventoryRow, InventoryError> {
        self.line_change(
            tx,
            line,
            MovementKind::Sold,
            (-line.quantity, -line.quantity),
        )
    }

    fn restock(
        &self,
        tx: &mut TenantTx<'_>,
        line: &StockLine,
    ) -> Result<InventoryRow, InventoryError> {
        let location = match line.location_id {
            Some(l) => l,
            None => location(tx, None)?,
        };
        repo::ensure(tx, line.product_id, location)?;
        let line = StockLine {
            location_id: Some(location),
            ..*line
        };
        self.line_change(tx, &line, MovementKind::Returned, (line.quantity, 0))
    }

    fn totals(
        &self,
        tx: &mut TenantTx<'_>,
        products: &[ProductId],
    ) -> Result<HashMap<ProductId, Available>, InventoryError> {
        Ok(repo::totals(tx, products)?
            .into_iter()
            .map(|(id, quantity, reserved)| {
                let available = (quantity - reserved).max(0);
                (
                    id,
                    Available {
                        quantity,
                        reserved_quantity: reserved,
                        available,
                    },
                )
            })
            .collect())
    }

    fn provision(&self, tx: &mut TenantTx<'_>) -> Result<(), InventoryError> {
        repo::create_location(tx, "main", "Main location", true)?;
        Ok(())
    }
}
