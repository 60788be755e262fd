//! Wizamart's repository crate: the Diesel schema, row types and queries, the connection
//! pool, and the scoped transaction handles that carry the tenant wall into PostgreSQL.
//!
//! No business rules live here; the domain crates decide, this crate reads and writes.
//! Rows (`users::User`, ...) are read by the crate that owns the table and turned into its
//! domain types there; services never hand rows out.

pub mod audit;
pub mod carts;
pub mod catalog;
pub mod customer_records;
pub mod customers;
pub mod invitations;

pub mod double_option;
mod email;
pub mod emails;
mod error;
mod ids;
pub mod inventory;
pub mod jobs;
pub mod login;
pub mod marketplace;
pub mod marketplace_imports;
pub mod mass_actions;
mod migrate;
pub mod notices;
pub mod orders;
pub mod pagination;
pub mod payment_accounts;
pub mod platform_figures;
pub mod platform_settings;
mod pool;
pub mod product_images;
pub mod refresh_tokens;
pub mod roles;
pub mod sales;
pub mod schema;
mod scope;
pub mod settings;
#[cfg(feature = "test-support")]
pub mod test_support;
mod tx;
pub mod users;
pub mod vendor_bulk_imports;
pub mod vendor_domains;
pub mod vendor_users;
pub mod vendors;
pub mod whole_number;

pub use email::Email;
pub use error::Error;
pub use ids::{
    AddressId, CustomerId, ImageId, JobId, LocationId, ProductId, RoleId, UserId, VendorId,
};
pub use migrate::{revert_all_migrations, run_migrations};
pub use pool::{Db, LoginPolicy, PgPool, Probe, build_pool};
pub use scope::{PlatformScope, Queue, Resolving, Scope, TenantScope, Unscoped};
pub use tx::{PlatformTx, QueueTx, ResolvingTx, TenantTx, Tx, UnscopedTx};

/// Implements `From<diesel::result::Error>` for a domain error that already has a
/// `From<db::Error>` arm, so repository calls can use `?` inside scoped transactions.
#[macro_export]
macro_rules! storage_error {
    ($ty:ty) => {
        impl From<$crate::diesel_error::Error> for $ty {
            fn from(e: $crate::diesel_error::Error) -> Self {
                <$ty>::from($crate::Error::from(e))
            }
        }
    };
}

/// Re-exported so [`storage_error!`] works without the caller naming diesel.
pub use diesel::result as diesel_error;
