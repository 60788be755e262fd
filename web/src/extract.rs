//! Extractors that carry authorisation: [`AdminUser`] (with the platform scope only it can
//! give), [`VendorMember`] (any active member), [`Member<P>`] (a member holding permission `P`,
//! declared in the handler's signature), a shop's customer ([`ShopCustomer`]) or buyer
//! ([`ShopBuyer`]: a customer or a guest), [`AnyPrincipal`], and what the server knows of the
//! client ([`Client`]).
//!
//! Credentials come from `Authorization: Bearer` (API clients) or from the portal's
//! HttpOnly session cookie (pages). A cookie-authenticated request that changes state must
//! also carry the CSRF token in `X-CSRF-Token`, matching the CSRF cookie.

use std::net::{IpAddr, SocketAddr};

use actix_web::dev::Payload;
use actix_web::http::Method;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use std::marker::PhantomData;

use auth::{Claims, ClientInfo, PrincipalKind, UserInfo, VendorPrincipal};
use db::PlatformScope;
use futures_util::future::{LocalBoxFuture, Ready, ready};
use teams::Requires;
use tenancy::Actor;

use crate::blocking::blocking;
use crate::error::ApiError;
use crate::request_id::RequestId;
use crate::session::{self, Portal};
use crate::state::AppState;

fn state(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal(&"application state missing"))
}

/// The access token of the request and the portal cookie it came from, if any.
fn token(req: &HttpRequest, portal: Option<Portal>) -> Result<String, ApiError> {
    if let Some(header) = req.headers().get(actix_web::http::header::AUTHORIZATION) {
        let value = header.to_str().map_err(|_| ApiError::unauthenticated())?;
        let (scheme, token) = value
            .split_once(' ')
            .ok_or_else(ApiError::unauthenticated)?;
        if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
            return Err(ApiError::unauthenticated());
        }
        return Ok(token.trim().to_owned());
    }
    let portals: &[Portal] = match portal {
        Some(p) => &[p][..],
        None => &[Portal::Admin, Portal::Vendor],
    };
    for p in portals {
        if let Some(cookie) = req.cookie(p.cookie_name()) {
            if !is_safe(req.method()) {
                session::check_csrf(req)?;
            }
            return Ok(cookie.value().to_owned());
        }
    }
    Err(ApiError::unauthenticated())
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A token this request has already had verified, so the extractors that read it (the
/// principal's, and [`Client`]'s support-session check) verify it once.
struct VerifiedToken {
    token: String,
    claims: Claims,
}

fn verified(
    req: &HttpRequest,
    portal: Option<Portal>,
) -> Result<(web::Data<AppState>, Claims), ApiError> {
    let state = state(req)?;
    let token = token(req, portal)?;
    if let Some(known) = req.extensions().get::<VerifiedToken>()
        && known.token == token
    {
        return Ok((state, known.claims.clone()));
    }
    let claims = state.auth.verify(&token)?;
    req.extensions_mut().insert(VerifiedToken {
        token,
        claims: claims.clone(),
    });
    Ok((state, claims))
}

/// Who this request's token (verified by an extractor, if any) names: its kind and vendor.
pub(crate) fn verified_holder(req: &HttpRequest) -> Option<(PrincipalKind, Option<i64>)> {
    req.extensions()
        .get::<VerifiedToken>()
        .map(|known| (known.claims.kind, known.claims.vendor_id))
}

/// A signed-in, active platform administrator, and the platform scope its token proves (the
/// only way a handler gets one).
#[derive(Debug, Clone)]
pub struct AdminUser {
    pub user: UserInfo,
    pub scope: PlatformScope,
}

impl FromRequest for AdminUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let checked = verified(req, Some(Portal::Admin));
        Box::pin(async move {
            let (state, claims) = checked?;
            if claims.kind != PrincipalKind::Admin {
                return Err(ApiError::from(auth::AuthError::TokenInvalid));
            }
            let admin = blocking(move || state.auth.admin(&claims)).await?;
            Ok(AdminUser {
                user: admin.user,
                scope: admin.scope,
            })
        })
    }
}

/// A signed-in, active member of an open vendor, with the vendor's tenant scope, whatever
/// their permissions (pages; API routes use [`Member`]).
#[derive(Debug, Clone)]
pub struct VendorMember(pub VendorPrincipal);

impl FromRequest for VendorMember {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let checked = verified(req, Some(Portal::Vendor));
        Box::pin(async move {
            let (state, claims) = checked?;
            if claims.kind != PrincipalKind::Vendor {
                return Err(ApiError::from(auth::AuthError::TokenInvalid));
            }
            vendor_member(state, claims).await.map(VendorMember)
        })
    }
}

