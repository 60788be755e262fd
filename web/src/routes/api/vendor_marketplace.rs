//! Letzshop imports: start one from an address or an uploaded file, follow it, read its bad
//! rows, cancel it. Starting only records the import and enqueues its job (202); a worker
//! reads the feed.

use actix_multipart::Multipart;
use actix_web::{HttpResponse, get, post, put, web};
use catalog::Language;
use db::pagination::Page;
use futures_util::{StreamExt, TryStreamExt};
use marketplace::{
    FeedConfig, ImportErrorView, ImportView, PageQuery, Publish, PublishResult, ResetOverrides,
    StagedProductView, StagedQuery, UrlImport,
};
use serde::Deserialize;
use teams::needs::{ImportsConfigure, ImportsTrigger, ImportsView, ProductsCreate, ProductsEdit};
use utoipa::{IntoParams, ToSchema};

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Member;
use crate::state::AppState;

/// The language of an uploaded feed.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    pub language: Language,
}

/// An upload's language and body, extracted after the permission check.
type UploadInput = (web::Query<UploadQuery>, Multipart);
/// An import's id and the page of its errors.
type ErrorsInput = (web::Path<i64>, web::Query<PageQuery>);
/// A staged product's id and the fields to reset.
type ResetInput = (web::Path<i64>, web::Json<ResetOverrides>);

/// The upload: one CSV feed in the field `file`. (The OpenAPI document's description of the
/// body; the handler streams the field instead of reading it into this.)
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct FeedUpload {
    /// A Letzshop (Google Shopping) feed as CSV: tab, semicolon or comma separated, UTF-8, at
    /// most `IMPORT_MAX_MB` (200 MB by default).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// Starts an import of the feed at an address (fetched by the job, not now) [imports.trigger].
#[utoipa::path(tag = "vendor", request_body = UrlImport, security(("bearer" = ["imports.trigger"])),
    responses((status = 202, body = ImportView)))]
#[post("/vendor/marketplace/import")]
pub async fn import_url(
    state: web::Data<AppState>,
    member: Member<ImportsTrigger, web::Json<UrlImport>>,
) -> Result<HttpResponse, ApiError> {
    let (scope, by, body) = (
        member.scope(),
        member.principal.member.user.id,
        member.input,
    );
    let import = blocking(move || state.marketplace.start_url_import(&scope, by, &body)).await?;
    Ok(HttpResponse::Accepted().json(import))
}

/// Starts an import of an uploaded feed (multipart field `file`) in `language`; the file is
/// stored as it arrives and read by the job [imports.trigger].
#[utoipa::path(tag = "vendor", params(UploadQuery),
    request_body(content = FeedUpload, content_type = "multipart/form-data"),
    security(("bearer" = ["imports.trigger"])),
    responses((status = 202, body = ImportView),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "INVALID_UPLOAD", body = ErrorBody)))]
#[post("/vendor/marketplace/import/upload")]
pub async fn import_upload(
    state: web::Data<AppState>,
    member: Member<ImportsTrigger, UploadInput>,
) -> Result<HttpResponse, ApiError> {
    let (scope, by) = (member.scope(), member.principal.member.user.id);
    let (query, mut multipart) = member.input;
    let language = query.into_inner().language;
    // The platform's setting, never above the server's own ceiling.
    let setting_mb = state.platform_settings.current().max_import_file_mb;
    let max = u64::try_from(setting_mb)
        .unwrap_or(1)
        .saturating_mul(1024 * 1024)
        .min(state.config.import_max_bytes);
    let key = marketplace::upload_key(scope.vendor_id());
    let mut file_name = None;
    while let Some(field) = multipart.next().await {
        let field = field.map_err(|e| ApiError::upload(&e.into()));
        // The form has one part, `file`: anything else is refused (and a stored file removed).
        let field = match field {
            Ok(field) if field.name() == Some("file") && file_name.is_none() => field,
            other => {
                if file_name.is_some() {
                    let _ = state.media.delete(&key).await;
                }
                return Err(match other {
                    Err(e) => e,
                    Ok(field) => ApiError::invalid(
                        "INVALID_UPLOAD",
                        format!(
                            "the upload takes one part, 'file'; '{}' is not expected",
                            field.name().unwrap_or("")
                        ),
                    ),
                });
            }
        };
        file_name = Some(
            field
                .content_disposition()
                .and_then(|d| d.get_filename())
                .unwrap_or("upload.csv")
                .to_owned(),
        );
        let mut seen = 0u64;
        let chunks = field
            .map_err(|e| ApiError::upload(&e.into()))
            .and_then(move |chunk| {
                seen += chunk.len() as u64;
                futures_util::future::ready(if seen > max {
                    Err(ApiError::new(
                        actix_web::http::StatusCode::PAYLOAD_TOO_LARGE,
                        "PAYLOAD_TOO_LARGE",
                        format!("the feed is larger than {} MB", max / (1024 * 1024)),
                    ))
                } else {
                    Ok(chunk)
                })
            });
        state
            .media
            .put_stream(&key, Box::pin(chunks))
            .await
            .map_err(|e| match e {
                media::PutStreamError::Source(e) => e,
                media::PutStreamError::Store(e) => ApiError::from(e),
            })?;
    }
    let Some(file_name) = file_name else {
        return Err(ApiError::invalid(
            "INVALID_UPLOAD",
            "the upload needs the field 'file'".to_owned(),
        ));
    };
    let started = {
        let (state, key) = (state.clone(), key.clone());
        blocking(move || {
            state
                .marketplace
                .start_upload_import(&scope, by, language, &file_name, &key)
        })
        .await
    };
    match started {
        Ok(import) => Ok(HttpResponse::Accepted().json(import)),
        Err(e) => {
            let _ = state.media.delete(&key).await;
            Err(e)
        }
    }
}

