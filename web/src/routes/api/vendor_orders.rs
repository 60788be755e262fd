//! A vendor's orders: the list with filters and its CSV download, one order with the moves
//! open from its status, a move through the status table (one order or many), and its
//! payment: marked paid, refunded in part.

use actix_web::{HttpResponse, get, post, web};
use db::pagination::Page;
use orders::{
    Carrier, ExportedOrder, MarkPaid, OrderStatus, OrderSummary, RefundInput, StatusChange,
    VendorOrderQuery, VendorOrderView,
};
use serde::{Deserialize, Serialize};
use teams::needs::{OrdersEdit, OrdersView};
use utoipa::ToSchema;
use validator::Validate;

use crate::blocking::blocking;
use crate::csv_export::{SafeCsvWriter, chunk, next_after, streamed};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Client, Member};
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

/// What marking paid takes: the order's number and a note.
type Payment = (web::Path<String>, web::Json<MarkPaid>);
/// What a refund takes: the order's number and the units.
type Refund = (web::Path<String>, web::Json<RefundInput>);

/// Records that the payment of a manual method (bank transfer, cash) arrived; a pending order
/// becomes confirmed and its customer is told (audited) [orders.edit].
#[utoipa::path(tag = "vendor", params(("number" = String, Path, min_length = 1, max_length = 40)),
    request_body = MarkPaid, security(("bearer" = ["orders.edit"])),
    responses((status = 200, body = VendorOrderView),
    (status = 404, description = "ORDER_NOT_FOUND", body = ErrorBody),
    (status = 409, description = "PAYMENT_CLOSED (paid already, cancelled or refunded)", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[post("/vendor/orders/{number}/mark-paid")]
pub async fn mark_paid(
    state: web::Data<AppState>,
    client: Client,
    member: Member<OrdersEdit, Payment>,
) -> Result<web::Json<VendorOrderView>, ApiError> {
    let (scope, actor) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
    );
    let (number, body) = member.input;
    let number = number.into_inner();
    let order = blocking(move || state.orders.mark_paid(&scope, &actor, &number, &body)).await?;
    Ok(web::Json(order))
}

/// Refunds units of a delivered, paid order at the price paid; they go back on the shelf and
/// the customer is told. Refunding the last units refunds the whole order, shipping included
/// (audited) [orders.edit].
#[utoipa::path(tag = "vendor", params(("number" = String, Path, min_length = 1, max_length = 40)),
    request_body = RefundInput, security(("bearer" = ["orders.edit"])),
    responses((status = 200, body = VendorOrderView),
    (status = 404, description = "ORDER_NOT_FOUND", body = ErrorBody),
    (status = 409, description = "NOT_REFUNDABLE (not delivered, or not paid)", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR (an item the order lacks, more units than are left)", body = ErrorBody)))]
#[post("/vendor/orders/{number}/refunds")]
pub async fn refund(
    state: web::Data<AppState>,
    client: Client,
    member: Member<OrdersEdit, Refund>,
) -> Result<web::Json<VendorOrderView>, ApiError> {
    let (scope, actor) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
    );
    let (number, body) = member.input;
    let number = number.into_inner();
    let order = blocking(move || state.orders.refund(&scope, &actor, &number, &body)).await?;
    Ok(web::Json(order))
}

/// One order of a bulk move, with its parcel when it ships.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkOrder {
    #[validate(length(min = 1, max = 40))]
    #[schema(min_length = 1, max_length = 40)]
    pub order_number: String,
    pub carrier: Option<Carrier>,
    #[validate(length(min = 1, max = 60), custom(function = "letters_and_digits"))]
    #[schema(min_length = 1, max_length = 60, pattern = "^[A-Za-z0-9]{1,60}$")]
    pub tracking_number: Option<String>,
}

/// A tracking number is letters and digits (as a single move checks it).
fn letters_and_digits(value: &str) -> Result<(), validator::ValidationError> {
    if value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Ok(());
    }
    Err(validator::ValidationError::new("tracking")
        .with_message("a tracking number is letters and digits".into()))
}

/// The same move for several orders (e.g. the morning's orders to `processing`).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkStatusChange {
    pub status: OrderStatus,
    #[validate(length(max = 1000))]
    #[schema(max_length = 1000)]
    pub note: Option<String>,
    #[validate(length(min = 1, max = 100), nested)]
    #[schema(min_items = 1, max_items = 100)]
    pub orders: Vec<BulkOrder>,
}

/// What became of one order of a bulk move.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkOutcome {
    pub order_number: String,
    /// The order's status after the move; absent when it was refused.
    pub status: Option<String>,
    /// Why the move was refused (the answer a single move would have given).
    pub error: Option<ErrorBody>,
}

