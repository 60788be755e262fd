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

/// Why a change to a team was refused.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    /// The acting user is no member of this vendor (any more).
    #[error("you are not a member of this vendor's team")]
    NotAMember,
    #[error("role not found")]
    RoleNotFound,
    #[error("member not found")]
    MemberNotFound,
    #[error("this vendor already has a role of that name")]
    RoleNameTaken,
    #[error("the default roles (Owner, Manager, Editor, Viewer) cannot be changed or deleted")]
    DefaultRole,
    #[error("members still hold this role: give them another one first")]
    RoleInUse,
    #[error("the team needs an active Owner: make someone else Owner first")]
    LastOwner,
    /// The actor would grant (or take away) what they do not hold themselves.
    #[error("you cannot grant or take away {0}, which your own role does not hold")]
    BeyondOwnPermissions(&'static str),
    #[error("this person is on the team already")]
    AlreadyMember,
    #[error("an invitation to this address is open already: send it again or revoke it")]
    InvitationPending,
    #[error("this invitation does not exist")]
    InvitationNotFound,
    #[error("this invitation has expired: ask for a new one")]
    InvitationExpired,
    #[error("this invitation was withdrawn")]
    InvitationRevoked,
    #[error("this invitation has been used already")]
    InvitationUsed,
    #[error("this invitation is for another e-mail address")]
    InvitationForAnotherEmail,
    #[error("invalid input")]
    Validation(#[from] validator::ValidationErrors),
    #[error(transparent)]
    Storage(#[from] db::Error),
}

db::storage_error!(ChangeError);
