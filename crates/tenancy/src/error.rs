#[derive(Debug, thiserror::Error)]
pub enum TenancyError {
    #[error("vendor not found")]
    NotFound,
    #[error("the vendor code '{0}' is taken")]
    CodeTaken(String),
    #[error("the subdomain '{0}' is taken")]
    SubdomainTaken(String),
    #[error("{0} is a platform administrator; a vendor owner needs an account of their own")]
    OwnerIsAdmin(String),
    #[error(
        "{0} already has an account with a password of its own; leave initial_password empty to make it the owner"
    )]
    OwnerExists(String),
    #[error("bulk import not found")]
    BulkImportNotFound,
    #[error("the file cannot be imported: {0}")]
    InvalidFile(String),
    /// Another vendor (or this one) has the domain already.
    #[error("the domain {0} is already taken")]
    DomainTaken(String),
    #[error("domain not found")]
    DomainNotFound,
    #[error("invalid input")]
    Validation(#[from] validator::ValidationErrors),
    #[error(transparent)]
    Storage(#[from] db::Error),
    #[error(transparent)]
    Team(#[from] teams::TeamError),
    #[error(transparent)]
    Inventory(#[from] inventory::InventoryError),
    #[error("password hashing failed: {0}")]
    Hashing(#[from] bcrypt::BcryptError),
}

db::storage_error!(TenancyError);
