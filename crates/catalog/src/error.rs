#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("product not found")]
    NotFound,
    #[error("image not found")]
    ImageNotFound,
    /// A new order that does not name exactly the product's current images (someone added or
    /// removed one since the list was read).
    #[error("the product's images changed; reload them and order them again")]
    ImagesChanged,
    #[error("a product has at most {0} images; remove one first")]
    TooManyImages(i64),
    #[error("the SKU '{0}' is taken by another product")]
    SkuTaken(String),
    /// The product changed since the version the edit was based on; nothing was written.
    #[error(
        "the product was changed by someone else (now at version {current}); reload it and try again"
    )]
    VersionConflict { current: i32 },
    #[error("invalid input")]
    Validation(#[from] validator::ValidationErrors),
    #[error(transparent)]
    Inventory(#[from] inventory::InventoryError),
    #[error(transparent)]
    Storage(#[from] db::Error),
}

db::storage_error!(CatalogError);
