//! The platform admin's vendor management.

use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as MultipartBytes;
use actix_web::{HttpResponse, delete, get, post, put, web};
use db::VendorId;
use db::pagination::Page;
use serde::Deserialize;
use tenancy::{
    BulkAnswer, BulkImportView, BulkPreview, BulkReport, CreateVendor, CreatedVendor, UpdateVendor,
    VendorDetail, VendorListQuery, VendorView,
};
use utoipa::ToSchema;

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{AdminUser, Client};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    pub is_verified: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    pub is_active: bool,
}

/// Lists vendors, newest first, with search and filters.
#[utoipa::path(tag = "admin", params(VendorListQuery), security(("bearer" = [])), responses(
    (status = 200, body = Page<VendorView>), (status = 401, body = ErrorBody)))]
#[get("/admin/vendors")]
pub async fn list(
    state: web::Data<AppState>,
    admin: AdminUser,
    query: web::Query<VendorListQuery>,
) -> Result<web::Json<Page<VendorView>>, ApiError> {
    let page = blocking(move || state.vendors.list(&admin.scope, &query)).await?;
    Ok(web::Json(page))
}

/// Creates a vendor with its owner and default roles; answers the owner's temporary
/// password once.
#[utoipa::path(tag = "admin", request_body = CreateVendor, security(("bearer" = [])), responses(
    (status = 201, body = CreatedVendor), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/admin/vendors")]
pub async fn create(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: Client,
    body: web::Json<CreateVendor>,
) -> Result<HttpResponse, ApiError> {
    let actor = client.actor(&admin);
    let cache = state.shop_cache.clone();
    let created = blocking(move || state.vendors.create(&admin.scope, &actor, &body)).await?;
    cache.forget_vendors();
    Ok(HttpResponse::Created().json(created))
}

/// The bulk-import upload: a CSV file in the field `file`.
#[derive(MultipartForm, ToSchema)]
#[multipart(deny_unknown_fields, duplicate_field = "deny")]
pub struct BulkUpload {
    /// CSV with the header `vendor_name, subdomain, owner_name, owner_email, owner_phone,
    /// business_address, business_city, business_postal_code, business_country,
    /// letzshop_csv_url, initial_password` (UTF-8, at most 5,000 rows and 5 MiB).
    #[multipart(limit = "5MiB")]
    #[schema(value_type = String, format = Binary)]
    pub file: MultipartBytes,
}

/// Creates one vendor per CSV row; each row is created or reported on its own. A file of at
/// most 20 rows is created now (200, the report; new owners without an `initial_password`
/// get a temporary password, answered here once). A larger one runs as a background job
/// (202, the import to follow at `GET /admin/vendors/bulk-import/{id}`).
#[utoipa::path(tag = "admin", request_body(content = BulkUpload, content_type = "multipart/form-data"),
    security(("bearer" = [])), responses((status = 200, body = BulkReport),
    (status = 202, description = "a large file: its import, queued", body = BulkImportView),
    (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/admin/vendors/bulk-import")]
pub async fn bulk_import(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: Client,
    form: Result<MultipartForm<BulkUpload>, actix_web::Error>,
) -> Result<HttpResponse, ApiError> {
    let actor = client.actor(&admin);
    let file = form.map_err(|e| ApiError::upload(&e))?.into_inner().file;
    let name = file.file_name.unwrap_or_else(|| "vendors.csv".into());
    let cache = state.shop_cache.clone();
    let answer = blocking(move || {
        state
            .vendors
            .bulk_create(&admin.scope, &actor, &name, &file.data)
    })
    .await?;
    cache.forget_vendors();
    Ok(match answer {
        BulkAnswer::Done(report) => HttpResponse::Ok().json(report),
        BulkAnswer::Queued(import) => HttpResponse::Accepted().json(import),
    })
}

/// A dry run of a bulk import: the vendors the file would create and every row it would
/// refuse (with the same checks, duplicates within the file included), nothing written.
#[utoipa::path(tag = "admin", request_body(content = BulkUpload, content_type = "multipart/form-data"),
    security(("bearer" = [])), responses((status = 200, body = BulkPreview),
    (status = 401, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/admin/vendors/bulk-import/preview")]
pub async fn bulk_preview(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: Client,
    form: Result<MultipartForm<BulkUpload>, actix_web::Error>,
) -> Result<web::Json<BulkPreview>, ApiError> {
    let actor = client.actor(&admin);
    let file = form.map_err(|e| ApiError::upload(&e))?.into_inner().file;
    let preview =
        blocking(move || state.vendors.bulk_preview(&admin.scope, &actor, &file.data)).await?;
    Ok(web::Json(preview))
}

/// A bulk import running as a job: its progress, and each row's outcome so far. The first
/// read after it ended carries the new owners' temporary passwords; later reads do not.
#[utoipa::path(tag = "admin", params(("id" = i64, Path, minimum = 1)), security(("bearer" = [])),
    responses((status = 200, body = BulkImportView)))]
#[get("/admin/vendors/bulk-import/{id}")]
pub async fn bulk_import_status(
    state: web::Data<AppState>,
    admin: AdminUser,
    id: web::Path<i64>,
) -> Result<web::Json<BulkImportView>, ApiError> {
    let id = id.into_inner();
    let import = blocking(move || state.vendors.bulk_import(&admin.scope, id)).await?;
    Ok(web::Json(import))
}

/// One vendor with its owner, domains and counts.
#[utoipa::path(tag = "admin", params(("id" = i64, Path)), security(("bearer" = [])), responses(
    (status = 200, body = VendorDetail), (status = 404, body = ErrorBody)))]
