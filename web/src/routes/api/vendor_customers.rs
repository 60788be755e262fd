//! A vendor's customers: the list with what each bought, one customer with their addresses,
//! closing and reopening an account, the GDPR export (the account, its addresses and its
//! orders as JSON) and erasure. Another vendor's customer is 404 for every route.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, post, put, web};
use chrono::{DateTime, Utc};
use customers::{AccountState, CustomerDetail, CustomerQuery, CustomerRecordView};
use db::CustomerId;
use db::pagination::Page;
use orders::OrderView;
use serde::Serialize;
use teams::needs::{CustomersEdit, CustomersView};
use utoipa::ToSchema;

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Client, Member};
use crate::state::AppState;

/// The shop's customers, newest first, each with their order count and amount spent; `q`
/// matches part of the e-mail or the name [customers.view].
#[utoipa::path(tag = "vendor", params(CustomerQuery), security(("bearer" = ["customers.view"])),
    responses((status = 200, body = Page<CustomerRecordView>),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[get("/vendor/customers")]
pub async fn list(
    state: web::Data<AppState>,
    member: Member<CustomersView, web::Query<CustomerQuery>>,
) -> Result<web::Json<Page<CustomerRecordView>>, ApiError> {
    let (scope, query) = (member.scope(), member.input.into_inner());
    let page = blocking(move || state.customer_records.list(&scope, &query)).await?;
    Ok(web::Json(page))
}

/// One customer with their addresses (their orders: `GET /vendor/orders?customer_id=`)
/// [customers.view].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)), security(("bearer" = ["customers.view"])),
    responses((status = 200, body = CustomerDetail),
    (status = 404, description = "CUSTOMER_NOT_FOUND", body = ErrorBody)))]
#[get("/vendor/customers/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    member: Member<CustomersView, web::Path<i64>>,
) -> Result<web::Json<CustomerDetail>, ApiError> {
    let (scope, id) = (member.scope(), CustomerId(member.input.into_inner()));
    let found = blocking(move || state.customer_records.detail(&scope, id)).await?;
    Ok(web::Json(found))
}

/// What opening or closing takes: the customer's id and the new state.
type Toggle = (web::Path<i64>, web::Json<AccountState>);

/// Closes an account (the customer is signed out everywhere at once and cannot sign in) or
/// reopens it; an erased customer stays closed (audited) [customers.edit].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)), request_body = AccountState,
    security(("bearer" = ["customers.edit"])),
    responses((status = 200, body = CustomerDetail),
    (status = 404, description = "CUSTOMER_NOT_FOUND", body = ErrorBody),
    (status = 409, description = "CUSTOMER_ERASED", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[put("/vendor/customers/{id}/active")]
pub async fn set_active(
    state: web::Data<AppState>,
    client: Client,
    member: Member<CustomersEdit, Toggle>,
) -> Result<web::Json<CustomerDetail>, ApiError> {
    let (scope, actor) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
    );
    let (id, body) = member.input;
    let id = CustomerId(id.into_inner());
    let found =
        blocking(move || state.customer_records.set_active(&scope, &actor, id, &body)).await?;
    Ok(web::Json(found))
}

/// Everything the shop holds about one customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerExport {
    pub exported_at: DateTime<Utc>,
    pub customer: CustomerDetail,
    pub orders: Vec<OrderView>,
}

/// Downloads what the shop holds about a customer — account, addresses, every order with its
/// items and history — as one JSON file, for a GDPR access request (audited)
/// [customers.view].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)), security(("bearer" = ["customers.view"])),
    responses((status = 200, body = CustomerExport),
    (status = 404, description = "CUSTOMER_NOT_FOUND", body = ErrorBody)))]
#[get("/vendor/customers/{id}/export")]
pub async fn export(
    state: web::Data<AppState>,
    client: Client,
    member: Member<CustomersView, web::Path<i64>>,
) -> Result<HttpResponse, ApiError> {
    let (scope, actor) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
    );
    let id = CustomerId(member.input.into_inner());
    let export = blocking(move || {
        let customer = state.customer_records.export(&scope, &actor, id)?;
        let orders = state.orders.customer_history(&scope, id)?;
        Ok::<_, ApiError>(CustomerExport {
            exported_at: Utc::now(),
            customer,
            orders,
        })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!(
                "customer-{}.json",
                id.0
            ))],
        })
        .json(export))
}

/// Erases a customer on request: the account, addresses, sessions and cart lose everything
/// that names the person, as do their orders (and guest orders under their e-mail) and the
/// e-mails sent about them; the orders keep their amounts, items and country for the accounts.
/// Cannot be undone (audited) [customers.edit].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)), security(("bearer" = ["customers.edit"])),
    responses((status = 200, body = CustomerDetail),
    (status = 404, description = "CUSTOMER_NOT_FOUND", body = ErrorBody),
    (status = 409, description = "CUSTOMER_ERASED", body = ErrorBody)))]
#[post("/vendor/customers/{id}/erase")]
pub async fn erase(
    state: web::Data<AppState>,
    client: Client,
    member: Member<CustomersEdit, web::Path<i64>>,
) -> Result<web::Json<CustomerDetail>, ApiError> {
    let (scope, actor) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
    );
    let id = CustomerId(member.input.into_inner());
    let erased = blocking(move || state.customer_records.erase(&scope, &actor, id)).await?;
    Ok(web::Json(erased))
}
