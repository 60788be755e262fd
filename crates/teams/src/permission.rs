//! Permission strings (from the product documents) and the default roles.

use serde::{Deserialize, Serialize};

macro_rules! permissions {
    ($($variant:ident => $name:literal,)*) => {
        /// Something a vendor team member may do; every vendor endpoint requires one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Permission {
            $(#[serde(rename = $name)] $variant,)*
        }

        impl Permission {
            pub const ALL: &'static [Permission] = &[$(Permission::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Permission::$variant => $name,)*
                }
            }

            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($name => Some(Permission::$variant),)*
                    _ => None,
                }
            }
        }

        /// One type per permission, so a handler states what it needs in its signature
        /// (`Member<needs::ProductsEdit>` in `web`).
        pub mod needs {
            $(
                #[doc = concat!("Needs `", $name, "`.")]
                #[derive(Debug, Clone, Copy)]
                pub struct $variant;

                impl super::Requires for $variant {
                    const PERMISSION: super::Permission = super::Permission::$variant;
                }
            )*
        }
    };
}

permissions! {
    TeamManage => "team.manage",
    TeamInvite => "team.invite",
    TeamRemove => "team.remove",
    TeamView => "team.view",
    ProductsCreate => "products.create",
    ProductsEdit => "products.edit",
    ProductsDelete => "products.delete",
    ProductsView => "products.view",
    OrdersCreate => "orders.create",
    OrdersEdit => "orders.edit",
    OrdersView => "orders.view",
    ImportsTrigger => "imports.trigger",
    ImportsView => "imports.view",
    ImportsConfigure => "imports.configure",
    SettingsEdit => "settings.edit",
    AnalyticsView => "analytics.view",
    CustomersView => "customers.view",
    CustomersEdit => "customers.edit",
    InventoryView => "inventory.view",
    InventoryEdit => "inventory.edit",
}

/// In the API document a permission is one of its strings, so clients know every value.
impl utoipa::PartialSchema for Permission {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(Permission::ALL.iter().map(|p| p.as_str())))
            .into()
    }
}

impl utoipa::ToSchema for Permission {}

/// A permission named by a type (see [`needs`]).
pub trait Requires {
    const PERMISSION: Permission;
}

impl std::fmt::Display for Permission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The roles every new vendor gets. Owner holds everything; the others follow the product
/// documents, with the later areas (customers, inventory) given to whoever handles orders
/// and products, read-only for Viewer.
pub fn default_roles() -> Vec<(&'static str, Vec<Permission>)> {
    use Permission::*;
    vec![
        ("Owner", Permission::ALL.to_vec()),
        (
            "Manager",
            vec![
                TeamInvite,
                TeamView,
                ProductsCreate,
                ProductsEdit,
                ProductsView,
                OrdersCreate,
                OrdersEdit,
                OrdersView,
                ImportsTrigger,
                ImportsView,
                AnalyticsView,
                CustomersView,
                CustomersEdit,
                InventoryView,
                InventoryEdit,
            ],
        ),
        (
            "Editor",
            vec![
                ProductsCreate,
                ProductsEdit,
                ProductsView,
                OrdersView,
                OrdersEdit,
                ImportsView,
                CustomersView,
                InventoryView,
                InventoryEdit,
            ],
        ),
        (
            "Viewer",
            vec![
                ProductsView,
                OrdersView,
                ImportsView,
                CustomersView,
                InventoryView,
            ],
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.as_str()), Some(*p));
        }
        assert_eq!(Permission::parse("products.fly"), None);
    }

    #[test]
    fn owner_holds_all_and_viewer_only_reads() {
        let roles = default_roles();
        let owner = &roles.iter().find(|(n, _)| *n == "Owner").expect("owner").1;
        assert_eq!(owner.len(), Permission::ALL.len());
        let viewer = &roles
            .iter()
            .find(|(n, _)| *n == "Viewer")
            .expect("viewer")
            .1;
        assert!(viewer.iter().all(|p| p.as_str().ends_with(".view")));
        let manager = &roles
            .iter()
            .find(|(n, _)| *n == "Manager")
            .expect("manager")
            .1;
        assert!(
            !manager.contains(&Permission::TeamManage),
            "managers do not manage the team"
        );
    }
}
