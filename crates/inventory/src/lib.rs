//! Inventory: where a vendor keeps products, how many of each, what is reserved for orders,
//! and an append-only ledger with one movement per change.

mod error;
mod model;
mod pg;
mod service;

pub use error::InventoryError;
pub use model::{
    AdjustQuantity, AdjustReason, Available, InventoryQuery, InventoryRow, LocationView,
    MovementKind, MovementQuery, MovementView, NewLocation, SetQuantity, StockLine,
};
pub use pg::PgInventory;
pub use service::InventoryService;
