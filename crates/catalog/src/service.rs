use db::ProductId;
use db::TenantScope;

use crate::{
    BulkStatus, BulkStatusResult, CatalogError, NewProduct, ProductPage, ProductQuery, ProductView,
    UpdateProduct,
};

/// A vendor's catalogue. Every method is scoped to one vendor; another vendor's product id
/// is `NotFound`.
pub trait CatalogService: Send + Sync {
    fn create(&self, scope: &TenantScope, input: &NewProduct) -> Result<ProductView, CatalogError>;

    fn get(&self, scope: &TenantScope, id: ProductId) -> Result<ProductView, CatalogError>;

    /// Applies the edit if the product is still at `input.version` (else `VersionConflict`).
    fn update(
        &self,
        scope: &TenantScope,
        id: ProductId,
        input: &UpdateProduct,
    ) -> Result<ProductView, CatalogError>;

    /// Soft delete: the product disappears; its SKU may be used again.
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
}
