//! Admin portal pages. Lists and forms load through the JSON API from Alpine components;
//! the dashboard's counts are rendered on the server.

use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use tera::Context;

use super::chart::{self, Bar, plural};
use super::guard;
use super::render::{page, page_with, redirect};
use crate::extract::AdminUser;
use crate::routes::api::admin_dashboard;
use crate::state::AppState;

pub async fn home(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    page(&state, &req, "index.html", Context::new())
}

/// The admin sign-in page (HTML); signed-in admins are sent to the dashboard.
#[utoipa::path(get, path = "/admin/login", tag = "browser", responses(
    (status = 200, description = "the sign-in page", content_type = "text/html"),
    (status = 303, description = "already signed in: to the dashboard")))]
pub async fn login_page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    if AdminUser::extract(&req).await.is_ok() {
        return redirect("/admin");
    }
    page(&state, &req, "admin/login.html", Context::new())
}

/// The dashboard, rendered whole on the server: the platform's figures and a chart of the
/// orders of the last 30 days.
pub async fn dashboard(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let (admin, renewed) = match guard::admin(&req, &state).await {
        Ok(found) => found,
        Err(to_login) => return to_login,
    };
    let mut ctx = Context::new();
    ctx.insert("user", &admin.user);
    ctx.insert("nav", "dashboard");
    match admin_dashboard::load(state.clone(), admin.scope).await {
        Ok(figures) => {
            ctx.insert("bars", &order_bars(&figures.daily));
            ctx.insert("figures", &figures);
        }
        Err(e) => ctx.insert("figures_error", &e.detail),
    }
    page_with(
        &state,
        &req,
        StatusCode::OK,
        "admin/dashboard.html",
        ctx,
        renewed,
    )
}

/// The days as bars of orders, each labelled "1 Dec: 4 orders, 1 new vendor".
fn order_bars(days: &[platform::DayFigures]) -> Vec<Bar> {
    let points: Vec<(i64, String)> = days
        .iter()
        .map(|d| {
            let label = format!(
                "{}: {} order{}, {} new vendor{}",
                d.day.format("%-d %b"),
                d.orders,
                plural(d.orders),
                d.new_vendors,
                plural(d.new_vendors)
            );
            (d.orders, label)
        })
        .collect();
    chart::bars(&points)
}

/// The route of an admin page whose template needs only the signed-in admin (the page loads
/// its data from the API): the vendor list, the imports of every vendor.
pub fn section(template: &'static str, nav: &'static str) -> actix_web::Route {
    web::get().to(
        move |req: HttpRequest, state: web::Data<AppState>| async move {
            let (admin, renewed) = match guard::admin(&req, &state).await {
                Ok(found) => found,
                Err(to_login) => return to_login,
            };
            let mut ctx = Context::new();
            ctx.insert("user", &admin.user);
            ctx.insert("nav", nav);
            page_with(&state, &req, StatusCode::OK, template, ctx, renewed)
        },
    )
}

pub async fn vendor_detail(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> HttpResponse {
    let (admin, renewed) = match guard::admin(&req, &state).await {
        Ok(found) => found,
        Err(to_login) => return to_login,
    };
    let Ok(id) = id.parse::<i64>() else {
        return super::not_found_page(&req, &state);
    };
    let mut ctx = Context::new();
    ctx.insert("user", &admin.user);
    ctx.insert("nav", "vendors");
    ctx.insert("vendor_id", &id);
    page_with(
        &state,
        &req,
        StatusCode::OK,
        "admin/vendor_detail.html",
        ctx,
        renewed,
    )
}
