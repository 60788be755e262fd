//! Vendor portal pages: login, the dashboard, the catalogue, the product editor, inventory,
//! Letzshop imports and the imported (staged) products.

use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use tenancy::ResolvedVendor;
use tera::Context;

use super::guard::{self, Renewed};
use super::render::{page, page_with, redirect};
use crate::blocking::blocking;
use auth::VendorPrincipal;

use crate::extract::VendorMember;
use crate::state::AppState;

/// The live, active vendor a page path names, or the 404 page.
pub(super) async fn vendor_of(
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

pub(super) fn vendor_context(vendor: &ResolvedVendor) -> Context {
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

/// The open vendor a page path names and the signed-in member of it, or the answer to give
/// instead (the 404 page, the way to the login page).
pub(super) async fn signed_in_member(
    req: &HttpRequest,
    state: &AppState,
    code: String,
) -> Result<(ResolvedVendor, VendorPrincipal, Renewed), HttpResponse> {
    let vendor = vendor_of(req, state, code).await?;
    let (member, renewed) = guard::vendor_member(req, state, &vendor).await?;
    Ok((vendor, member, renewed))
}

/// A member page's context: the vendor, the member and what they may do (templates hide what
/// the member may not do; the API refuses it anyway), and the page's section for the menu.
pub(super) fn member_context(
    vendor: &ResolvedVendor,
    member: &VendorPrincipal,
    template: &str,
) -> Context {
    let mut ctx = vendor_context(vendor);
    let member = &member.member;
    ctx.insert("user", &member.user);
    ctx.insert("role", &member.role);
    let permissions: Vec<&str> = member.permissions.iter().map(|p| p.as_str()).collect();
    ctx.insert("permissions", &permissions);
    ctx.insert(
        "section",
        template
            .trim_start_matches("vendor/")
            .trim_end_matches(".html"),
    );
    ctx
}

/// Renders one of a vendor's member pages, `extra` adding what the page needs.
pub(super) async fn member_page(
    req: &HttpRequest,
    state: &AppState,
    code: String,
    template: &str,
    extra: impl FnOnce(&mut Context),
) -> HttpResponse {
    let (vendor, member, renewed) = match signed_in_member(req, state, code).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let mut ctx = member_context(&vendor, &member, template);
    extra(&mut ctx);
    page_with(state, req, StatusCode::OK, template, ctx, renewed)
}

/// The route of a member page whose template needs only the vendor and the member: the
/// dashboard, the catalogue (search, filters, pages, bulk status), inventory (rows, the low
/// list, the ledger), imports (feed addresses, progress, bad rows), the imported products
/// (filters, publish dialog, overrides). The page loads its data from the API.
pub fn section(template: &'static str) -> actix_web::Route {
    web::get().to(
        move |req: HttpRequest, state: web::Data<AppState>, code: web::Path<String>| async move {
            member_page(&req, &state, code.into_inner(), template, |_| {}).await
        },
    )
}

/// The editor for a new product.
pub async fn new_product(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> HttpResponse {
    member_page(
        &req,
        &state,
        code.into_inner(),
        "vendor/product.html",
        |ctx| {
            ctx.insert("product_id", "");
        },
    )
    .await
}

/// The editor of one product (the page loads it; another vendor's id shows "not found").
pub async fn product(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> HttpResponse {
    let (code, id) = path.into_inner();
    member_page(&req, &state, code, "vendor/product.html", |ctx| {
        ctx.insert("product_id", &id.to_string());
    })
    .await
}

pub async fn dashboard_redirect(code: web::Path<String>) -> HttpResponse {
    redirect(&format!("/vendor/{}/", code.into_inner()))
}
