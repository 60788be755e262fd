//! Newtype ids, so a vendor id can never be passed where a user id is expected.

use diesel_derive_newtype::DieselNewType;
use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, DieselNewType,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                Self(id)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A vendor (tenant).
    VendorId
);
id_type!(
    /// A platform user: an administrator or a vendor team member.
    UserId
);
id_type!(
    /// A role of one vendor.
    RoleId
);
id_type!(
    /// A product of one vendor's catalogue.
    ProductId
);
id_type!(
    /// A place one vendor keeps inventory.
    LocationId
);
id_type!(
    /// One image of a product.
    ImageId
);
id_type!(
    /// A background job.
    JobId
);
id_type!(
    /// A customer of one vendor's shop.
    CustomerId
);
id_type!(
    /// One address in a customer's address book.
    AddressId
);
