use db::{AddressId, CustomerId, TenantScope};

use crate::{
    AddressInput, AddressView, CustomerError, CustomerProfile, PasswordChange, PasswordReset,
    ProfileUpdate, Register, ResetLink, ResetRequest,
};

/// A shop's customer accounts. `scope` is the shop's vendor; `id` the signed-in customer
/// (from their verified token), so a customer can only ever reach their own account.
pub trait CustomerService: Send + Sync {
    /// Opens an account (409 `EmailTaken` when the shop has one with this e-mail).
    fn register(
        &self,
        scope: &TenantScope,
        input: &Register,
    ) -> Result<CustomerProfile, CustomerError>;

    fn profile(
        &self,
        scope: &TenantScope,
        id: CustomerId,
    ) -> Result<CustomerProfile, CustomerError>;

    fn update_profile(
        &self,
        scope: &TenantScope,
        id: CustomerId,
        input: &ProfileUpdate,
    ) -> Result<CustomerProfile, CustomerError>;

    /// Changes the password after checking the current one; every session of the customer
    /// ends (they sign in again with the new one) and open reset links stop working.
    fn change_password(
        &self,
        scope: &TenantScope,
        id: CustomerId,
        input: &PasswordChange,
    ) -> Result<(), CustomerError>;

    /// A reset link for the account with this e-mail, or `None` when there is none (the
    /// caller answers the same either way and e-mails the link).
    fn request_reset(
        &self,
        scope: &TenantScope,
        input: &ResetRequest,
    ) -> Result<Option<ResetLink>, CustomerError>;

    /// Sets a new password through a reset link (spent by this), ending every session.
    fn reset_password(
        &self,
        scope: &TenantScope,
        input: &PasswordReset,
    ) -> Result<CustomerProfile, CustomerError>;

    fn addresses(
        &self,
        scope: &TenantScope,
        id: CustomerId,
    ) -> Result<Vec<AddressView>, CustomerError>;

    /// Adds an address; one marked default takes that role from the previous default, and
    /// a customer's first address is the default for both.
    fn add_address(
        &self,
        scope: &TenantScope,
        id: CustomerId,
        input: &AddressInput,
    ) -> Result<AddressView, CustomerError>;

    fn replace_address(
        &self,
        scope: &TenantScope,
        id: CustomerId,
        address: AddressId,
        input: &AddressInput,
    ) -> Result<AddressView, CustomerError>;

    fn delete_address(
        &self,
        scope: &TenantScope,
        id: CustomerId,
        address: AddressId,
    ) -> Result<(), CustomerError>;
}