/// Moves several orders at once, each in its own transaction: one order refused (a jump the
/// table lacks, a delivery without its tracking number) leaves the others moved. Answers
/// what became of each, in the order given [orders.edit].
#[utoipa::path(tag = "vendor", request_body = BulkStatusChange, security(("bearer" = ["orders.edit"])),
    responses((status = 200, body = Vec<BulkOutcome>),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[post("/vendor/orders/bulk-status")]
pub async fn bulk_status(
    state: web::Data<AppState>,
    member: Member<OrdersEdit, web::Json<BulkStatusChange>>,
) -> Result<web::Json<Vec<BulkOutcome>>, ApiError> {
    let (scope, by, body) = (
        member.scope(),
        member.principal.member.user.id,
        member.input.into_inner(),
    );
    body.validate().map_err(|e| ApiError::validation(&e))?;
    let moved = blocking(move || {
        let results: Vec<_> = body
            .orders
            .iter()
            .map(|o| {
                let change = StatusChange {
                    status: body.status,
                    note: body.note.clone(),
                    carrier: o.carrier,
                    tracking_number: o.tracking_number.clone(),
                };
                let moved = state
                    .orders
                    .change_status(&scope, by, &o.order_number, &change);
                (o.order_number.clone(), moved)
            })
            .collect();
        Ok::<_, ApiError>(results)
    })
    .await?;
    let outcomes = moved
        .into_iter()
        .map(|(order_number, result)| match result {
            Ok(order) => BulkOutcome {
                order_number,
                status: Some(order.order.status),
                error: None,
            },
            Err(e) => BulkOutcome {
                order_number,
                status: None,
                error: Some(ApiError::from(e).body()),
            },
        })
        .collect();
    Ok(web::Json(outcomes))
}

const EXPORT_COLUMNS: [&str; 18] = [
    "order_number",
    "placed_at",
    "status",
    "payment_status",
    "payment_method",
    "shipping_method",
    "email",
    "name",
    "country",
    "items",
    "currency",
    "subtotal",
    "shipping",
    "vat",
    "total",
    "refunded",
    "carrier",
    "tracking_number",
];

/// Orders read per batch of a download (and per chunk sent).
const EXPORT_BATCH: i64 = 500;

/// Downloads the orders the list's filters match (all pages) as CSV: number, date, statuses,
/// methods, buyer, item count, amounts (`12.34`), carrier and tracking [orders.view]. Sent in
/// batches as they are read, newest first; an order placed meanwhile is not in it, and an
/// order shows its status as of when its batch was read.
#[utoipa::path(tag = "vendor", params(VendorOrderQuery), security(("bearer" = ["orders.view"])),
    responses((status = 200, description = "the orders, streamed", content_type = "text/csv", body = String),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[get("/vendor/orders/export")]
pub async fn export(
    state: web::Data<AppState>,
    client: Client,
    member: Member<OrdersView, web::Query<VendorOrderQuery>>,
) -> Result<HttpResponse, ApiError> {
    let (scope, query) = (member.scope(), member.input.into_inner());
    let actor = client.acting(member.principal.member.user.id);
    let code = member.principal.member.vendor.code.clone();
    let details = serde_json::json!({
        "status": query.status,
        "payment_status": query.payment_status,
        "from": query.from,
        "to": query.to,
        "customer_id": query.customer_id.map(|c| c.0),
        "q": query.q,
    });
    let audit = state.audit.clone();
    let read = move |before: Option<i64>| {
        let (state, query) = (state.clone(), query.clone());
        async move {
            let batch = blocking(move || {
                state
                    .orders
                    .vendor_export_batch(&scope, &query, before, EXPORT_BATCH)
            })
            .await?;
            let next = next_after(&batch, EXPORT_BATCH, |o| o.id);
            chunk(&batch, order_row, next)
        }
    };
    // The first batch is read before answering, so a bad filter is still a proper error answer.
    let first = read(None).await?;
    blocking(move || audit.record_export(&scope, &actor, "export.orders", details)).await?;
    streamed(
        format!("{code}-orders.csv"),
        &EXPORT_COLUMNS,
        first,
        move |before| read(Some(before)),
    )
}

/// One order as a line of the download.
fn order_row(out: &mut SafeCsvWriter<Vec<u8>>, o: &ExportedOrder) -> csv::Result<()> {
    let amounts = [
        o.subtotal_cents,
        o.shipping_cents,
        o.tax_cents,
        o.total_cents,
        o.refunded_cents,
    ]
    .map(decimal);
    let placed = o
        .placed_at
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let items = o.item_count.to_string();
    out.write_record([
        o.order_number.as_str(),
        &placed,
        &o.status,
        &o.payment_status,
        &o.payment_method,
        &o.shipping_method,
        &o.email,
        &o.name,
        &o.country,
        &items,
        &o.currency,
        &amounts[0],
        &amounts[1],
        &amounts[2],
        &amounts[3],
        &amounts[4],
        o.carrier.as_deref().unwrap_or_default(),
        o.tracking_number.as_deref().unwrap_or_default(),
    ])
}

/// `1234` cents as `12.34`.
fn decimal(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!(
        "{sign}{}.{:02}",
        cents.unsigned_abs() / 100,
        cents.unsigned_abs() % 100
    )
}
