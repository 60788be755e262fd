//! The vendor's order and customer pages: one order (the page loads it and offers its open
//! moves), its packing slip and invoice (printed from the server's rendering, print CSS), and
//! one customer.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use teams::Permission;

use super::render::page_with;
use super::vendor::{member_context, member_page, signed_in_member};
use crate::blocking::blocking;
use crate::state::AppState;

/// One order: the page loads it from the API (another vendor's number shows "not found").
pub async fn order(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (code, number) = path.into_inner();
    member_page(&req, &state, code, "vendor/order.html", |ctx| {
        ctx.insert("order_number", &number);
    })
    .await
}

/// One customer: the page loads them and their orders from the API.
pub async fn customer(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> HttpResponse {
    let (code, id) = path.into_inner();
    member_page(&req, &state, code, "vendor/customer.html", |ctx| {
        ctx.insert("customer_id", &id.to_string());
    })
    .await
}

/// The route of an order's printed paper (`template`: the packing slip or the invoice),
/// rendered whole on the server so the browser prints it as it is; members who may see
/// orders only.
pub fn paper(template: &'static str) -> actix_web::Route {
    web::get().to(
        move |req: HttpRequest, state: web::Data<AppState>, path: web::Path<(String, String)>| async move {
            let (code, number) = path.into_inner();
            paper_page(&req, &state, code, number, template).await
        },
    )
}

async fn paper_page(
    req: &HttpRequest,
    state: &AppState,
    code: String,
    number: String,
    template: &str,
) -> HttpResponse {
    let (vendor, member, renewed) = match signed_in_member(req, state, code).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let mut ctx = member_context(&vendor, &member, template);
    if !member.member.permissions.contains(&Permission::OrdersView) {
        ctx.insert("message", "Your role does not let you see orders.");
        return page_with(
            state,
            req,
            StatusCode::FORBIDDEN,
            "vendor/paper_refused.html",
            ctx,
            renewed,
        );
    }
    let (orders, scope) = (state.orders.clone(), member.scope);
    match blocking(move || orders.vendor_paper(&scope, &number)).await {
        Ok(paper) => {
            ctx.insert("paper", &paper);
            page_with(state, req, StatusCode::OK, template, ctx, renewed)
        }
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            ctx.insert("message", "This order does not exist in your shop.");
            page_with(
                state,
                req,
                StatusCode::NOT_FOUND,
                "vendor/paper_refused.html",
                ctx,
                renewed,
            )
        }
        Err(e) => actix_web::ResponseError::error_response(&e),
    }
}
