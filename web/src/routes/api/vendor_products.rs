//! A vendor's catalogue: list and search, create, read, edit, delete, toggles, bulk status.

use actix_web::{HttpResponse, delete, get, post, put, web};
use catalog::{
    BulkStatus, BulkStatusResult, NewProduct, ProductPage, ProductQuery, ProductView, UpdateProduct,
};
use db::ProductId;
use teams::needs::{ProductsCreate, ProductsDelete, ProductsEdit, ProductsView};

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Member;
use crate::state::AppState;

/// An edit's path and body, extracted after the permission check.
type Edit = (web::Path<i64>, web::Json<UpdateProduct>);

/// Lists the catalogue one page at a time: full-text search (`q`), filters and sorts
/// [products.view].
#[utoipa::path(tag = "vendor", params(ProductQuery), security(("bearer" = ["products.view"])),
    responses((status = 200, body = ProductPage)))]
#[get("/vendor/products")]
pub async fn list(
    state: web::Data<AppState>,
    member: Member<ProductsView, web::Query<ProductQuery>>,
) -> Result<HttpResponse, ApiError> {
    let page = crate::vendor_cache::catalog_page(&state, member.scope(), member.input.into_inner())
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(actix_web::http::header::ContentType::json())
        .body(page))
}

/// Creates a product [products.create].
#[utoipa::path(tag = "vendor", request_body = NewProduct, security(("bearer" = ["products.create"])),
    responses((status = 201, body = ProductView), (status = 409, description = "SKU_TAKEN", body = ErrorBody)))]
#[post("/vendor/products")]
pub async fn create(
    state: web::Data<AppState>,
    member: Member<ProductsCreate, web::Json<NewProduct>>,
) -> Result<HttpResponse, ApiError> {
    let (scope, mut body) = (member.scope(), member.input.into_inner());
    if body.currency.is_none() {
        body.currency = Some(state.platform_settings.current().default_currency.clone());
    }
    let product = blocking(move || state.catalog.create(&scope, &body)).await?;
    Ok(HttpResponse::Created().json(product))
}

/// One product with its texts and inventory [products.view].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)), security(("bearer" = ["products.view"])),
    responses((status = 200, body = ProductView)))]
#[get("/vendor/products/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    member: Member<ProductsView, web::Path<i64>>,
) -> Result<web::Json<ProductView>, ApiError> {
    let (scope, id) = (member.scope(), ProductId(member.input.into_inner()));
    let product = blocking(move || state.catalog.get(&scope, id)).await?;
    Ok(web::Json(product))
}

/// Edits a product; `version` must be the one read, else 409 `VERSION_CONFLICT` and nothing
/// changes [products.edit].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)), request_body = UpdateProduct,
    security(("bearer" = ["products.edit"])),
    responses((status = 200, body = ProductView), (status = 409, description = "SKU_TAKEN or VERSION_CONFLICT", body = ErrorBody)))]
#[put("/vendor/products/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    member: Member<ProductsEdit, Edit>,
) -> Result<web::Json<ProductView>, ApiError> {
    let (scope, (id, body)) = (member.scope(), member.input);
    let id = ProductId(id.into_inner());
    let product = blocking(move || state.catalog.update(&scope, id, &body)).await?;
    Ok(web::Json(product))
}

/// Deletes a product (it disappears; its SKU may be used again) [products.delete].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)), security(("bearer" = ["products.delete"])),
    responses((status = 204, description = "deleted")))]
#[delete("/vendor/products/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    member: Member<ProductsDelete, web::Path<i64>>,
) -> Result<HttpResponse, ApiError> {
    let (scope, id) = (member.scope(), ProductId(member.input.into_inner()));
    blocking(move || state.catalog.delete(&scope, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Shows or hides a product in the shop [products.edit].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)), security(("bearer" = ["products.edit"])),
    responses((status = 200, body = ProductView), (status = 409, description = "VERSION_CONFLICT", body = ErrorBody)))]
#[put("/vendor/products/{id}/toggle-active")]
pub async fn toggle_active(
    state: web::Data<AppState>,
    member: Member<ProductsEdit, web::Path<i64>>,
) -> Result<web::Json<ProductView>, ApiError> {
    let (scope, id) = (member.scope(), ProductId(member.input.into_inner()));
    let product = blocking(move || state.catalog.toggle_active(&scope, id)).await?;
    Ok(web::Json(product))
}

/// Features a product, or stops featuring it [products.edit].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)), security(("bearer" = ["products.edit"])),
    responses((status = 200, body = ProductView), (status = 409, description = "VERSION_CONFLICT", body = ErrorBody)))]
#[put("/vendor/products/{id}/toggle-featured")]
pub async fn toggle_featured(
    state: web::Data<AppState>,
    member: Member<ProductsEdit, web::Path<i64>>,
) -> Result<web::Json<ProductView>, ApiError> {
    let (scope, id) = (member.scope(), ProductId(member.input.into_inner()));
    let product = blocking(move || state.catalog.toggle_featured(&scope, id)).await?;
    Ok(web::Json(product))
}

/// Activates or deactivates many products at once [products.edit].
#[utoipa::path(tag = "vendor", request_body = BulkStatus, security(("bearer" = ["products.edit"])),
    responses((status = 200, body = BulkStatusResult)))]
#[post("/vendor/products/bulk-status")]
pub async fn bulk_status(
    state: web::Data<AppState>,
    member: Member<ProductsEdit, web::Json<BulkStatus>>,
) -> Result<web::Json<BulkStatusResult>, ApiError> {
    let (scope, body) = (member.scope(), member.input);
    let result = blocking(move || state.catalog.set_active(&scope, &body)).await?;
    Ok(web::Json(result))
}