/// The member a vendor token names: from the vendor cache while their team is unchanged, else
/// checked in the database (and kept). A support session is always checked: its admin's
/// standing is not part of the team.
async fn vendor_member(
    state: web::Data<AppState>,
    claims: Claims,
) -> Result<VendorPrincipal, ApiError> {
    let (Some(vendor), Ok(user), None) = (claims.vendor_id, claims.subject_id(), &claims.act)
    else {
        return blocking(move || state.auth.vendor_member(&claims)).await;
    };
    let (vendor, user) = (db::VendorId(vendor), db::UserId(user));
    // Read before the database is, so a change meanwhile leaves what is read unfound.
    let team = state
        .changes
        .team(vendor)
        .filter(|_| state.vendor_cache.keeps());
    if let Some(kept) = team.and_then(|team| state.vendor_cache.member(vendor, user, team)) {
        return Ok(kept);
    }
    let checking = state.clone();
    let member = blocking(move || checking.auth.vendor_member(&claims)).await?;
    if let Some(team) = team {
        state.vendor_cache.keep_member(user, team, &member);
    }
    Ok(member)
}

/// A member holding permission `P` (`Member<needs::ProductsEdit>`): anyone else gets 403
/// `PERMISSION_DENIED`. Each API route states its permission this way and in its OpenAPI
/// `security` entry; the security test checks that the two agree.
///
/// `T` is the rest of what the handler takes (path, query, body — a tuple for several),
/// extracted only after the member has passed, so a stranger learns nothing from a 404, 415
/// or 422 about a route they may not use. (actix would otherwise poll all extractors at once.)
#[derive(Debug)]
pub struct Member<P, T = ()> {
    pub principal: VendorPrincipal,
    pub input: T,
    needs: PhantomData<P>,
}

impl<P, T> Member<P, T> {
    pub fn scope(&self) -> db::TenantScope {
        self.principal.scope
    }
}

impl<P: Requires + 'static, T: FromRequest + 'static> FromRequest for Member<P, T> {
    // actix's own error, so `T`'s refusals (already in the error shape, with their headers)
    // pass through untouched.
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let member = VendorMember::from_request(req, &mut Payload::None);
        let (req, mut payload) = (req.clone(), payload.take());
        Box::pin(async move {
            let VendorMember(principal) = member.await?;
            if !principal.has(P::PERMISSION) {
                return Err(ApiError::permission_denied(P::PERMISSION).into());
            }
            let input = T::from_request(&req, &mut payload)
                .await
                .map_err(Into::into)?;
            Ok(Member {
                principal,
                input,
                needs: PhantomData,
            })
        })
    }
}

/// The customer a request's credentials name at the shop its path's `{vendor}` names:
/// `None` without credentials, and — when `cookie_elsewhere_is_guest` — with a page cookie
/// signed in at another shop (on the platform's host every shop's pages share one cookie).
/// A bearer token of another shop is always refused: accounts are per vendor.
async fn shop_principal(
    req: HttpRequest,
    cookie_elsewhere_is_guest: bool,
) -> Result<Option<auth::CustomerPrincipal>, ApiError> {
    let bearer = req
        .headers()
        .contains_key(actix_web::http::header::AUTHORIZATION);
    if !bearer && req.cookie(Portal::Shop.cookie_name()).is_none() {
        return Ok(None);
    }
    let (state, claims) = verified(&req, Some(Portal::Shop))?;
    if claims.kind != PrincipalKind::Customer {
        return Err(ApiError::from(auth::AuthError::TokenInvalid));
    }
    let shop = match req.match_info().get("vendor").map(str::to_owned) {
        Some(code) => crate::shop_cache::vendor_by_code(&state, code).await?,
        None => None,
    };
    if shop.map(|s| s.id.0) != claims.vendor_id {
        if cookie_elsewhere_is_guest && !bearer {
            return Ok(None);
        }
        return Err(ApiError::new(
            actix_web::http::StatusCode::UNAUTHORIZED,
            "TOKEN_INVALID",
            "this sign-in is for another shop",
        ));
    }
    Ok(Some(blocking(move || state.auth.customer(&claims)).await?))
}

/// A signed-in, active customer of the shop the path's `{vendor}` names, with that shop's
/// tenant scope. A customer token of another shop is refused (401 `TOKEN_INVALID`): accounts
/// are per vendor. `T` is the rest of what the handler takes, extracted after the check (as
/// for [`Member`]).
#[derive(Debug)]
pub struct ShopCustomer<T = ()> {
    pub scope: db::TenantScope,
    pub customer: auth::CustomerInfo,
    pub input: T,
}

impl<T: FromRequest + 'static> FromRequest for ShopCustomer<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let (req, mut payload) = (req.clone(), payload.take());
        Box::pin(async move {
            let principal = shop_principal(req.clone(), false)
                .await?
                .ok_or_else(ApiError::unauthenticated)?;
            let input = T::from_request(&req, &mut payload)
                .await
                .map_err(Into::into)?;
            Ok(ShopCustomer {
                scope: principal.scope,
                customer: principal.customer,
                input,
            })
        })
    }
}

/// Who is buying at the shop the path names: its signed-in customer when the request carries
/// their credentials, else a guest (see [`shop_principal`]). `T` as for [`ShopCustomer`].
#[derive(Debug)]
pub struct ShopBuyer<T = ()> {
    pub customer: Option<auth::CustomerInfo>,
    pub input: T,
}

