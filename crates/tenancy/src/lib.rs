//! Tenancy: the platform admin's management of vendors (create with owner and team, list,
//! edit, verify, activate, soft delete), their custom domains, and resolving which vendor a
//! request is for.

pub mod bulk;
mod bulk_job;
mod domains;
mod error;
mod model;
mod pg;
mod resolve;
mod service;
mod theme;
mod validate;

pub use bulk::{
    BulkAnswer, BulkCreated, BulkFailure, BulkImportView, BulkPlanned, BulkPreview, BulkReport,
    BulkStatus,
};
pub use bulk_job::{BULK_IMPORT_JOB, BulkImportJob};
pub use db::audit::Actor;
pub use domains::{
    AdminVerify, DomainQuery, DomainRecheckJob, DomainService, DomainView, NewDomain, PgDomains,
    RECHECK_JOB, TxtLookup,
};
pub use error::TenancyError;
pub use model::{
    CreateVendor, CreatedVendor, OwnerInfo, UpdateVendor, VendorDetail, VendorListQuery, VendorView,
};
pub use pg::PgVendors;
pub use resolve::{PgResolver, RequestTarget, ResolvedVendor, VendorResolver};
pub use service::{ShopSettings, VendorService};
pub use theme::{Font, Layout, Theme};
