//! The Letzshop marketplace: product feeds read as a stream, imported by background jobs into
//! a vendor's staging area, and published from there into the catalogue.

mod error;
pub mod feed;
mod job;
mod model;
mod pg;
mod publish;
mod service;
pub mod staging;
mod sync;

pub use error::MarketplaceError;
pub use job::{FeedSource, FeedSources, ImportJob, SourceError};
pub use model::{
    AdminImportQuery, CsvUrls, FeedConfig, FeedField, ImportErrorView, ImportStatus, ImportView,
    PageQuery, Publish, PublishFailure, PublishOverride, PublishResult, Published, ResetOverrides,
    SourceKind, StagedProductView, StagedQuery, StagedText, UrlImport, VendorImportView,
};
pub use pg::{IMPORT_JOB, PgMarketplace, upload_key};
pub use service::MarketplaceService;
