//! Vendor portal pages: login and the dashboard of one vendor.

use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use tenancy::ResolvedVendor;
use tera::Context;

use super::guard;
use super::render::{page, page_with, redirect};
use crate::blocking::blocking;
use crate::extract::VendorMember;
use crate::state::AppState;

/// The live, active vendor a page path names, or the 404 page.
async fn vendor_of(
    req: &HttpRequest,
    state: &AppState,
    code: String,
) -> Result<ResolvedVendor, HttpResponse> {
    let resolver = state.resolver.clone();
    match blocking(move || resolver.by_code(&code)).await {
        Ok(Some(vendor)) => Ok(vendor),
        Ok(None) => Err(super::not_found_page(req, state)),
        Err(e) => Err(actix_web::ResponseError::error_response(&e)),
    }
}

fn vendor_context(vendor: &ResolvedVendor) -> Context {
    let mut ctx = Context::new();
    ctx.insert(
        "vendor",
        &serde_json::json!({
            "id": vendor.id,
            "code": vendor.code,
            "name": vendor.name,
            "description": vendor.description,
        }),
    );
    ctx.insert("theme_css", &vendor.theme.css());
    ctx
}

/// A vendor's team sign-in page (HTML); 404 for an unknown or closed vendor.
#[utoipa::path(get, path = "/vendor/{code}/login", tag = "browser", params(("code" = String, Path)),
    responses((status = 200, description = "the sign-in page", content_type = "text/html"),
    (status = 303, description = "already signed in: to the dashboard"),
    (status = 404, description = "no such open vendor", content_type = "text/html")))]
pub async fn login_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> HttpResponse {
    let vendor = match vendor_of(&req, &state, code.into_inner()).await {
        Ok(v) => v,
        Err(page) => return page,
    };
    if let Ok(VendorMember(member)) = VendorMember::extract(&req).await
        && member.member.vendor.id == vendor.id
    {
        return redirect(&format!("/vendor/{}/", vendor.code));
    }
    page(&state, &req, "vendor/login.html", vendor_context(&vendor))
}

pub async fn dashboard(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> HttpResponse {
    let vendor = match vendor_of(&req, &state, code.into_inner()).await {
        Ok(v) => v,
        Err(page) => return page,
    };
    let (member, renewed) = match guard::vendor_member(&req, &state, &vendor).await {
        Ok(found) => found,
        Err(to_login) => return to_login,
    };
    let mut ctx = vendor_context(&vendor);
    let member = member.member;
    ctx.insert("user", &member.user);
    ctx.insert("role", &member.role);
    let permissions: Vec<&str> = member.permissions.iter().map(|p| p.as_str()).collect();
    ctx.insert("permissions", &permissions);
    page_with(
        &state,
        &req,
        StatusCode::OK,
        "vendor/dashboard.html",
        ctx,
        renewed,
    )
}

pub async fn dashboard_redirect(code: web::Path<String>) -> HttpResponse {
    redirect(&format!("/vendor/{}/", code.into_inner()))
}
