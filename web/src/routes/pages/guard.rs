//! Page access: a page needs a signed-in principal of its portal; an expired access cookie is
//! renewed with the refresh cookie; otherwise the browser is sent to the login page.

use actix_web::cookie::Cookie;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use auth::{AdminPrincipal, VendorPrincipal};
use tenancy::ResolvedVendor;

use super::render::redirect;
use crate::blocking::blocking;
use crate::extract::{AdminUser, VendorMember};
use crate::session::{self, Portal};
use crate::state::AppState;

/// A renewed session's cookies to set on the page's response.
pub type Renewed = Vec<Cookie<'static>>;

/// Spends the portal's refresh cookie for a new pair, if the browser has one.
pub(super) async fn renew(
    req: &HttpRequest,
    state: &AppState,
    portal: Portal,
) -> Option<(auth::Claims, Renewed)> {
    let refresh_token = req.cookie(portal.refresh_cookie_name())?.value().to_owned();
    let auth = state.auth.clone();
    let pair = blocking(move || auth.refresh(&refresh_token)).await.ok()?;
    let claims = state.auth.verify(&pair.access_token).ok()?;
    let cookies = session::session_cookies(
        portal,
        &pair,
        state.config.refresh_token_ttl_days,
        state.config.cookie_secure,
    );
    Some((claims, cookies.into()))
}

pub async fn admin(
    req: &HttpRequest,
    state: &AppState,
) -> Result<(AdminPrincipal, Renewed), HttpResponse> {
    if let Ok(admin) = AdminUser::extract(req).await {
        let principal = AdminPrincipal {
            user: admin.user,
            scope: admin.scope,
        };
        return Ok((principal, Vec::new()));
    }
    if let Some((claims, cookies)) = renew(req, state, Portal::Admin).await {
        let auth = state.auth.clone();
        if let Ok(admin) = blocking(move || auth.admin(&claims)).await {
            return Ok((admin, cookies));
        }
    }
    Err(redirect("/admin/login"))
}

/// A member of exactly `vendor`: a session for another vendor counts as no session.
pub async fn vendor_member(
    req: &HttpRequest,
    state: &AppState,
    vendor: &ResolvedVendor,
) -> Result<(VendorPrincipal, Renewed), HttpResponse> {
    if let Ok(VendorMember(member)) = VendorMember::extract(req).await
        && member.member.vendor.id == vendor.id
    {
        return Ok((member, Vec::new()));
    }
    if let Some((claims, cookies)) = renew(req, state, Portal::Vendor).await {
        let auth = state.auth.clone();
        if let Ok(member) = blocking(move || auth.vendor_member(&claims)).await
            && member.member.vendor.id == vendor.id
        {
            return Ok((member, cookies));
        }
    }
    Err(redirect(&format!("/vendor/{}/login", vendor.code)))
}
