#[derive(Debug, thiserror::Error)]
pub enum CustomerError {
    #[error("customer not found")]
    NotFound,
    #[error("address not found")]
    AddressNotFound,
    /// The shop already has an account with this e-mail.
    #[error("an account with this e-mail already exists")]
    EmailTaken,
    /// The current password given to change it is wrong.
    #[error("the current password is wrong")]
    WrongPassword,
    /// An unknown, used or expired reset link.
    #[error("this password-reset link is invalid or has expired")]
    ResetLinkInvalid,
    #[error("an address book holds at most {0} addresses")]
    TooManyAddresses(i64),
    /// The customer was erased; the account cannot be opened or erased again.
    #[error("this customer was erased")]
    Erased,
    #[error("invalid input")]
    Validation(#[from] validator::ValidationErrors),
    #[error(transparent)]
    Storage(#[from] db::Error),
    #[error("password hashing failed: {0}")]
    Hashing(#[from] bcrypt::BcryptError),
}

db::storage_error!(CustomerError);
