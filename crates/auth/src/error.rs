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
    /// An invitation that cannot be accepted (unknown, expired, revoked, used, for another
    /// address, or the person is on the team already).
    #[error(transparent)]
    Invitation(#[from] teams::ChangeError),
    /// Support sessions are never opened as a platform admin.
    #[error("a platform admin cannot be signed in as")]
    CannotImpersonateAdmin,
    /// The team member or customer to act as does not exist.
    #[error("no such team member or customer")]
    SupportTargetNotFound,
    /// What a support session may not do (switch vendors).
    #[error("a support session cannot do this; end it and sign in as yourself")]
    SupportSession,
    #[error("invalid input")]
    Validation(#[from] validator::ValidationErrors),
    #[error(transparent)]
    Storage(#[from] db::Error),
    #[error("password hashing failed: {0}")]
    Hashing(#[from] bcrypt::BcryptError),
}

db::storage_error!(AuthError);

/// The team's refusals are the auth answers; a deleted vendor makes its tokens invalid.
impl From<teams::TeamError> for AuthError {
    fn from(e: teams::TeamError) -> Self {
        use teams::TeamError as T;
        match e {
            T::NotAMember => AuthError::NotAMember,
            T::VendorGone => AuthError::TokenInvalid,
            T::VendorInactive => AuthError::VendorInactive,
            T::AccountInactive => AuthError::AccountInactive,
            T::Storage(s) => AuthError::Storage(s),
        }
    }
}
