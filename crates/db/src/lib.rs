//! Wizamart's repository crate: the Diesel schema, row types and queries, the connection
//! pool, and the scoped transactions that carry the tenant wall into PostgreSQL.
//!
//! No business rules live here; the domain crates decide, this crate reads and writes.

pub mod audit;
mod error;
mod ids;
mod migrate;
pub mod pagination;
mod pool;
pub mod refresh_tokens;
pub mod roles;
pub mod schema;
mod scope;
pub mod settings;
#[cfg(feature = "test-support")]
pub mod test_support;
pub mod users;
pub mod vendor_domains;
pub mod vendor_users;
pub mod vendors;

pub use diesel::PgConnection;
pub use error::Error;
pub use ids::{RoleId, UserId, VendorId};
pub use migrate::{revert_all_migrations, run_migrations};
pub use pool::{Db, PgPool, build_pool};
pub use scope::{PlatformScope, TenantScope};

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
