use db::ProductId;

#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    #[error("product not found")]
    ProductNotFound,
    #[error("location not found")]
    LocationNotFound,
    #[error("the location code '{0}' is taken")]
    LocationTaken(String),
    /// Not enough available (or reserved, for releasing and selling) to make the change.
    #[error(
        "not enough inventory of product {product_id}: {available} available, {requested} asked"
    )]
    Insufficient {
        product_id: ProductId,
        available: i64,
        requested: i64,
    },
    #[error("invalid input")]
    Validation(#[from] validator::ValidationErrors),
    #[error(transparent)]
    Storage(#[from] db::Error),
}

db::storage_error!(InventoryError);
