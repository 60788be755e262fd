//! A vendor's inventory: rows per product and location, counts and adjustments, the movement
//! ledger, and locations.

use actix_web::{HttpResponse, get, post, web};
use db::pagination::Page;
use inventory::{
    AdjustQuantity, InventoryQuery, InventoryRow, LocationView, MovementQuery, MovementView,
    NewLocation, SetQuantity,
};
use teams::needs::{InventoryEdit, InventoryView};

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Member;
use crate::state::AppState;

/// Inventory rows (product at location), by SKU; `low=true` for those at or below their
/// threshold [inventory.view].
#[utoipa::path(tag = "vendor", params(InventoryQuery), security(("bearer" = ["inventory.view"])),
    responses((status = 200, body = Page<InventoryRow>),
    (status = 404, description = "LOCATION_NOT_FOUND", body = ErrorBody)))]
#[get("/vendor/inventory")]
pub async fn list(
    state: web::Data<AppState>,
    member: Member<InventoryView, web::Query<InventoryQuery>>,
) -> Result<web::Json<Page<InventoryRow>>, ApiError> {
    let (scope, query) = (member.scope(), member.input);
    let page = blocking(move || state.inventory.list(&scope, &query)).await?;
    Ok(web::Json(page))
}

/// Sets a product's quantity at a location after a count [inventory.edit].
#[utoipa::path(tag = "vendor", request_body = SetQuantity, security(("bearer" = ["inventory.edit"])),
    responses((status = 200, body = InventoryRow),
    (status = 404, description = "PRODUCT_NOT_FOUND or LOCATION_NOT_FOUND", body = ErrorBody),
    (status = 409, description = "INSUFFICIENT_INVENTORY: below what is reserved", body = ErrorBody)))]
#[post("/vendor/inventory")]
pub async fn set(
    state: web::Data<AppState>,
    member: Member<InventoryEdit, web::Json<SetQuantity>>,
) -> Result<web::Json<InventoryRow>, ApiError> {
    let (scope, by) = (member.scope(), member.principal.member.user.id);
    let body = member.input;
    let row = blocking(move || state.inventory.set(&scope, by, &body)).await?;
    Ok(web::Json(row))
}

/// Changes a product's quantity at a location by a delta, for a reason [inventory.edit].
#[utoipa::path(tag = "vendor", request_body = AdjustQuantity, security(("bearer" = ["inventory.edit"])),
    responses((status = 200, body = InventoryRow),
    (status = 404, description = "PRODUCT_NOT_FOUND or LOCATION_NOT_FOUND", body = ErrorBody),
    (status = 409, description = "INSUFFICIENT_INVENTORY: fewer available than taken away", body = ErrorBody)))]
#[post("/vendor/inventory/adjust")]
pub async fn adjust(
    state: web::Data<AppState>,
    member: Member<InventoryEdit, web::Json<AdjustQuantity>>,
) -> Result<web::Json<InventoryRow>, ApiError> {
    let (scope, by) = (member.scope(), member.principal.member.user.id);
    let body = member.input;
    let row = blocking(move || state.inventory.adjust(&scope, by, &body)).await?;
    Ok(web::Json(row))
}

/// The movement ledger, newest first [inventory.view].
#[utoipa::path(tag = "vendor", params(MovementQuery), security(("bearer" = ["inventory.view"])),
    responses((status = 200, body = Page<MovementView>)))]
#[get("/vendor/inventory/movements")]
pub async fn movements(
    state: web::Data<AppState>,
    member: Member<InventoryView, web::Query<MovementQuery>>,
) -> Result<web::Json<Page<MovementView>>, ApiError> {
    let (scope, query) = (member.scope(), member.input);
    let page = blocking(move || state.inventory.movements(&scope, &query)).await?;
    Ok(web::Json(page))
}

/// The vendor's locations, the default first [inventory.view].
#[utoipa::path(tag = "vendor", security(("bearer" = ["inventory.view"])),
    responses((status = 200, body = Vec<LocationView>)))]
#[get("/vendor/inventory/locations")]
pub async fn locations(
    state: web::Data<AppState>,
    member: Member<InventoryView>,
) -> Result<web::Json<Vec<LocationView>>, ApiError> {
    let scope = member.scope();
    let found = blocking(move || state.inventory.locations(&scope)).await?;
    Ok(web::Json(found))
}

/// Adds a location [inventory.edit].
#[utoipa::path(tag = "vendor", request_body = NewLocation, security(("bearer" = ["inventory.edit"])),
    responses((status = 201, body = LocationView), (status = 409, description = "LOCATION_CODE_TAKEN", body = ErrorBody)))]
#[post("/vendor/inventory/locations")]
pub async fn create_location(
    state: web::Data<AppState>,
    member: Member<InventoryEdit, web::Json<NewLocation>>,
) -> Result<HttpResponse, ApiError> {
    let (scope, body) = (member.scope(), member.input);
    let location = blocking(move || state.inventory.create_location(&scope, &body)).await?;
    Ok(HttpResponse::Created().json(location))
}
