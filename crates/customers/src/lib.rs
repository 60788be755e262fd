//! A vendor's shop customers: registration, profile, address book (default shipping and
//! billing), password change and password reset by e-mailed link. Accounts are per vendor:
//! every call takes the shop's tenant scope, so the same e-mail at two shops is two accounts.
//! Signing in is the auth crate's (it owns credentials and sessions).

mod error;
mod model;
mod pg;
mod records;
mod service;

pub use error::CustomerError;
pub use model::{
    AddressInput, AddressView, CustomerProfile, PasswordChange, PasswordReset, PostalAddress,
    ProfileUpdate, Register, ResetLink, ResetRequest,
};
pub use pg::PgCustomers;
pub use records::{
    AccountState, CustomerDetail, CustomerQuery, CustomerRecordView, CustomerRecords,
};
pub use service::CustomerService;
