//! The catalogue: a vendor's published products with their texts in French, German and
//! English, prices in cents, flags, and one search that serves the dashboard and, later, the
//! shop.

mod error;
pub mod gtin;
mod images;
mod model;
mod pg;
mod pg_images;
mod service;
mod shop_view;

pub use error::CatalogError;
pub use images::{ImageOrder, ImageSource, ImageView, MAX_IMAGES, RemoteImage};
pub use model::{
    BulkStatus, BulkStatusResult, Condition, Language, MAX_PRICE_CENTS, NewProduct, ProductPage,
    ProductQuery, ProductText, ProductView, SortOrder, TranslationView, Translations,
    UpdateProduct, valid_sku,
};
pub use pg::PgCatalog;
pub use service::CatalogService;
pub use shop_view::{SaleLine, ShopImage, ShopProduct, ShopProductPage, ShopQuery};
