#[derive(Debug, thiserror::Error)]
pub enum TenancyError {
    #[error("vendor not found")]
    NotFound,
    #[error("the vendor code '{0}' is taken")]
    CodeTaken(String),
    #[error("the subdomain '{0}' is taken")]
    SubdomainTaken(String),
    #[error("the file cannot be imported: {0}")]
    InvalidFile(String),
    #[error("invalid input")]
    Validation(#[from] validator::ValidationErrors),
    #[error(transparent)]
    Storage(#[from] db::Error),
    #[error("password hashing failed: {0}")]
    Hashing(#[from] bcrypt::BcryptError),
}

db::storage_error!(TenancyError);
