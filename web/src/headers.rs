//! Security headers on every response: a Content-Security-Policy that allows scripts and
//! styles from this server only (no inline script, no eval: the pages use Alpine's CSP
//! build), no framing, HSTS in production, and `Cache-Control: no-store` on every API answer
//! (they carry tokens or a tenant's data). A page that needs an inline `<style>` (a vendor's
//! theme colours) sets its own policy with a nonce; see [`page_policy`].

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, web};

use crate::config::Environment;
use crate::state::AppState;

/// The policy of every response that does not set its own.
const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; \
     connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// Swagger UI (`/docs/`) styles elements inline and loads its initializer from the page.
const DOCS_POLICY: &str = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const HSTS: &str = "max-age=31536000; includeSubDomains";

/// A page's policy allowing one inline `<style>` element carrying `nonce`.
pub fn page_policy(nonce: &str) -> String {
    POLICY.replace(
        "style-src 'self'",
        &format!("style-src 'self' 'nonce-{nonce}'"),
    )
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let production = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|s| s.config.environment == Environment::Production);
    let path = req.path().to_owned();
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    let mut set_default = |name: HeaderName, value: &'static str| {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    };
    let policy = if path.starts_with("/docs") {
        DOCS_POLICY
    } else {
        POLICY
    };
    set_default(header::CONTENT_SECURITY_POLICY, policy);
    set_default(header::X_FRAME_OPTIONS, "DENY");
    set_default(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set_default(header::REFERRER_POLICY, "same-origin");
    if path.starts_with("/api/v1/") {
        set_default(header::CACHE_CONTROL, "no-store");
    }
    if production {
        set_default(header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    Ok(response)
}
