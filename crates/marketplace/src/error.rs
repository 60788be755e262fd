#[derive(Debug, thiserror::Error)]
pub enum MarketplaceError {
    #[error("import not found")]
    ImportNotFound,
    #[error("staged product not found")]
    StagedNotFound,
    #[error("this staged product is not published (or its catalogue product was deleted)")]
    NotPublished,
    #[error("no Letzshop feed address is configured; add one in the marketplace settings")]
    NoFeedConfigured,
    /// The catalogue refused a change to a published product (e.g. a sale price above the
    /// reset price).
    #[error(transparent)]
    Catalog(#[from] catalog::CatalogError),
    #[error("invalid input")]
    Validation(#[from] validator::ValidationErrors),
    #[error(transparent)]
    Jobs(db::Error),
    #[error(transparent)]
    Storage(#[from] db::Error),
}

db::storage_error!(MarketplaceError);
