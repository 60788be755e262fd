//! Admin portal pages. Lists and forms load through the JSON API from Alpine components;
//! the dashboard's counts are rendered on the server.

use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use tera::Context;

use super::guard;
use super::render::{page, page_with, redirect};
use crate::blocking::blocking;
use crate::extract::AdminUser;
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

pub async fn dashboard(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let (admin, renewed) = match guard::admin(&req, &state).await {
        Ok(found) => found,
        Err(to_login) => return to_login,
    };
    let (vendors, scope) = (state.vendors.clone(), admin.scope);
    let stats = match blocking(move || vendors.stats(&scope)).await {
        Ok(s) => s,
        Err(e) => return actix_web::ResponseError::error_response(&e),
    };
    let mut ctx = Context::new();
    ctx.insert("user", &admin.user);
    ctx.insert("stats", &stats);
    ctx.insert("nav", "dashboard");
    page_with(
        &state,
        &req,
        StatusCode::OK,
        "admin/dashboard.html",
        ctx,
        renewed,
    )
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
