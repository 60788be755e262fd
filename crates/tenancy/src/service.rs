use db::audit::Actor;
use db::pagination::Page;
use db::{PlatformScope, VendorId};

use crate::bulk::{BulkAnswer, BulkImportView};
use crate::{
    CreateVendor, CreatedVendor, TenancyError, UpdateVendor, VendorDetail, VendorListQuery,
    VendorView,
};

/// The platform admin's management of vendors. Every change writes an audit entry.
pub trait VendorService: Send + Sync {
    /// Creates a vendor with its owner (a new account with a temporary password, or an
    /// existing account), its settings and its default roles, all or nothing.
    fn create(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        input: &CreateVendor,
    ) -> Result<CreatedVendor, TenancyError>;

    /// Creates one vendor per row of a CSV file (see [`crate::bulk`]); each row succeeds or
    /// fails on its own. A small file is created at once; a larger one is stored and
    /// enqueued for [`crate::BulkImportJob`], and followed with [`VendorService::bulk_import`].
    fn bulk_create(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        file_name: &str,
        csv: &[u8],
    ) -> Result<BulkAnswer, TenancyError>;

    /// What [`VendorService::bulk_create`] would do with the file, found without writing
    /// anything: the vendors it would create and every row it would refuse.
    fn bulk_preview(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        csv: &[u8],
    ) -> Result<crate::bulk::BulkPreview, TenancyError>;

    /// A bulk import run by a job, with its progress and report (the temporary passwords
    /// only on the first read after it ended).
    fn bulk_import(&self, scope: &PlatformScope, id: i64) -> Result<BulkImportView, TenancyError>;

    fn list(
        &self,
        scope: &PlatformScope,
        query: &VendorListQuery,
    ) -> Result<Page<VendorView>, TenancyError>;

    fn get(&self, scope: &PlatformScope, id: VendorId) -> Result<VendorDetail, TenancyError>;

    fn update(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        id: VendorId,
        input: &UpdateVendor,
    ) -> Result<VendorView, TenancyError>;

    fn set_verified(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        id: VendorId,
        verified: bool,
    ) -> Result<VendorView, TenancyError>;

    /// An inactive vendor's shop and dashboard are closed.
    fn set_active(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        id: VendorId,
        active: bool,
    ) -> Result<VendorView, TenancyError>;

    /// Soft delete: the vendor disappears everywhere; its code stays reserved.
    fn delete(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        id: VendorId,
    ) -> Result<(), TenancyError>;
}

/// What a vendor's team sets for its own shop (`settings.edit`).
pub trait ShopSettings: Send + Sync {
    /// The shop's theme as the shop renders it.
    fn theme(&self, scope: &db::TenantScope) -> Result<crate::Theme, TenancyError>;

    /// Replaces the shop's theme (audited); the shop shows it on its next page.
    fn set_theme(
        &self,
        scope: &db::TenantScope,
        actor: &Actor,
        theme: &crate::Theme,
    ) -> Result<crate::Theme, TenancyError>;

    /// Makes `url` (an uploaded image's) the shop's logo, keeping the rest of the theme.
    fn set_logo(
        &self,
        scope: &db::TenantScope,
        actor: &Actor,
        url: &str,
    ) -> Result<crate::Theme, TenancyError> {
        let mut theme = self.theme(scope)?;
        theme.logo_url = Some(url.to_owned());
        self.set_theme(scope, actor, &theme)
    }
}
