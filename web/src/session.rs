//! Browser sessions: the portal's HttpOnly access-token cookie and the CSRF token
//! (double submit: an HttpOnly cookie plus the same value in the page, which scripts send
//! back in `X-CSRF-Token`; a cross-site page can send the cookie but cannot read the value).

use actix_web::HttpRequest;
use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Cookie, SameSite};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use subtle::ConstantTimeEq;

use crate::error::ApiError;
use crate::state::AppState;

pub const CSRF_COOKIE: &str = "wz_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Portal {
    Admin,
    Vendor,
    /// A shop's customer (the token names its shop; another shop's pages ignore it).
    Shop,
}

impl Portal {
    /// The cookie holding the portal's access token.
    pub fn cookie_name(self) -> &'static str {
        match self {
            Portal::Admin => "wz_admin",
            Portal::Vendor => "wz_vendor",
            Portal::Shop => "wz_shop",
        }
    }

    /// The cookie holding the portal's refresh token, spent by pages to renew the session.
    pub fn refresh_cookie_name(self) -> &'static str {
        match self {
            Portal::Admin => "wz_admin_rt",
            Portal::Vendor => "wz_vendor_rt",
            Portal::Shop => "wz_shop_rt",
        }
    }
}

/// The cookies of a signed-in browser: the access token (living as long as it does) and
/// the refresh token (living as long as the refresh token).
pub fn session_cookies(
    portal: Portal,
    tokens: &auth::TokenPair,
    refresh_days: i64,
    secure: bool,
) -> [Cookie<'static>; 2] {
    [
        cookie(
            portal.cookie_name(),
            &tokens.access_token,
            tokens.expires_in,
            secure,
        ),
        cookie(
            portal.refresh_cookie_name(),
            &tokens.refresh_token,
            refresh_days * 86_400,
            secure,
        ),
    ]
}

/// The cookies of a support session: its access token, and the portal's refresh cookie
/// removed, so the session ends with the token rather than renewing into another one.
pub fn support_cookies(
    portal: Portal,
    access_token: &str,
    expires_in: i64,
    secure: bool,
) -> [Cookie<'static>; 2] {
    let mut refresh = cookie(portal.refresh_cookie_name(), "", 0, secure);
    refresh.make_removal();
    [
        cookie(portal.cookie_name(), access_token, expires_in, secure),
        refresh,
    ]
}

/// Expired cookies that make the browser forget the session.
pub fn cleared_cookies(portal: Portal, secure: bool) -> [Cookie<'static>; 2] {
    [portal.cookie_name(), portal.refresh_cookie_name()].map(|name| {
        let mut c = cookie(name, "", 0, secure);
        c.make_removal();
        c
    })
}

fn cookie(name: &'static str, token: &str, max_age_secs: i64, secure: bool) -> Cookie<'static> {
    Cookie::build(name, token.to_owned())
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::seconds(max_age_secs))
        .finish()
}

/// The request's CSRF token, or a new one (with the cookie to set) when it has none.
pub fn csrf_token(req: &HttpRequest, secure: bool) -> (String, Option<Cookie<'static>>) {
    if let Some(existing) = req.cookie(CSRF_COOKIE).filter(|c| c.value().len() >= 32) {
        return (existing.value().to_owned(), None);
    }
    let token = random_token();
    let cookie = Cookie::build(CSRF_COOKIE, token.clone())
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .finish();
    (token, Some(cookie))
}

/// 32 random bytes, base64url: CSRF tokens and CSP nonces.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Refuses a state-changing browser request whose `X-CSRF-Token` does not match its cookie.
pub fn check_csrf(req: &HttpRequest) -> Result<(), ApiError> {
    let cookie = req.cookie(CSRF_COOKIE);
    let header = req.headers().get(CSRF_HEADER).and_then(|h| h.to_str().ok());
    match (cookie, header) {
        (Some(c), Some(h))
            if !h.is_empty() && bool::from(c.value().as_bytes().ct_eq(h.as_bytes())) =>
        {
            Ok(())
        }
        _ => Err(ApiError::new(
            actix_web::http::StatusCode::FORBIDDEN,
            "CSRF_FAILED",
            "the page is out of date; reload it and try again",
        )),
    }
}

/// A support session in this browser, as the page header shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SupportBanner {
    /// The admin acting.
    pub admin_email: String,
    /// `vendor` (a team member) or `customer`.
    pub kind: &'static str,
    /// When it ends (RFC 3339).
    pub until: String,
}

/// The support session the browser holds in `portal`'s cookie, if it is one (a signature and
/// expiry check, no database).
pub fn support_of(req: &HttpRequest, state: &AppState, portal: Portal) -> Option<SupportBanner> {
    let claims = state
        .auth
        .verify(req.cookie(portal.cookie_name())?.value())
        .ok()?;
    let acting = claims.act?;
    Some(SupportBanner {
        admin_email: acting.email,
        kind: claims.kind.as_str(),
        until: chrono::DateTime::from_timestamp(claims.exp, 0)?
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    })
}
