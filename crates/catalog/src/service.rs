use db::{ImageId, ProductId};
use db::{TenantScope, TenantTx};
use media::ImageKey;

use crate::{
    BulkStatus, BulkStatusResult, CatalogError, ImageOrder, ImageView, NewProduct, ProductPage,
    ProductQuery, ProductView, RemoteImage, UpdateProduct,
};

/// A vendor's catalogue. Every method is scoped to one vendor; another vendor's product id
/// is `NotFound`.
pub trait CatalogService: Send + Sync {
    fn create(&self, scope: &TenantScope, input: &NewProduct) -> Result<ProductView, CatalogError>;

    /// Creates a product with images at these addresses (at most [`crate::MAX_IMAGES`] are
    /// kept) inside the caller's transaction: publishing from the marketplace links the staged
    /// row in the same transaction. A taken SKU is `SkuTaken` and leaves the transaction
    /// unusable, so the caller's transaction must be for this product alone.
    fn create_in(
        &self,
        tx: &mut TenantTx<'_>,
        input: &NewProduct,
        image_urls: &[&str],
    ) -> Result<ProductView, CatalogError>;

    fn get(&self, scope: &TenantScope, id: ProductId) -> Result<ProductView, CatalogError>;

    /// Applies the edit if the product is still at `input.version` (else `VersionConflict`).
    fn update(
        &self,
        scope: &TenantScope,
        id: ProductId,
        input: &UpdateProduct,
    ) -> Result<ProductView, CatalogError>;

    /// Soft delete: the product disappears; its SKU may be used again.
    /// [`CatalogService::update`] inside the caller's transaction (a re-import bringing the
    /// feed's changes into published products).
    fn update_in(
        &self,
        tx: &mut TenantTx<'_>,
        id: ProductId,
        input: &UpdateProduct,
    ) -> Result<ProductView, CatalogError>;

    /// Replaces the product's images given by address with `urls` (at most as many as the
    /// uploads leave room for), after its uploads, which stay; inside the caller's
    /// transaction (a re-import bringing the feed's images).
    fn replace_remote_images_in(
        &self,
        tx: &mut TenantTx<'_>,
        id: ProductId,
        urls: &[String],
    ) -> Result<(), CatalogError>;

    /// What the shop sells these products for, inside the caller's transaction: active,
    /// live products only (the others are absent), titles in `language` where they have it.
    fn sale_lines_in(
        &self,
        tx: &mut TenantTx<'_>,
        ids: &[ProductId],
        language: Option<crate::Language>,
    ) -> Result<std::collections::HashMap<ProductId, crate::SaleLine>, CatalogError>;

    /// [`CatalogService::get`] inside the caller's transaction.
    fn get_in(&self, tx: &mut TenantTx<'_>, id: ProductId) -> Result<ProductView, CatalogError>;

    fn delete(&self, scope: &TenantScope, id: ProductId) -> Result<(), CatalogError>;

    fn toggle_active(
        &self,
        scope: &TenantScope,
        id: ProductId,
    ) -> Result<ProductView, CatalogError>;

    fn toggle_featured(
        &self,
        scope: &TenantScope,
        id: ProductId,
    ) -> Result<ProductView, CatalogError>;

    /// Activates or deactivates many products at once.
    fn set_active(
        &self,
        scope: &TenantScope,
        input: &BulkStatus,
    ) -> Result<BulkStatusResult, CatalogError>;

    /// Lists and searches (full text, filters, sorts) one page.
    fn search(
        &self,
        scope: &TenantScope,
        query: &ProductQuery,
    ) -> Result<ProductPage, CatalogError>;

    /// The newest `limit` active products (id, last change): what a shop's sitemap lists.
    fn sitemap(
        &self,
        scope: &TenantScope,
        limit: i64,
    ) -> Result<Vec<(ProductId, chrono::DateTime<chrono::Utc>)>, CatalogError>;

    /// Up to `limit` live products with ids above `after`, in id order: an export's pages,
    /// stable while the catalogue changes.
    fn export_batch(
        &self,
        scope: &TenantScope,
        after: Option<ProductId>,
        limit: i64,
    ) -> Result<Vec<ProductView>, CatalogError>;

    /// The product's images in order.
    fn images(&self, scope: &TenantScope, id: ProductId) -> Result<Vec<ImageView>, CatalogError>;

    /// Adds an image by address after the last one.
    fn add_remote_image(
        &self,
        scope: &TenantScope,
        id: ProductId,
        input: &RemoteImage,
    ) -> Result<ImageView, CatalogError>;

    /// Records an upload whose renditions are already stored under `key` (the caller removes
    /// them if this fails).
    fn add_uploaded_image(
        &self,
        scope: &TenantScope,
        id: ProductId,
        key: &ImageKey,
        size: (u32, u32),
    ) -> Result<ImageView, CatalogError>;

    /// Removes an image; answers the key of its files if it was an upload (the caller deletes
    /// them once the row is gone).
    fn remove_image(
        &self,
        scope: &TenantScope,
        id: ProductId,
        image: ImageId,
    ) -> Result<Option<ImageKey>, CatalogError>;

    /// Puts the product's images in the given order (every image named exactly once).
    fn reorder_images(
        &self,
        scope: &TenantScope,
        id: ProductId,
        input: &ImageOrder,
    ) -> Result<Vec<ImageView>, CatalogError>;
}
