use db::pagination::Page;
use db::{PlatformScope, TenantScope, UserId};

use crate::{
    AdminImportQuery, FeedConfig, ImportErrorView, ImportView, MarketplaceError, PageQuery,
    Publish, PublishResult, ResetOverrides, StagedProductView, StagedQuery, UrlImport,
    VendorImportView,
};

/// A vendor's Letzshop imports. Starting one only records it and enqueues its job; the job
/// reads the feed ([`crate::ImportJob`]), never the request.
pub trait MarketplaceService: Send + Sync {
    /// An import of the feed at an address.
    fn start_url_import(
        &self,
        scope: &TenantScope,
        by: UserId,
        input: &UrlImport,
    ) -> Result<ImportView, MarketplaceError>;

    /// An import of a file already stored under `upload_key` (see [`crate::upload_key`]).
    fn start_upload_import(
        &self,
        scope: &TenantScope,
        by: UserId,
        language: catalog::Language,
        file_name: &str,
        upload_key: &str,
    ) -> Result<ImportView, MarketplaceError>;

    /// The vendor's imports, newest first.
    fn imports(
        &self,
        scope: &TenantScope,
        page: &PageQuery,
    ) -> Result<Page<ImportView>, MarketplaceError>;

    fn import(&self, scope: &TenantScope, id: i64) -> Result<ImportView, MarketplaceError>;

    /// An import's kept bad rows, in file order.
    fn import_errors(
        &self,
        scope: &TenantScope,
        id: i64,
        page: &PageQuery,
    ) -> Result<Page<ImportErrorView>, MarketplaceError>;

    /// Stops an import: a pending one at once, a running one after its current batch.
    fn cancel_import(&self, scope: &TenantScope, id: i64) -> Result<ImportView, MarketplaceError>;

    /// Staged products in feed-id order, with their texts.
    fn staged(
        &self,
        scope: &TenantScope,
        query: &StagedQuery,
    ) -> Result<Page<StagedProductView>, MarketplaceError>;

    /// One staged product with its texts and raw rows.
    fn staged_product(
        &self,
        scope: &TenantScope,
        id: i64,
    ) -> Result<StagedProductView, MarketplaceError>;

    /// Publishes staged products into the catalogue, each on its own (one failing does not
    /// stop the others): texts in every language, price, brand, GTIN, condition, images by
    /// address, with the given overrides, and (when asked) first stock from the feed's
    /// availability, recorded as set by `by`.
    fn publish(
        &self,
        scope: &TenantScope,
        by: UserId,
        input: &Publish,
    ) -> Result<PublishResult, MarketplaceError>;

    /// Gives overridden fields of a published product the feed's values again; from then on
    /// re-imports keep them up to date. Answers the staged product with what stays overridden.
    fn reset_overrides(
        &self,
        scope: &TenantScope,
        id: i64,
        input: &ResetOverrides,
    ) -> Result<StagedProductView, MarketplaceError>;

    /// The vendor's feed addresses.
    fn config(&self, scope: &TenantScope) -> Result<FeedConfig, MarketplaceError>;

    /// Replaces the vendor's feed addresses.
    fn set_config(
        &self,
        scope: &TenantScope,
        input: &FeedConfig,
    ) -> Result<FeedConfig, MarketplaceError>;

    /// Starts an import of every configured address (one per language).
    fn import_all(
        &self,
        scope: &TenantScope,
        by: UserId,
    ) -> Result<Vec<ImportView>, MarketplaceError>;

    /// Every vendor's imports, newest first (platform administrators).
    fn all_imports(
        &self,
        scope: &PlatformScope,
        query: &AdminImportQuery,
    ) -> Result<Page<VendorImportView>, MarketplaceError>;
}
