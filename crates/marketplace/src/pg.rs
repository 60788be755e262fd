use catalog::Language;
use db::marketplace_imports::{self as repo, Import, NewImport};
use db::pagination::{Page, PageRequest};
use db::{Db, JobId, TenantScope, TenantTx, UserId};
use jobs::JobSpec;
use validator::Validate;

use crate::{
    ImportErrorView, ImportStatus, ImportView, MarketplaceError, MarketplaceService, PageQuery,
    SourceKind, UrlImport,
};

/// The job kind that runs an import.
pub const IMPORT_JOB: &str = "marketplace.import";

/// Where an uploaded feed waits for its job: a name in the vendor's own folder of the media
/// store, which the public media route never serves.
pub fn upload_key(vendor: db::VendorId) -> String {
    format!("imports/{}/{}.csv", vendor.0, uuid::Uuid::new_v4().simple())
}

pub struct PgMarketplace {
    db: Db,
}

impl PgMarketplace {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    fn start(
        &self,
        scope: &TenantScope,
        new: &NewImport<'_>,
    ) -> Result<ImportView, MarketplaceError> {
        self.db.tenant(scope, |tx| {
            let import = repo::create(tx, new)?;
            let job = jobs::enqueue_for_vendor(
                tx,
                &JobSpec::new(IMPORT_JOB, serde_json::json!({ "import_id": import.id })),
            )
            .map_err(MarketplaceError::Jobs)?;
            Ok(view(repo::set_job(tx, import.id, job)?))
        })
    }
}

fn found(tx: &mut TenantTx<'_>, id: i64) -> Result<Import, MarketplaceError> {
    repo::find(tx, id)?.ok_or(MarketplaceError::ImportNotFound)
}

impl MarketplaceService for PgMarketplace {
    fn start_url_import(
        &self,
        scope: &TenantScope,
        by: UserId,
        input: &UrlImport,
    ) -> Result<ImportView, MarketplaceError> {
        input.validate()?;
        self.start(
            scope,
            &NewImport {
                language: input.language.as_str(),
                source_kind: SourceKind::Url.as_str(),
                source: &input.source_url,
                upload_key: None,
                created_by: Some(by),
            },
        )
    }

    fn start_upload_import(
        &self,
        scope: &TenantScope,
        by: UserId,
        language: Language,
        file_name: &str,
        upload_key: &str,
    ) -> Result<ImportView, MarketplaceError> {
        let name: String = file_name
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        self.start(
            scope,
            &NewImport {
                language: language.as_str(),
                source_kind: SourceKind::Upload.as_str(),
                source: if name.trim().is_empty() {
                    "upload.csv"
                } else {
                    name.trim()
                },
                upload_key: Some(upload_key),
                created_by: Some(by),
            },
        )
    }

    fn imports(
        &self,
        scope: &TenantScope,
        page: &PageQuery,
    ) -> Result<Page<ImportView>, MarketplaceError> {
        let req = PageRequest::new(page.page, page.per_page);
        let (items, total) = self
            .db
            .tenant(scope, |tx| repo::page(tx, req.per_page, req.offset()))
            .map_err(db::Error::from)?;
        Ok(Page::new(items, total, req).map(view))
    }

    fn import(&self, scope: &TenantScope, id: i64) -> Result<ImportView, MarketplaceError> {
        self.db.tenant(scope, |tx| found(tx, id)).map(view)
    }

    fn import_errors(
        &self,
        scope: &TenantScope,
        id: i64,
        page: &PageQuery,
    ) -> Result<Page<ImportErrorView>, MarketplaceError> {
        let req = PageRequest::new(page.page, page.per_page);
        let (items, total) = self.db.tenant(scope, |tx| {
            found(tx, id)?;
            Ok::<_, MarketplaceError>(repo::errors_page(tx, id, req.per_page, req.offset())?)
        })?;
        Ok(Page::new(items, total, req).map(|e| ImportErrorView {
            row_number: e.row_number,
            column: e.column_name,
            message: e.message,
            raw: e.raw,
        }))
    }

    fn cancel_import(&self, scope: &TenantScope, id: i64) -> Result<ImportView, MarketplaceError> {
        self.db.tenant(scope, |tx| {
            let import = found(tx, id)?;
            let status = ImportStatus::parse(&import.status).unwrap_or(ImportStatus::Failed);
            if status.is_final() {
                return Ok(view(import));
            }
            let job = match import.job_id {
                Some(job) => db::jobs::cancel(tx, JobId(job))?,
                None => None,
            };
            // A job still waiting is cancelled now; a running one marks the import when it
            // stops, after its current batch.
            if job.as_deref() != Some("running") {
                repo::finish(tx, id, ImportStatus::Cancelled.as_str(), None)?;
            }
            found(tx, id).map(view)
        })
    }
}

/// An import row as the API shows it.
pub(crate) fn view(i: Import) -> ImportView {
    ImportView {
        id: i.id,
        status: ImportStatus::parse(&i.status).unwrap_or(ImportStatus::Failed),
        language: Language::parse(&i.language).unwrap_or(Language::Fr),
        source_kind: if i.source_kind == "url" {
            SourceKind::Url
        } else {
            SourceKind::Upload
        },
        source: i.source,
        total_rows: i.total_rows.into(),
        processed_rows: i.processed_rows.into(),
        created_count: i.created_count.into(),
        updated_count: i.updated_count.into(),
        unchanged_count: i.unchanged_count.into(),
        error_count: i.error_count.into(),
        failure: i.failure,
        created_at: i.created_at,
        started_at: i.started_at,
        finished_at: i.finished_at,
    }
}
