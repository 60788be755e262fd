//! A vendor's orders: the list with filters, one order with the moves open from its status,
//! and a move through the status table (with its inventory effect and history).

use actix_web::{get, post, web};
use db::pagination::Page;
use orders::{OrderSummary, StatusChange, VendorOrderQuery, VendorOrderView};
use teams::needs::{OrdersEdit, OrdersView};

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Member;
use crate::state::AppState;

/// The vendor's orders, newest first: by status, payment status, date range, customer, or
/// part of the order number or e-mail [orders.view].
#[utoipa::path(tag = "vendor", params(VendorOrderQuery), security(("bearer" = ["orders.view"])),
    responses((status = 200, body = Page<OrderSummary>),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[get("/vendor/orders")]
pub async fn list(
    state: web::Data<AppState>,
    member: Member<OrdersView, web::Query<VendorOrderQuery>>,
) -> Result<web::Json<Page<OrderSummary>>, ApiError> {
    let (scope, query) = (member.scope(), member.input.into_inner());
    let page = blocking(move || state.orders.vendor_orders(&scope, &query)).await?;
    Ok(web::Json(page))
}

/// One order: items, addresses, customer, payment, history and the moves open now
/// [orders.view].
#[utoipa::path(tag = "vendor", params(("number" = String, Path, min_length = 1, max_length = 40)),
    security(("bearer" = ["orders.view"])),
    responses((status = 200, body = VendorOrderView),
    (status = 404, description = "ORDER_NOT_FOUND", body = ErrorBody)))]
#[get("/vendor/orders/{number}")]
pub async fn get(
    state: web::Data<AppState>,
    member: Member<OrdersView, web::Path<String>>,
) -> Result<web::Json<VendorOrderView>, ApiError> {
    let (scope, number) = (member.scope(), member.input.into_inner());
    let order = blocking(move || state.orders.vendor_order(&scope, &number)).await?;
    Ok(web::Json(order))
}

/// What a move takes: the order's number and the move.
type Move = (web::Path<String>, web::Json<StatusChange>);

/// Moves an order: `pending → confirmed → processing → shipped → delivered`, `cancelled` from
/// the first three, `refunded` from delivered. Shipping sells the reserved units (a delivery
/// names its carrier and tracking number), cancelling releases them, refunding restocks them
/// [orders.edit].
#[utoipa::path(tag = "vendor", params(("number" = String, Path, min_length = 1, max_length = 40)),
    request_body = StatusChange, security(("bearer" = ["orders.edit"])),
    responses((status = 200, body = VendorOrderView),
    (status = 404, description = "ORDER_NOT_FOUND", body = ErrorBody),
    (status = 409, description = "INVALID_ORDER_STATUS (not a move of the table from the order's status now) or SHIPMENT_REQUIRED", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[post("/vendor/orders/{number}/status")]
pub async fn change_status(
    state: web::Data<AppState>,
    member: Member<OrdersEdit, Move>,
) -> Result<web::Json<VendorOrderView>, ApiError> {
    let (scope, by) = (member.scope(), member.principal.member.user.id);
    let (number, body) = member.input;
    let number = number.into_inner();
    let order = blocking(move || state.orders.change_status(&scope, by, &number, &body)).await?;
    Ok(web::Json(order))
}
