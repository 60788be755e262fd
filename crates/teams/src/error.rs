/// Why a team operation failed. The first five are the refusals of [`crate::check_standing`],
/// the one rule for who may act for a vendor.
#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    /// No membership at all, or one that has been switched off.
    #[error("you are not a member of this vendor's team")]
    NotAMember,
    /// The vendor has been deleted.
    #[error("vendor not found")]
    VendorGone,
    #[error("this vendor is not active")]
    VendorInactive,
    #[error("this account is disabled")]
    AccountInactive,
    #[error(transparent)]
    Storage(#[from] db::Error),
}

db::storage_error!(TeamError);
