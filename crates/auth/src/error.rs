use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Unknown e-mail, wrong password or unknown vendor: one answer for all, so it tells
    /// nobody which e-mails exist.
    #[error("invalid e-mail or password")]
    InvalidCredentials,
    #[error("this account is disabled")]
    AccountInactive,
    #[error("this vendor is not active")]
    VendorInactive,
    #[error("you are not a member of this vendor's team")]
    NotAMember,
    #[error("invalid token")]
    TokenInvalid,
    #[error("token expired")]
    TokenExpired,
    #[error("too many login attempts; try again later")]
    RateLimited { retry_after: Duration },
    #[error("invalid input")]
    Validation(#[from] validator::ValidationErrors),
    #[error(transparent)]
    Storage(#[from] db::Error),
    #[error(transparent)]
    Teams(#[from] teams::TeamError),
    #[error("password hashing failed: {0}")]
    Hashing(#[from] bcrypt::BcryptError),
}

db::storage_error!(AuthError);
