//! Renders a template with the CSRF token every page carries.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, cookie::Cookie};
use tera::Context;

use crate::session;
use crate::state::AppState;

pub fn page(state: &AppState, req: &HttpRequest, template: &str, ctx: Context) -> HttpResponse {
    page_with(state, req, StatusCode::OK, template, ctx, Vec::new())
}

/// Renders `template`, adding `csrf_token` to the context and setting the CSRF cookie when
/// the browser has none, plus any `cookies` (a renewed session).
pub fn page_with(
    state: &AppState,
    req: &HttpRequest,
    status: StatusCode,
    template: &str,
    mut ctx: Context,
    cookies: Vec<Cookie<'static>>,
) -> HttpResponse {
    let (csrf, new_cookie) = session::csrf_token(req, state.config.cookie_secure);
    ctx.insert("csrf_token", &csrf);
    // A fresh nonce per page lets its one inline <style> (a vendor theme) through the CSP.
    let nonce = session::random_token();
    ctx.insert("csp_nonce", &nonce);
    ctx.insert("platform_domain", &state.config.platform_domain);
    ctx.insert("platform", &*state.platform_settings.current());
    let support = [session::Portal::Vendor, session::Portal::Shop]
        .into_iter()
        .find_map(|portal| session::support_of(req, state, portal));
    ctx.insert("support", &support);
    match state.templates.render(template, &ctx) {
        Ok(html) => {
            let mut response = HttpResponse::build(status);
            response.content_type("text/html; charset=utf-8");
            response.insert_header(("Cache-Control", "no-store"));
            response.insert_header((
                actix_web::http::header::CONTENT_SECURITY_POLICY,
                crate::headers::page_policy(&nonce),
            ));
            for cookie in new_cookie.into_iter().chain(cookies) {
                response.cookie(cookie);
            }
            response.body(html)
        }
        Err(e) => {
            tracing::error!(error = ?e, template, "template failed");
            HttpResponse::InternalServerError()
                .content_type("text/plain; charset=utf-8")
                .body("Something went wrong on our side.")
        }
    }
}

pub fn not_found_page(req: &HttpRequest, state: &AppState) -> HttpResponse {
    let mut ctx = Context::new();
    ctx.insert("path", req.path());
    page_with(
        state,
        req,
        StatusCode::NOT_FOUND,
        "errors/not_found.html",
        ctx,
        Vec::new(),
    )
}

pub fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", to))
        .finish()
}
