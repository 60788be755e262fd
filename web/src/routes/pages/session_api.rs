//! Browser sign-in and sign-out: the same checks as the API logins, answered with HttpOnly
//! session cookies instead of tokens in the body. Every call needs the page's CSRF token.

use actix_web::{HttpRequest, HttpResponse, post, web};
use auth::{AdminLogin, LoginAs, PrincipalKind, Session, SwitchVendor, VendorLogin};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{AdminUser, Client, VendorClaims};
use crate::routes::api::admin_support;
use crate::routes::api::public_shop::{VendorPath, open_vendor};
use crate::session::{self, Portal};
use crate::state::AppState;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PageLogin {
    #[validate(length(min = 1, max = 254, message = "enter your e-mail"))]
    #[schema(min_length = 1, max_length = 254)]
    pub email: String,
    #[validate(length(min = 1, max = 200, message = "enter your password"))]
    #[schema(min_length = 1, max_length = 200)]
    pub password: String,
}

/// Where the page goes next.
#[derive(Debug, Serialize, ToSchema)]
pub struct Redirect {
    pub redirect: String,
}

fn signed_in(state: &AppState, portal: Portal, session: &Session, to: String) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    for cookie in session::session_cookies(
        portal,
        &session.tokens,
        state.config.refresh_token_ttl_days,
        state.config.cookie_secure,
    ) {
        response.cookie(cookie);
    }
    response.json(Redirect { redirect: to })
}

async fn signed_out(
    req: &HttpRequest,
    state: &AppState,
    portal: Portal,
    to: String,
) -> Result<HttpResponse, ApiError> {
    session::check_csrf(req)?;
    if let Some(rt) = req.cookie(portal.refresh_cookie_name()) {
        let (auth, token) = (state.auth.clone(), rt.value().to_owned());
        blocking(move || auth.logout(&token)).await?;
    }
    let mut response = HttpResponse::Ok();
    for cookie in session::cleared_cookies(portal, state.config.cookie_secure) {
        response.cookie(cookie);
    }
    Ok(response.json(Redirect { redirect: to }))
}

/// Signs an administrator in to the admin pages (sets the session cookies).
#[utoipa::path(tag = "browser", request_body = PageLogin, params(("X-CSRF-Token" = String, Header)), responses(
    (status = 200, body = Redirect), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 429, body = ErrorBody)))]
#[post("/admin/login")]
pub async fn admin_login(
    req: HttpRequest,
    state: web::Data<AppState>,
    client: Client,
    body: web::Json<PageLogin>,
) -> Result<HttpResponse, ApiError> {
    session::check_csrf(&req)?;
    let input = AdminLogin {
        email: body.email.clone(),
        password: body.password.clone(),
    };
    let auth = state.auth.clone();
    let session = blocking(move || auth.admin_login(&input, &client.info())).await?;
    Ok(signed_in(&state, Portal::Admin, &session, "/admin".into()))
}

/// Signs the administrator out of the admin pages.
#[utoipa::path(tag = "browser", params(("X-CSRF-Token" = String, Header)), responses(
    (status = 200, body = Redirect), (status = 403, body = ErrorBody)))]
#[post("/admin/logout")]
pub async fn admin_logout(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    signed_out(&req, &state, Portal::Admin, "/admin/login".into()).await
}

/// Signs a team member in to one vendor's dashboard (sets the session cookies).
#[utoipa::path(tag = "browser", request_body = PageLogin, params(("code" = String, Path), ("X-CSRF-Token" = String, Header)),
    responses((status = 200, body = Redirect), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 429, body = ErrorBody)))]
#[post("/vendor/{code}/login")]
pub async fn vendor_login(
    req: HttpRequest,
    state: web::Data<AppState>,
    client: Client,
    code: web::Path<String>,
    body: web::Json<PageLogin>,
) -> Result<HttpResponse, ApiError> {
    session::check_csrf(&req)?;
    let code = code.into_inner();
    let input = VendorLogin {
        email: body.email.clone(),
        password: body.password.clone(),
        vendor_code: code.clone(),
    };
    let auth = state.auth.clone();
    let session = blocking(move || auth.vendor_login(&input, &client.info())).await?;
    let to = format!(
        "/vendor/{}/",
        session
            .vendor
            .as_ref()
            .map_or(code.as_str(), |v| v.code.as_str())
    );
    Ok(signed_in(&state, Portal::Vendor, &session, to))
}

/// Moves the signed-in member's dashboard session to another vendor they belong to (sets the
/// session cookies for it): the vendor switcher in the dashboard's header.
#[utoipa::path(tag = "browser", params(("code" = String, Path, description = "the vendor to move to"), ("X-CSRF-Token" = String, Header)),
    responses((status = 200, body = Redirect), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[post("/vendor/{code}/switch")]
pub async fn vendor_switch(
    req: HttpRequest,
    state: web::Data<AppState>,
    claims: VendorClaims,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    session::check_csrf(&req)?;
    let input = SwitchVendor {
        vendor_code: code.into_inner(),
    };
    let auth = state.auth.clone();
    let session = blocking(move || auth.switch_vendor(&claims.0, &input)).await?;
    let to = format!(
        "/vendor/{}/",
        session.vendor.as_ref().map_or("", |v| v.code.as_str())
    );
    Ok(signed_in(&state, Portal::Vendor, &session, to))
}

/// Signs the member out of the vendor dashboard.
#[utoipa::path(tag = "browser", params(("code" = String, Path), ("X-CSRF-Token" = String, Header)), responses(
    (status = 200, body = Redirect), (status = 403, body = ErrorBody)))]
