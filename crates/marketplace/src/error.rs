#[derive(Debug, thiserror::Error)]
pub enum MarketplaceError {
    #[error("import not found")]
    ImportNotFound,
    #[error("staged product not found")]
    StagedNotFound,
    #[error("no Letzshop feed address is configured; add one in the marketplace settings")]
    NoFeedConfigured,
    #[error("invalid input")]
    Validation(#[from] validator::ValidationErrors),
    #[error(transparent)]
    Jobs(db::Error),
    #[error(transparent)]
    Storage(#[from] db::Error),
}

db::storage_error!(MarketplaceError);
