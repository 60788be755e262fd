//! A shop's public JSON API (`/api/v1/public/vendors/{vendor}`): the shop, and its products
//! on sale. No token: anyone may read it, and it shows only what the shop's pages show —
//! active products of an open vendor, without stock counts or other vendor business.

use actix_web::{get, web};
use catalog::{ShopProduct, ShopProductPage, ShopQuery};
use serde::Serialize;
use tenancy::ResolvedVendor;
use utoipa::ToSchema;

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// A shop as its visitors see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShopInfo {
    pub code: String,
    pub name: String,
    pub description: String,
    pub theme: tenancy::Theme,
}

/// The `{vendor}` of a shop's API path: the vendor's code.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct VendorPath {
    /// The vendor's code.
    #[param(
        min_length = 2,
        max_length = 40,
        pattern = "^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$"
    )]
    pub vendor: String,
}

/// The open vendor a path names, or 404 `VENDOR_NOT_FOUND` (unknown, inactive or deleted).
pub async fn open_vendor(state: &AppState, code: String) -> Result<ResolvedVendor, ApiError> {
    crate::shop_cache::vendor_by_code(state, code)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                actix_web::http::StatusCode::NOT_FOUND,
                "VENDOR_NOT_FOUND",
                "no open shop has this code",
            )
        })
}

/// The shop: name, description, theme.
#[utoipa::path(tag = "shop", params(("vendor" = String, Path, description = "the vendor's code",
    min_length = 2, max_length = 40, pattern = "^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$")),
    responses((status = 200, body = ShopInfo), (status = 404, description = "VENDOR_NOT_FOUND", body = ErrorBody)))]
#[get("/public/vendors/{vendor}")]
pub async fn shop(
    state: web::Data<AppState>,
    vendor: web::Path<String>,
) -> Result<web::Json<ShopInfo>, ApiError> {
    let vendor = open_vendor(&state, vendor.into_inner()).await?;
    Ok(web::Json(ShopInfo {
        code: vendor.code,
        name: vendor.name,
        description: vendor.description,
        theme: vendor.theme,
    }))
}

/// The shop's products on sale: search (accents do not matter), brand, price range, in stock,
/// sorts, pages; `lang` picks the language of the texts.
#[utoipa::path(tag = "shop", params(("vendor" = String, Path, description = "the vendor's code",
    min_length = 2, max_length = 40, pattern = "^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$"), ShopQuery),
    responses((status = 200, body = ShopProductPage), (status = 404, description = "VENDOR_NOT_FOUND", body = ErrorBody)))]
#[get("/public/vendors/{vendor}/products")]
pub async fn products(
    state: web::Data<AppState>,
    vendor: web::Path<String>,
    query: web::Query<ShopQuery>,
) -> Result<web::Json<ShopProductPage>, ApiError> {
    let vendor = open_vendor(&state, vendor.into_inner()).await?;
    let query = query.into_inner();
    let page = crate::shop_cache::shop_list(&state, &vendor, query.search()).await?;
    Ok(web::Json(ShopProductPage::from_page(page, query.lang)))
}

/// The language of a product's texts.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LanguageQuery {
    #[param(inline)]
    pub lang: Option<catalog::Language>,
}

/// One product on sale; an inactive, deleted or unknown one (or another shop's) is 404
/// `PRODUCT_NOT_FOUND`.
#[utoipa::path(tag = "shop", params(("vendor" = String, Path, description = "the vendor's code",
    min_length = 2, max_length = 40, pattern = "^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$"),
    ("id" = i64, Path, minimum = 1), LanguageQuery),
    responses((status = 200, body = ShopProduct),
    (status = 404, description = "VENDOR_NOT_FOUND or PRODUCT_NOT_FOUND", body = ErrorBody)))]
#[get("/public/vendors/{vendor}/products/{id}")]
pub async fn product(
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
    query: web::Query<LanguageQuery>,
) -> Result<web::Json<ShopProduct>, ApiError> {
    let (code, id) = path.into_inner();
    let vendor = open_vendor(&state, code).await?;
    let (catalog, scope) = (state.catalog.clone(), vendor.scope);
    let product = blocking(move || catalog.get(&scope, db::ProductId(id))).await?;
    if !product.is_active {
        return Err(catalog::CatalogError::NotFound.into());
    }
    Ok(web::Json(ShopProduct::from_view(product, query.lang)))
}