#[post("/vendor/{code}/logout")]
pub async fn vendor_logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    signed_out(
        &req,
        &state,
        Portal::Vendor,
        format!("/vendor/{}/login", code.into_inner()),
    )
    .await
}

/// Opens a support session in this browser (the admin stays signed in to the admin pages):
/// the team member's dashboard or the customer's account, until the token expires or the
/// admin ends it. Audited with the reason.
#[utoipa::path(tag = "browser", request_body = LoginAs, params(("X-CSRF-Token" = String, Header)),
    responses((status = 200, body = Redirect), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/admin/login-as")]
pub async fn admin_login_as(
    req: HttpRequest,
    state: web::Data<AppState>,
    admin: AdminUser,
    client: Client,
    body: web::Json<LoginAs>,
) -> Result<HttpResponse, ApiError> {
    session::check_csrf(&req)?;
    let support = admin_support::start(state.clone(), admin, client, body.into_inner()).await?;
    let (portal, to) = match support.kind {
        PrincipalKind::Customer => (
            Portal::Shop,
            format!("/shop/{}/account", support.vendor_code),
        ),
        _ => (Portal::Vendor, format!("/vendor/{}/", support.vendor_code)),
    };
    let mut response = HttpResponse::Ok();
    for cookie in session::support_cookies(
        portal,
        &support.access_token,
        support.expires_in,
        state.config.cookie_secure,
    ) {
        response.cookie(cookie);
    }
    Ok(response.json(Redirect { redirect: to }))
}

/// Ends this browser's support session (whichever portal it is in) and goes back to the
/// admin pages.
#[utoipa::path(tag = "browser", params(("X-CSRF-Token" = String, Header)),
    responses((status = 200, body = Redirect), (status = 403, body = ErrorBody)))]
#[post("/admin/login-as/end")]
pub async fn admin_login_as_end(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    session::check_csrf(&req)?;
    let mut response = HttpResponse::Ok();
    for portal in [Portal::Vendor, Portal::Shop] {
        if session::support_of(&req, &state, portal).is_some() {
            for cookie in session::cleared_cookies(portal, state.config.cookie_secure) {
                response.cookie(cookie);
            }
        }
    }
    Ok(response.json(Redirect {
        redirect: "/admin/users".into(),
    }))
}

/// The cookie keeping a shop visitor's cart session (random; the pages hand it to the cart
/// API). HttpOnly: pages read it from the page the server rendered, never from scripts.
pub const CART_COOKIE: &str = "wz_cart";

/// Signs a customer in to a shop's pages (sets the session cookies) and makes the browser's
/// cart theirs, merged with the cart they had.
#[utoipa::path(tag = "browser", request_body = PageLogin,
    params(VendorPath, ("X-CSRF-Token" = String, Header)),
    responses((status = 200, body = Redirect), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
#[post("/public/vendors/{vendor}/session")]
pub async fn shop_login(
    req: HttpRequest,
    state: web::Data<AppState>,
    client: Client,
    path: web::Path<VendorPath>,
    body: web::Json<PageLogin>,
) -> Result<HttpResponse, ApiError> {
    session::check_csrf(&req)?;
    let shop = open_vendor(&state, path.into_inner().vendor).await?;
    let input = auth::CustomerLogin {
        email: body.email.clone(),
        password: body.password.clone(),
    };
    let cart = req
        .cookie(CART_COOKIE)
        .and_then(|c| orders::CartSession::parse(c.value()).ok());
    let (app, scope) = (state.clone(), shop.scope);
    let session = blocking(move || {
        let session = app.auth.customer_login(&scope, &input, &client.info())?;
        if let Some(cart) = cart {
            app.carts.claim(&scope, &cart, session.customer.id, None)?;
        }
        Ok::<_, ApiError>(session)
    })
    .await?;
    let mut response = HttpResponse::Ok();
    for cookie in session::session_cookies(
        Portal::Shop,
        &session.tokens,
        state.config.refresh_token_ttl_days,
        state.config.cookie_secure,
    ) {
        response.cookie(cookie);
    }
    Ok(response.json(Redirect {
        redirect: format!("/shop/{}/account", shop.code),
    }))
}

/// Signs the customer out of the shop's pages.
#[utoipa::path(tag = "browser",
    params(VendorPath, ("X-CSRF-Token" = String, Header)),
    responses((status = 200, body = Redirect), (status = 403, body = ErrorBody)))]
#[post("/public/vendors/{vendor}/session/end")]
pub async fn shop_logout(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    signed_out(&req, &state, Portal::Shop, "/".into()).await
}
