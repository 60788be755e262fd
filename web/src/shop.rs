//! The customer shop's request context: which vendor's shop a request is for, reached in one
//! of three ways — a path (`/shop/{code}/…` on the platform's host), the vendor's subdomain
//! of `PLATFORM_DOMAIN`, or its verified custom domain (the Host header) — and the language
//! the visitor reads. Links stay within the way the visitor came in: every page builds them
//! with [`Shop::link`].

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use catalog::Language;
use futures_util::future::LocalBoxFuture;
use tenancy::ResolvedVendor;

use crate::state::AppState;

/// The cookie that keeps a visitor's chosen language.
pub const LANGUAGE_COOKIE: &str = "wz_lang";

/// The shop a request is for, and how to link within it.
#[derive(Debug, Clone)]
pub struct Shop {
    pub vendor: ResolvedVendor,
    /// `""` when the shop was reached by its host, `/shop/{code}` by path: every link is
    /// `base` + a path within the shop.
    pub base: String,
    /// `scheme://host` of this request, for absolute addresses (sitemap, canonical links,
    /// Open Graph).
    pub origin: String,
    /// What the visitor reads: `?lang=`, else the language cookie, else `Accept-Language`,
    /// else French (the platform's first language).
    pub language: Language,
    /// Whether the visitor chose the language now (`?lang=`): the page then keeps it in a
    /// cookie.
    pub language_chosen: bool,
}

impl Shop {
    /// A path within the shop (`/products/3`) as a link in the visitor's mode.
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// The same, absolute.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.origin, self.link(path))
    }
}

/// The shop's "not found" page as an error an extractor can return.
#[derive(Debug)]
pub struct ShopNotFound(String);

impl std::fmt::Display for ShopNotFound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no such shop")
    }
}

impl ResponseError for ShopNotFound {
    fn status_code(&self) -> StatusCode {
        StatusCode::NOT_FOUND
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::NotFound()
            .content_type("text/html; charset=utf-8")
            .insert_header(("Cache-Control", "no-store"))
            .body(self.0.clone())
    }
}

/// The page for a shop that does not exist (or is closed), rendered without a vendor.
pub fn shop_not_found(state: &AppState) -> ShopNotFound {
    let html = state
        .templates
        .render("shop/no_shop.html", &tera::Context::new())
        .unwrap_or_else(|_| "This shop does not exist.".to_owned());
    ShopNotFound(html)
}

impl FromRequest for Shop {
    type Error = ShopNotFound;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
                return Err(ShopNotFound("This shop does not exist.".into()));
            };
            let info = req.connection_info().clone();
            let host = host_of(req.head());
            let code = req.match_info().get("code").map(str::to_owned);
            let resolver = state.resolver.clone();
            let vendor_host = resolver.is_vendor_host(&host);
            // A vendor's host serves that vendor's shop only, so a `/shop/{code}` path on it
            // can never reach another vendor; the platform's host serves shops by path.
            let found = match (code, vendor_host) {
                (Some(code), false) => crate::shop_cache::vendor_by_code(&state, code).await,
                (None, true) => crate::shop_cache::vendor_by_host(&state, host.clone()).await,
                _ => Ok(None),
            };
            let Ok(Some(vendor)) = found else {
                return Err(shop_not_found(&state));
            };
            let base = if vendor_host {
                String::new()
            } else {
                format!("/shop/{}", vendor.code)
            };
            let (language, language_chosen) = visitor_language(&req);
            Ok(Shop {
                origin: format!("{}://{}", info.scheme(), host),
                vendor,
                base,
                language,
                language_chosen,
            })
        })
    }
}

/// The Host the request names (the header, or the absolute URI's host): the one source both
/// the routing guard and the extractor read, so they never disagree.
pub fn host_of(head: &actix_web::dev::RequestHead) -> String {
    head.headers
        .get(actix_web::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| head.uri.host())
        .unwrap_or("")
        .to_owned()
}

/// Routes a request to the shop's host routes when its Host names a vendor (a subdomain of the
/// platform domain or a custom domain), before the platform's own routes of the same paths.
pub struct VendorHost(pub std::sync::Arc<dyn tenancy::VendorResolver>);

impl actix_web::guard::Guard for VendorHost {
    fn check(&self, ctx: &actix_web::guard::GuardContext<'_>) -> bool {
        self.0.is_vendor_host(&host_of(ctx.head()))
    }
}

/// `?lang=` (chosen now), else the cookie, else the first of `Accept-Language` the shop has.
fn visitor_language(req: &HttpRequest) -> (Language, bool) {
    let query =
        web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
            .ok();
    if let Some(chosen) = query
        .as_ref()
        .and_then(|q| q.get("lang"))
        .and_then(|l| Language::parse(l))
    {
        return (chosen, true);
    }
    if let Some(kept) = req
        .cookie(LANGUAGE_COOKIE)
        .and_then(|c| Language::parse(c.value()))
    {
        return (kept, false);
    }
    let accepted = req
        .headers()
        .get(actix_web::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    (from_accept_language(accepted), false)
}

/// The first language of an `Accept-Language` value (highest weight first) that the shop has.
fn from_accept_language(header: &str) -> Language {
    let mut ranked: Vec<(f32, Language)> = header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next()?.trim();
            let primary = tag.split('-').next()?.to_ascii_lowercase();
            let weight = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            Language::parse(&primary).map(|l| (weight, l))
        })
        .collect();
    // A stable sort keeps the header's order between equal weights.
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked.first().map_or(Language::Fr, |(_, l)| *l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_language_the_shop_has() {
        assert_eq!(
            from_accept_language("de-LU,de;q=0.9,en;q=0.8"),
            Language::De
        );
        assert_eq!(from_accept_language("lb, en;q=0.5, de;q=0.7"), Language::De);
        assert_eq!(from_accept_language("EN-gb"), Language::En);
        assert_eq!(from_accept_language("pt-PT"), Language::Fr);
        assert_eq!(from_accept_language(""), Language::Fr);
    }
}