#[get("/admin/vendors/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    admin: AdminUser,
    id: web::Path<i64>,
) -> Result<web::Json<VendorDetail>, ApiError> {
    let id = VendorId(id.into_inner());
    let detail = blocking(move || state.vendors.get(&admin.scope, id)).await?;
    Ok(web::Json(detail))
}

/// Edits a vendor's name, subdomain, description and business contact.
#[utoipa::path(tag = "admin", params(("id" = i64, Path)), request_body = UpdateVendor, security(("bearer" = [])),
    responses((status = 200, body = VendorView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
    (status = 422, body = ErrorBody)))]
#[put("/admin/vendors/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: Client,
    id: web::Path<i64>,
    body: web::Json<UpdateVendor>,
) -> Result<web::Json<VendorView>, ApiError> {
    let (actor, id) = (client.actor(&admin), VendorId(id.into_inner()));
    let cache = state.shop_cache.clone();
    let vendor = blocking(move || state.vendors.update(&admin.scope, &actor, id, &body)).await?;
    cache.forget_vendors();
    Ok(web::Json(vendor))
}

/// Marks a vendor verified (or not).
#[utoipa::path(tag = "admin", params(("id" = i64, Path)), request_body = VerifyRequest, security(("bearer" = [])),
    responses((status = 200, body = VendorView), (status = 404, body = ErrorBody)))]
#[put("/admin/vendors/{id}/verify")]
pub async fn verify(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: Client,
    id: web::Path<i64>,
    body: web::Json<VerifyRequest>,
) -> Result<web::Json<VendorView>, ApiError> {
    let (actor, id) = (client.actor(&admin), VendorId(id.into_inner()));
    let cache = state.shop_cache.clone();
    let vendor = blocking(move || {
        state
            .vendors
            .set_verified(&admin.scope, &actor, id, body.is_verified)
    })
    .await?;
    cache.forget_vendors();
    Ok(web::Json(vendor))
}

/// Activates or deactivates a vendor: an inactive vendor's shop and dashboard are closed.
#[utoipa::path(tag = "admin", params(("id" = i64, Path)), request_body = StatusRequest, security(("bearer" = [])),
    responses((status = 200, body = VendorView), (status = 404, body = ErrorBody)))]
#[put("/admin/vendors/{id}/status")]
pub async fn status(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: Client,
    id: web::Path<i64>,
    body: web::Json<StatusRequest>,
) -> Result<web::Json<VendorView>, ApiError> {
    let (actor, id) = (client.actor(&admin), VendorId(id.into_inner()));
    let cache = state.shop_cache.clone();
    let vendor = blocking(move || {
        state
            .vendors
            .set_active(&admin.scope, &actor, id, body.is_active)
    })
    .await?;
    cache.forget_vendors();
    Ok(web::Json(vendor))
}

/// Soft-deletes a vendor.
#[utoipa::path(tag = "admin", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204, description = "deleted"), (status = 404, body = ErrorBody)))]
#[delete("/admin/vendors/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    admin: AdminUser,
    client: Client,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (actor, id) = (client.actor(&admin), VendorId(id.into_inner()));
    let cache = state.shop_cache.clone();
    blocking(move || state.vendors.delete(&admin.scope, &actor, id)).await?;
    cache.forget_vendors();
    Ok(HttpResponse::NoContent().finish())
}