/// Starts an import of every configured feed address, one per language; 409
/// `NO_FEED_CONFIGURED` when none is set [imports.trigger].
#[utoipa::path(tag = "vendor", security(("bearer" = ["imports.trigger"])),
    responses((status = 202, body = Vec<ImportView>),
        (status = 409, description = "NO_FEED_CONFIGURED", body = ErrorBody)))]
#[post("/vendor/marketplace/import-all")]
pub async fn import_all(
    state: web::Data<AppState>,
    member: Member<ImportsTrigger>,
) -> Result<HttpResponse, ApiError> {
    let (scope, by) = (member.scope(), member.principal.member.user.id);
    let imports = blocking(move || state.marketplace.import_all(&scope, by)).await?;
    Ok(HttpResponse::Accepted().json(imports))
}

/// The vendor's Letzshop feed address per language [imports.configure].
#[utoipa::path(tag = "vendor", security(("bearer" = ["imports.configure"])),
    responses((status = 200, body = FeedConfig)))]
#[get("/vendor/marketplace/config")]
pub async fn config(
    state: web::Data<AppState>,
    member: Member<ImportsConfigure>,
) -> Result<web::Json<FeedConfig>, ApiError> {
    let scope = member.scope();
    let current = blocking(move || state.marketplace.config(&scope)).await?;
    Ok(web::Json(current))
}

/// Replaces the feed addresses (a language left out has none) [imports.configure].
#[utoipa::path(tag = "vendor", request_body = FeedConfig, security(("bearer" = ["imports.configure"])),
    responses((status = 200, body = FeedConfig)))]
#[put("/vendor/marketplace/config")]
pub async fn set_config(
    state: web::Data<AppState>,
    member: Member<ImportsConfigure, web::Json<FeedConfig>>,
) -> Result<web::Json<FeedConfig>, ApiError> {
    let (scope, body) = (member.scope(), member.input.into_inner());
    let saved = blocking(move || state.marketplace.set_config(&scope, &body)).await?;
    Ok(web::Json(saved))
}

/// The vendor's imports, newest first, with their live counts [imports.view].
#[utoipa::path(tag = "vendor", params(PageQuery), security(("bearer" = ["imports.view"])),
    responses((status = 200, body = Page<ImportView>)))]
#[get("/vendor/marketplace/jobs")]
pub async fn jobs(
    state: web::Data<AppState>,
    member: Member<ImportsView, web::Query<PageQuery>>,
) -> Result<web::Json<Page<ImportView>>, ApiError> {
    let (scope, page) = (member.scope(), member.input.into_inner());
    let imports = blocking(move || state.marketplace.imports(&scope, &page)).await?;
    Ok(web::Json(imports))
}

/// One import with its live counts [imports.view].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)), security(("bearer" = ["imports.view"])),
    responses((status = 200, body = ImportView)))]
#[get("/vendor/marketplace/jobs/{id}")]
pub async fn job(
    state: web::Data<AppState>,
    member: Member<ImportsView, web::Path<i64>>,
) -> Result<web::Json<ImportView>, ApiError> {
    let (scope, id) = (member.scope(), member.input.into_inner());
    let import = blocking(move || state.marketplace.import(&scope, id)).await?;
    Ok(web::Json(import))
}