impl<T: FromRequest + 'static> FromRequest for ShopBuyer<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let (req, mut payload) = (req.clone(), payload.take());
        Box::pin(async move {
            let principal = shop_principal(req.clone(), true).await?;
            let input = T::from_request(&req, &mut payload)
                .await
                .map_err(Into::into)?;
            Ok(ShopBuyer {
                customer: principal.map(|p| p.customer),
                input,
            })
        })
    }
}

/// The verified claims of any kind of principal (for `/auth/me` and vendor switching).
#[derive(Debug, Clone)]
pub struct AnyPrincipal(pub Claims);

/// The verified claims of the vendor dashboard's session (its cookie, or a bearer token):
/// what switching vendors in the browser starts from.
pub struct VendorClaims(pub Claims);

impl FromRequest for VendorClaims {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(verified(req, Some(Portal::Vendor)).map(|(_, claims)| VendorClaims(claims)))
    }
}

impl FromRequest for AnyPrincipal {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(verified(req, None).map(|(_, claims)| AnyPrincipal(claims)))
    }
}

/// The client's IP (the socket peer, or with `TRUST_PROXY=n` the address the n-th proxy from
/// the server saw, see [`client_ip`]) and the request id.
#[derive(Debug, Clone)]
pub struct Client {
    pub ip: Option<IpAddr>,
    pub request_id: Option<String>,
    /// In a support session: (the user acted as, the admin acting), from the request's token.
    pub support: Option<(i64, db::UserId)>,
}

/// The client's address behind `hops` proxies of our own. Each proxy appends the address that
/// connected to it to `X-Forwarded-For`, so only the right-most `hops` entries were written by
/// us; everything left of them is whatever the client chose to send. The entry `hops` places
/// from the right is therefore the client as our outermost proxy saw it. With fewer entries
/// than that, or none that parse, the socket peer is used.
pub fn client_ip<'a>(
    peer: Option<IpAddr>,
    forwarded_for: impl Iterator<Item = &'a str>,
    hops: usize,
) -> Option<IpAddr> {
    if hops == 0 {
        return peer;
    }
    let entries: Vec<&str> = forwarded_for
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    entries
        .len()
        .checked_sub(hops)
        .and_then(|i| entries.get(i))
        .and_then(|entry| {
            entry
                .parse::<IpAddr>()
                .ok()
                .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
        })
        .or(peer)
}

impl Client {
    pub fn info(&self) -> ClientInfo {
        ClientInfo {
            ip: self.ip,
            request_id: self.request_id.clone(),
        }
    }

    pub fn actor(&self, admin: &AdminUser) -> Actor {
        self.acting(admin.user.id)
    }

    /// The audit's actor for a signed-in user (an admin, a vendor's member): in a support
    /// session as that user, with the admin acting.
    pub fn acting(&self, user_id: db::UserId) -> Actor {
        Actor {
            user_id,
            ip: self.ip.map(|ip| ip.to_string()),
            request_id: self.request_id.clone(),
            on_behalf: self
                .support
                .filter(|(subject, _)| *subject == user_id.0)
                .map(|(_, admin)| admin),
        }
    }
}

impl FromRequest for Client {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let hops = req
            .app_data::<web::Data<AppState>>()
            .map_or(0, |s| s.config.trusted_proxy_hops);
        let forwarded = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok());
        let ip = client_ip(req.peer_addr().map(|a| a.ip()), forwarded, hops);
        let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
        ready(Ok(Client {
            ip,
            request_id,
            support: acting_admin_of(req),
        }))
    }
}

/// The support session the request's vendor token (bearer or the vendor portal's cookie)
/// carries: the member acted as and the admin acting (the token verified once per request).
fn acting_admin_of(req: &HttpRequest) -> Option<(i64, db::UserId)> {
    let (_, claims) = verified(req, Some(Portal::Vendor)).ok()?;
    if claims.kind != PrincipalKind::Vendor {
        return None;
    }
    let admin = claims.act.as_ref()?.admin_id().ok()?;
    Some((claims.subject_id().ok()?, db::UserId(admin)))
}

#[cfg(test)]
mod tests {
    use super::client_ip;

    #[test]
    fn the_client_cannot_choose_its_address_behind_our_proxies() {
        let peer = Some("10.0.0.9".parse().unwrap());
        let ip = |headers: &[&str], hops| client_ip(peer, headers.iter().copied(), hops);
        assert_eq!(
            ip(&["6.6.6.6"], 0),
            peer,
            "no trusted proxy: the header is ignored"
        );
        assert_eq!(
            ip(&["6.6.6.6, 203.0.113.7"], 1),
            Some("203.0.113.7".parse().unwrap())
        );
        assert_eq!(
            ip(&["1.1.1.1, 2.2.2.2", "203.0.113.7, 10.0.0.2"], 2),
            Some("203.0.113.7".parse().unwrap()),
            "two proxies, the header split over two lines"
        );
        assert_eq!(ip(&["203.0.113.7"], 2), peer, "fewer entries than proxies");
        assert_eq!(ip(&["garbage"], 1), peer);
        assert_eq!(
            ip(&["[2001:db8::1]:443"], 1),
            Some("2001:db8::1".parse().unwrap())
        );
    }
}
