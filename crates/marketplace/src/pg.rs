use std::sync::Arc;

use catalog::Language;
use db::marketplace_imports::{self as repo, Import, NewImport};
use db::pagination::{Page, PageRequest};
use db::{Db, JobId, TenantScope, TenantTx, UserId};
use jobs::JobSpec;
use validator::Validate;

use crate::feed::Availability;
use crate::publish::{Outcome, publish_one, views};
use crate::{
    AdminImportQuery, FeedConfig, ImportErrorView, ImportStatus, ImportView, MarketplaceError,
    MarketplaceService, PageQuery, Publish, PublishFailure, PublishResult, Published,
    ResetOverrides, SourceKind, StagedProductView, StagedQuery, UrlImport, VendorImportView,
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
    catalog: Arc<dyn catalog::CatalogService>,
    inventory: Arc<dyn inventory::InventoryService>,
}

impl PgMarketplace {
    pub fn new(
        db: Db,
        catalog: Arc<dyn catalog::CatalogService>,
        inventory: Arc<dyn inventory::InventoryService>,
    ) -> Self {
        Self {
            db,
            catalog,
            inventory,
        }
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

    fn staged(
        &self,
        scope: &TenantScope,
        query: &StagedQuery,
    ) -> Result<Page<StagedProductView>, MarketplaceError> {
        self.staged_page(scope, query)
    }

    fn staged_product(
        &self,
        scope: &TenantScope,
        id: i64,
    ) -> Result<StagedProductView, MarketplaceError> {
        self.db.tenant(scope, |tx| self.staged_view(tx, id))
    }

    fn publish(
        &self,
        scope: &TenantScope,
        by: UserId,
        input: &Publish,
    ) -> Result<PublishResult, MarketplaceError> {
        self.publish_all(scope, by, input)
    }

    fn reset_overrides(
        &self,
        scope: &TenantScope,
        id: i64,
        input: &ResetOverrides,
    ) -> Result<StagedProductView, MarketplaceError> {
        input.validate()?;
        let fields = input.fields.as_deref().unwrap_or(&crate::FeedField::ALL);
        self.db.tenant(scope, |tx| {
            db::marketplace::find_staged(tx, id)?.ok_or(MarketplaceError::StagedNotFound)?;
            if !crate::sync::reset(&*self.catalog, tx, id, fields)? {
                return Err(MarketplaceError::NotPublished);
            }
            self.staged_view(tx, id)
        })
    }

    fn all_imports(
        &self,
        scope: &db::PlatformScope,
        query: &AdminImportQuery,
    ) -> Result<Page<VendorImportView>, MarketplaceError> {
        query.validate()?;
        let req = PageRequest::new(query.page, query.per_page);
        let (rows, total) = self
            .db
            .platform(scope, |tx| {
                repo::platform_page(
                    tx,
                    query.vendor.map(db::VendorId),
                    query.status.map(ImportStatus::as_str),
                    req.per_page,
                    req.offset(),
                )
            })
            .map_err(db::Error::from)?;
        Ok(
            Page::new(rows, total, req).map(|(import, vendor_id, vendor_code)| VendorImportView {
                vendor_id,
                vendor_code,
                import: view(import),
            }),
        )
    }

    fn config(&self, scope: &TenantScope) -> Result<FeedConfig, MarketplaceError> {
        let urls = self
            .db
            .tenant(scope, db::settings::csv_urls)
            .map_err(db::Error::from)?;
        // Addresses stored earlier (e.g. by the admin's bulk import) that are not valid any
        // more are shown as absent rather than failing the page.
        let csv_urls = serde_json::from_value(urls).unwrap_or_default();
        Ok(FeedConfig { csv_urls })
    }

    fn set_config(
        &self,
        scope: &TenantScope,
        input: &FeedConfig,
    ) -> Result<FeedConfig, MarketplaceError> {
        input.validate()?;
        let urls = serde_json::to_value(&input.csv_urls).unwrap_or_default();
        self.db
            .tenant(scope, |tx| db::settings::set_csv_urls(tx, &urls))
            .map_err(db::Error::from)?;
        Ok(input.clone())
    }

    fn import_all(
        &self,
        scope: &TenantScope,
        by: UserId,
    ) -> Result<Vec<ImportView>, MarketplaceError> {
        let config = self.config(scope)?;
        let started: Vec<ImportView> = config
            .csv_urls
            .each()
            .map(|(language, url)| {
                self.start(
                    scope,
                    &NewImport {
                        language: language.as_str(),
                        source_kind: SourceKind::Url.as_str(),
                        source: url,
                        upload_key: None,
                        created_by: Some(by),
                    },
                )
            })
            .collect::<Result<_, _>>()?;
        if started.is_empty() {
            return Err(MarketplaceError::NoFeedConfigured);
        }
        Ok(started)
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

impl PgMarketplace {
    /// One staged product with its raw rows and, once published, its overridden fields.
    fn staged_view(
        &self,
        tx: &mut TenantTx<'_>,
        id: i64,
    ) -> Result<StagedProductView, MarketplaceError> {
        let row = db::marketplace::find_staged(tx, id)?.ok_or(MarketplaceError::StagedNotFound)?;
        let mut view = views(tx, vec![row], true)?.remove(0);
        view.overridden = crate::sync::overridden(&*self.catalog, tx, id)?;
        Ok(view)
    }

    fn staged_page(
        &self,
        scope: &TenantScope,
        query: &StagedQuery,
    ) -> Result<Page<StagedProductView>, MarketplaceError> {
        query.validate()?;
        let req = PageRequest::new(query.page, query.per_page);
        let filter = db::marketplace::StagedFilter {
            q: query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()),
            language: query.language.map(Language::as_str),
            brand: query
                .brand
                .as_deref()
                .map(str::trim)
                .filter(|b| !b.is_empty()),
            availability: query.availability.map(crate::feed::Availability::as_str),
            published: query.published,
            missing: query.missing,
        };
        self.db.tenant(scope, |tx| {
            let (rows, total) =
                db::marketplace::staged_page(tx, &filter, req.per_page, req.offset())?;
            Ok(Page::new(views(tx, rows, false)?, total, req))
        })
    }

    fn publish_all(
        &self,
        scope: &TenantScope,
        by: UserId,
        input: &Publish,
    ) -> Result<PublishResult, MarketplaceError> {
        input.validate()?;
        // The first bad change is reported (validator keeps one nested entry per field name,
        // and merging a second under "overrides" would panic).
        if let Some(Err(e)) = input
            .overrides
            .values()
            .map(Validate::validate)
            .find(Result::is_err)
        {
            let mut errors = validator::ValidationErrors::new();
            errors.merge_self("overrides", Err(e));
            return Err(errors.into());
        }
        let none = crate::PublishOverride::default();
        let mut result = PublishResult::default();
        let mut seen = std::collections::HashSet::new();
        for &id in input.ids.iter().filter(|id| seen.insert(**id)) {
            let change = input.overrides.get(&id.to_string()).unwrap_or(&none);
            let activate = input.activate.unwrap_or(true);
            // One transaction per product: a refused one (a taken SKU) spoils only itself.
            let outcome = self.db.tenant(scope, |tx| {
                let outcome = publish_one(&*self.catalog, tx, id, change, activate)?;
                if let (Outcome::Published(product, availability), Some(units)) =
                    (&outcome, input.initial_stock)
                {
                    let quantity = if *availability == Availability::InStock {
                        units
                    } else {
                        0
                    };
                    self.inventory.set_in(
                        tx,
                        by,
                        &inventory::SetQuantity {
                            product_id: db::ProductId(*product),
                            location: None,
                            quantity,
                        },
                    )?;
                }
                Ok(outcome)
            });
            match outcome {
                Ok(Outcome::Published(product_id, _)) => {
                    result.published.push(Published { id, product_id })
                }
                Ok(Outcome::AlreadyPublished) => result.already_published.push(id),
                Err(Refusing(refusal)) => result.failed.push(PublishFailure {
                    id,
                    error: refusal.0,
                }),
            }
        }
        Ok(result)
    }
}

/// A refusal carried out of the transaction (which it rolls back).
struct Refusing(crate::publish::Refusal);

impl From<crate::publish::Refusal> for Refusing {
    fn from(e: crate::publish::Refusal) -> Self {
        Refusing(e)
    }
}

impl From<inventory::InventoryError> for Refusing {
    fn from(e: inventory::InventoryError) -> Self {
        Refusing(crate::publish::Refusal(format!(
            "its stock could not be recorded: {e}"
        )))
    }
}

impl From<db::Error> for Refusing {
    fn from(e: db::Error) -> Self {
        Refusing(crate::publish::Refusal(e.to_string()))
    }
}

impl From<diesel::result::Error> for Refusing {
    fn from(e: diesel::result::Error) -> Self {
        Refusing(crate::publish::Refusal::from(e))
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