/// An import's bad rows in file order: line, column, what is wrong, the row as written (the
/// first 1,000 rows are kept; `error_count` on the import counts them all) [imports.view].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1), PageQuery),
    security(("bearer" = ["imports.view"])),
    responses((status = 200, body = Page<ImportErrorView>)))]
#[get("/vendor/marketplace/jobs/{id}/errors")]
pub async fn errors(
    state: web::Data<AppState>,
    member: Member<ImportsView, ErrorsInput>,
) -> Result<web::Json<Page<ImportErrorView>>, ApiError> {
    let (scope, (id, page)) = (member.scope(), member.input);
    let (id, page) = (id.into_inner(), page.into_inner());
    let rows = blocking(move || state.marketplace.import_errors(&scope, id, &page)).await?;
    Ok(web::Json(rows))
}

/// Cancels an import: a waiting one at once, a running one after its current batch of 1,000
/// rows (what was staged stays); an ended one is answered as it is [imports.trigger].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)), security(("bearer" = ["imports.trigger"])),
    responses((status = 200, body = ImportView)))]
#[post("/vendor/marketplace/jobs/{id}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    member: Member<ImportsTrigger, web::Path<i64>>,
) -> Result<web::Json<ImportView>, ApiError> {
    let (scope, id) = (member.scope(), member.input.into_inner());
    let import = blocking(move || state.marketplace.cancel_import(&scope, id)).await?;
    Ok(web::Json(import))
}

/// The staged products in feed-id order, with their texts: search a title or feed id, filter
/// by language, brand, availability, published, gone from the feed [imports.view].
#[utoipa::path(tag = "vendor", params(StagedQuery), security(("bearer" = ["imports.view"])),
    responses((status = 200, body = Page<StagedProductView>)))]
#[get("/vendor/marketplace/products")]
pub async fn staged(
    state: web::Data<AppState>,
    member: Member<ImportsView, web::Query<StagedQuery>>,
) -> Result<web::Json<Page<StagedProductView>>, ApiError> {
    let (scope, query) = (member.scope(), member.input.into_inner());
    let page = blocking(move || state.marketplace.staged(&scope, &query)).await?;
    Ok(web::Json(page))
}

/// One staged product with its texts and the rows as the feed wrote them [imports.view].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)), security(("bearer" = ["imports.view"])),
    responses((status = 200, body = StagedProductView)))]
#[get("/vendor/marketplace/products/{id}")]
pub async fn staged_product(
    state: web::Data<AppState>,
    member: Member<ImportsView, web::Path<i64>>,
) -> Result<web::Json<StagedProductView>, ApiError> {
    let (scope, id) = (member.scope(), member.input.into_inner());
    let product = blocking(move || state.marketplace.staged_product(&scope, id)).await?;
    Ok(web::Json(product))
}

/// Publishes staged products into the catalogue, each on its own: texts in every language,
/// price, brand, GTIN, condition and images from the feed, with optional overrides of SKU,
/// price, title and description per product. Answers what was published, what already was,
/// and what failed with the reason (e.g. a taken SKU) [products.create].
#[utoipa::path(tag = "vendor", request_body = Publish, security(("bearer" = ["products.create"])),
    responses((status = 200, body = PublishResult)))]
#[post("/vendor/marketplace/products/publish")]
pub async fn publish(
    state: web::Data<AppState>,
    member: Member<ProductsCreate, web::Json<Publish>>,
) -> Result<web::Json<PublishResult>, ApiError> {
    let (scope, by, body) = (
        member.scope(),
        member.principal.member.user.id,
        member.input.into_inner(),
    );
    let result = blocking(move || state.marketplace.publish(&scope, by, &body)).await?;
    Ok(web::Json(result))
}

/// Gives overridden fields of a published product the feed's values again (every field when
/// `fields` is absent); from then on re-imports keep them up to date. Answers the staged
/// product with `overridden` [products.edit].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)), request_body = ResetOverrides,
    security(("bearer" = ["products.edit"])),
    responses((status = 200, body = StagedProductView),
    (status = 409, description = "NOT_PUBLISHED: the staged product has no catalogue product; VERSION_CONFLICT: the product changed meanwhile", body = ErrorBody)))]
#[post("/vendor/marketplace/products/{id}/reset")]
pub async fn reset_overrides(
    state: web::Data<AppState>,
    member: Member<ProductsEdit, ResetInput>,
) -> Result<web::Json<StagedProductView>, ApiError> {
    let (scope, (id, body)) = (member.scope(), member.input);
    let (id, body) = (id.into_inner(), body.into_inner());
    let product = blocking(move || state.marketplace.reset_overrides(&scope, id, &body)).await?;
    Ok(web::Json(product))
}
