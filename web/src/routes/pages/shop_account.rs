//! The shop's buying and account pages: cart, checkout (with its confirmation), sign-in,
//! registration, password reset, and the signed-in customer's account (profile, addresses,
//! orders) and order pages. The server renders each page's frame; its Alpine component
//! (static/js/shop.js) talks to the shop's JSON API with the page's cart session and the
//! customer's session cookie.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use auth::CustomerPrincipal;

use super::guard::{self, Renewed};
use super::render::redirect;
use super::shop::{render, shop_context};
use crate::blocking::blocking;
use crate::session::Portal;
use crate::shop::Shop;
use crate::state::AppState;

/// A page frame: the shop's context, a title, and what the template adds.
fn frame(
    state: &AppState,
    req: &HttpRequest,
    shop: &Shop,
    template: &str,
    title: &str,
    fill: impl FnOnce(&mut tera::Context),
) -> HttpResponse {
    let mut ctx = shop_context(req, shop, &format!("{title} · {}", shop.vendor.name), "");
    fill(&mut ctx);
    render(state, req, shop, StatusCode::OK, template, ctx)
}

/// The signed-in customer of this shop (renewing an expired session), or the way to its
/// sign-in page, which comes back here afterwards.
async fn customer(
    req: &HttpRequest,
    state: &AppState,
    shop: &Shop,
) -> Result<(CustomerPrincipal, Renewed), HttpResponse> {
    let ours = |claims: &auth::Claims| {
        claims.kind == auth::PrincipalKind::Customer && claims.vendor_id == Some(shop.vendor.id.0)
    };
    let live = req
        .cookie(Portal::Shop.cookie_name())
        .and_then(|c| state.auth.verify(c.value()).ok())
        .filter(ours);
    if let Some(claims) = live {
        let auth = state.auth.clone();
        if let Ok(principal) = blocking(move || auth.customer(&claims)).await {
            return Ok((principal, Vec::new()));
        }
    }
    if let Some((claims, cookies)) = guard::renew(req, state, Portal::Shop).await
        && ours(&claims)
    {
        let auth = state.auth.clone();
        if let Ok(principal) = blocking(move || auth.customer(&claims)).await {
            return Ok((principal, cookies));
        }
    }
    let back = url::form_urlencoded::byte_serialize(req.path().as_bytes()).collect::<String>();
    Err(redirect(&format!(
        "{}?next={back}",
        shop.link("/account/login")
    )))
}

/// Adds a renewed session's cookies to a page.
fn with_cookies(mut page: HttpResponse, cookies: Renewed) -> HttpResponse {
    for cookie in cookies {
        let _ = page.add_cookie(&cookie);
    }
    page
}

pub async fn cart(req: HttpRequest, state: web::Data<AppState>, shop: Shop) -> HttpResponse {
    frame(&state, &req, &shop, "shop/cart.html", "Your cart", |_| {})
}

pub async fn checkout(req: HttpRequest, state: web::Data<AppState>, shop: Shop) -> HttpResponse {
    // Signed in or not, anyone may check out; a customer's e-mail and addresses come along.
    let signed = customer(&req, &state, &shop).await.ok();
    let email = signed.as_ref().map(|(c, _)| c.customer.email.clone());
    let page = frame(
        &state,
        &req,
        &shop,
        "shop/checkout.html",
        "Checkout",
        |ctx| {
            ctx.insert("customer_email", &email);
            ctx.insert(
                "sign_in_url",
                &coming_back(&shop, "/account/login", &shop.link("/checkout")),
            );
        },
    );
    with_cookies(page, signed.map(|(_, c)| c).unwrap_or_default())
}

pub async fn login(req: HttpRequest, state: web::Data<AppState>, shop: Shop) -> HttpResponse {
    let next = next_page(&req, &shop);
    frame(&state, &req, &shop, "shop/login.html", "Sign in", |ctx| {
        ctx.insert(
            "register_url",
            &coming_back(&shop, "/account/register", &next),
        );
        ctx.insert("next", &next);
    })
}

pub async fn register(req: HttpRequest, state: web::Data<AppState>, shop: Shop) -> HttpResponse {
    frame(
        &state,
        &req,
        &shop,
        "shop/register.html",
        "Create your account",
        |ctx| {
            ctx.insert("next", &next_page(&req, &shop));
        },
    )
}

pub async fn reset(req: HttpRequest, state: web::Data<AppState>, shop: Shop) -> HttpResponse {
    let token =
        web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
            .ok()
            .and_then(|q| q.get("token").cloned())
            .filter(|t| (1..=100).contains(&t.len()));
    frame(
        &state,
        &req,
        &shop,
        "shop/reset.html",
        "Reset your password",
        |ctx| {
            ctx.insert("token", &token);
        },
    )
}

pub async fn account(req: HttpRequest, state: web::Data<AppState>, shop: Shop) -> HttpResponse {
    match customer(&req, &state, &shop).await {
        Ok((c, cookies)) => {
            let page = frame(
                &state,
                &req,
                &shop,
                "shop/account.html",
                "Your account",
                |ctx| {
                    ctx.insert("customer", &c.customer);
                },
            );
            with_cookies(page, cookies)
        }
        Err(to_login) => to_login,
    }
}

pub async fn order(req: HttpRequest, state: web::Data<AppState>, shop: Shop) -> HttpResponse {
    let number: String = req
        .match_info()
        .get("number")
        .unwrap_or_default()
        .chars()
        .take(40)
        .collect();
    match customer(&req, &state, &shop).await {
        Ok((_, cookies)) => {
            let title = format!("Order {number}");
            let page = frame(&state, &req, &shop, "shop/order.html", &title, |ctx| {
                ctx.insert("order_number", &number);
            });
            with_cookies(page, cookies)
        }
        Err(to_login) => to_login,
    }
}

/// A page of the shop that returns to `next` when done (`/account/login?next=…`).
fn coming_back(shop: &Shop, page: &str, next: &str) -> String {
    let next: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
    format!("{}?next={next}", shop.link(page))
}

/// Where a sign-in goes afterwards: `?next=` when it is a page of this shop, else the account.
fn next_page(req: &HttpRequest, shop: &Shop) -> String {
    web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.get("next").cloned())
        // Only a path of this shop: never another site (an open redirect).
        .filter(|n| n.starts_with(&shop.link("/")) && !n.starts_with("//"))
        .unwrap_or_else(|| shop.link("/account"))
}
