//! The customer shop's pages, rendered on the server so search engines read them: home
//! (featured products, new arrivals), the product list (search, stock filter, sorts, pages),
//! the product page, `sitemap.xml` and `robots.txt`. The same handlers serve every way in
//! ([`Shop`] says which); only active products of the shop's vendor are ever shown.

use std::collections::HashMap;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use catalog::{Language, ProductQuery, ProductView, SortOrder};
use serde::Serialize;
use tera::Context;

use super::render::page_with;
use super::session_api::CART_COOKIE;
use crate::blocking::blocking;
use crate::shop::{LANGUAGE_COOKIE, Shop};
use crate::state::AppState;

/// Products per page of the list; cards on the home page per row of it.
const PAGE_SIZE: i64 = 24;
const HOME_CARDS: i64 = 8;
/// A sitemap file holds at most 50,000 addresses; the newest products come first.
const SITEMAP_PRODUCTS: i64 = 49_000;

/// A product as a card in a list.
#[derive(Serialize)]
struct Card {
    url: String,
    title: String,
    brand: String,
    price: String,
    was: Option<String>,
    image: Option<String>,
    available: bool,
}

/// A product's page.
#[derive(Serialize)]
struct Detail {
    id: i64,
    title: String,
    description: String,
    brand: String,
    gtin: Option<String>,
    price: String,
    was: Option<String>,
    images: Vec<Picture>,
    available: bool,
}

#[derive(Serialize)]
struct Picture {
    url: String,
    thumbnail: String,
}

/// The product's title and description in `language`, else in its own main language.
fn texts(product: &ProductView, language: Language) -> (String, String) {
    product
        .translations
        .iter()
        .find(|t| t.language == language)
        .map(|t| (t.title.clone(), t.description.clone()))
        .unwrap_or_else(|| (product.title.clone(), product.description.clone()))
}

/// The price shown, and the regular price struck through when a sale price applies.
fn prices(product: &ProductView, language: Language) -> (String, Option<String>) {
    let regular = language.money(product.price_cents, &product.currency);
    match product.sale_price_cents {
        Some(sale) => (language.money(sale, &product.currency), Some(regular)),
        None => (regular, None),
    }
}

fn card(shop: &Shop, product: &ProductView) -> Card {
    let (title, _) = texts(product, shop.language);
    let (price, was) = prices(product, shop.language);
    Card {
        url: shop.link(&format!("/products/{}", product.id.0)),
        title,
        brand: product.brand.clone(),
        price,
        was,
        image: product.images.first().map(|i| i.thumbnail_url.clone()),
        available: product.inventory.available > 0,
    }
}

/// What every shop page has: the shop, its links, the visitor's language and its switcher.
pub(super) fn shop_context(
    req: &HttpRequest,
    shop: &Shop,
    title: &str,
    description: &str,
) -> Context {
    let mut ctx = Context::new();
    ctx.insert(
        "shop",
        &serde_json::json!({
            "name": shop.vendor.name,
            "code": shop.vendor.code,
            "description": shop.vendor.description,
            "home": shop.link("/"),
            "products": shop.link("/products"),
            "cart": shop.link("/cart"),
            "checkout": shop.link("/checkout"),
            "account": shop.link("/account"),
            "login": shop.link("/account/login"),
            "register": shop.link("/account/register"),
            "reset": shop.link("/account/reset"),
            "api": format!("/api/v1/public/vendors/{}", shop.vendor.code),
        }),
    );
    ctx.insert("theme_css", &shop.vendor.theme.css());
    ctx.insert("logo", &shop.vendor.theme.logo_url);
    ctx.insert(
        "layout",
        shop.vendor
            .theme
            .layout
            .map_or("grid", tenancy::Layout::as_str),
    );
    ctx.insert("lang", shop.language.as_str());
    let here = req.path();
    let languages: Vec<_> = Language::ALL
        .iter()
        .map(|l| {
            serde_json::json!({
                "code": l.as_str(),
                "name": match l { Language::Fr => "Français", Language::De => "Deutsch", Language::En => "English" },
                "url": format!("{here}?lang={}", l.as_str()),
                "current": *l == shop.language,
            })
        })
        .collect();
    ctx.insert("languages", &languages);
    ctx.insert("origin", &shop.origin);
    ctx.insert("title", title);
    ctx.insert("description", description);
    ctx.insert("canonical", &format!("{}{}", shop.origin, here));
    // Set by the pages that have them; the layout reads them on every page.
    ctx.insert("q", "");
    ctx.insert("og_image", &None::<String>);
    ctx
}

/// Renders a shop page; keeps a language chosen now in a cookie, and gives a visitor without
/// a cart session one (the page hands it to the cart API).
pub(super) fn render(
    state: &AppState,
    req: &HttpRequest,
    shop: &Shop,
    status: StatusCode,
    template: &str,
    mut ctx: Context,
) -> HttpResponse {
    let mut cookies = Vec::new();
    let cart = req
        .cookie(CART_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| orders::CartSession::parse(v).is_ok())
        .unwrap_or_else(|| {
            let fresh = crate::session::random_token();
            cookies.push(
                Cookie::build(CART_COOKIE, fresh.clone())
                    .path("/")
                    .http_only(true)
                    .secure(state.config.cookie_secure)
                    .same_site(SameSite::Lax)
                    .max_age(actix_web::cookie::time::Duration::days(
                        orders::CART_LIFETIME_DAYS,
                    ))
                    .finish(),
            );
            fresh
        });
    ctx.insert("cart_session", &cart);
    ctx.insert("signed_in", &signed_in(state, req, shop));
    if shop.language_chosen {
        cookies.push(
            Cookie::build(LANGUAGE_COOKIE, shop.language.as_str())
                .path("/")
                .same_site(SameSite::Lax)
                .max_age(actix_web::cookie::time::Duration::days(365))
                .finish(),
        );
    }
    page_with(state, req, status, template, ctx, cookies)
}

/// Whether the browser holds a session of this shop's customer (a live access cookie for it,
/// or a refresh cookie the account pages renew): the header's "Account" or "Sign in".
fn signed_in(state: &AppState, req: &HttpRequest, shop: &Shop) -> bool {
    let live = req
        .cookie(crate::session::Portal::Shop.cookie_name())
        .and_then(|c| state.auth.verify(c.value()).ok())
        .is_some_and(|claims| claims.vendor_id == Some(shop.vendor.id.0));
    live || req
        .cookie(crate::session::Portal::Shop.refresh_cookie_name())
        .is_some()
}

/// The shop's frame around a message: its 404 for a product it does not sell, or "back in a
/// moment" when the catalogue cannot answer.
fn notice(state: &AppState, req: &HttpRequest, shop: &Shop, status: StatusCode) -> HttpResponse {
    let (template, title) = if status == StatusCode::NOT_FOUND {
        ("shop/not_found.html", "Not found")
    } else {
        ("shop/trouble.html", "Back in a moment")
    };
    let ctx = shop_context(req, shop, title, "");
    render(state, req, shop, status, template, ctx)
}

fn unavailable(state: &AppState, req: &HttpRequest, shop: &Shop) -> HttpResponse {
    notice(state, req, shop, StatusCode::SERVICE_UNAVAILABLE)
}

/// The shop's 404 page (also for any unknown address on a shop's own host).
pub fn not_found(state: &AppState, req: &HttpRequest, shop: &Shop) -> HttpResponse {
    notice(state, req, shop, StatusCode::NOT_FOUND)
}

async fn search(
    state: &web::Data<AppState>,
    shop: &Shop,
    query: ProductQuery,
) -> Option<catalog::ProductPage> {
    crate::shop_cache::shop_list(state, &shop.vendor, query)
        .await
        .ok()
}

/// The shop's home: featured products and new arrivals.
pub async fn home(req: HttpRequest, state: web::Data<AppState>, shop: Shop) -> HttpResponse {
    let only_active = |q: ProductQuery| ProductQuery {
        is_active: Some(true),
        per_page: Some(HOME_CARDS),
        ..q
    };
    let featured = search(
        &state,
        &shop,
        only_active(ProductQuery {
            is_featured: Some(true),
            ..ProductQuery::default()
        }),
    )
    .await;
    let newest = search(
        &state,
        &shop,
        only_active(ProductQuery {
            sort: Some(SortOrder::Newest),
            ..ProductQuery::default()
        }),
    )
    .await;
    let (Some(featured), Some(newest)) = (featured, newest) else {
        return unavailable(&state, &req, &shop);
    };
    let description = if shop.vendor.description.is_empty() {
        format!("{} — shop online.", shop.vendor.name)
    } else {
        shop.vendor.description.clone()
    };
    let mut ctx = shop_context(&req, &shop, &shop.vendor.name, &description);
    let cards = |page: catalog::ProductPage| -> Vec<Card> {
        page.items.iter().map(|p| card(&shop, p)).collect()
    };
    ctx.insert("featured", &cards(featured));
    ctx.insert("newest", &cards(newest));
    render(&state, &req, &shop, StatusCode::OK, "shop/home.html", ctx)
}

/// The product list: `q` (search), `in_stock`, `sort`, `page`. Odd values are ignored, not
/// refused: this is a page people and crawlers follow links to.
pub async fn products(
    req: HttpRequest,
    state: web::Data<AppState>,
    shop: Shop,
    params: web::Query<HashMap<String, String>>,
) -> HttpResponse {
    let param = |name: &str| params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    let q: Option<String> = param("q").map(|q| q.chars().take(200).collect());
    let sort = match param("sort") {
        Some("price_asc") => SortOrder::PriceAsc,
        Some("price_desc") => SortOrder::PriceDesc,
        Some("newest") => SortOrder::Newest,
        _ => SortOrder::Relevance,
    };
    let in_stock = param("in_stock") == Some("true");
    let page = param("page")
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 10_000);
    let query = ProductQuery {
        q: q.clone(),
        is_active: Some(true),
        in_stock: in_stock.then_some(true),
        sort: Some(sort),
        page: Some(page),
        per_page: Some(PAGE_SIZE),
        ..ProductQuery::default()
    };
    let Some(found) = search(&state, &shop, query).await else {
        return unavailable(&state, &req, &shop);
    };
    let title = match &q {
        Some(q) => format!("“{q}” · {}", shop.vendor.name),
        None => format!("All products · {}", shop.vendor.name),
    };
    let mut ctx = shop_context(&req, &shop, &title, &shop.vendor.description);
    let cards: Vec<Card> = found.items.iter().map(|p| card(&shop, p)).collect();
    let pages = ((found.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let link_to = |to: i64| {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("page", &to.to_string());
        if let Some(q) = &q {
            query.append_pair("q", q);
        }
        if in_stock {
            query.append_pair("in_stock", "true");
        }
        if let Some(sort) = param("sort").filter(|_| sort != SortOrder::Relevance) {
            query.append_pair("sort", sort);
        }
        format!("{}?{}", shop.link("/products"), query.finish())
    };
    ctx.insert("products", &cards);
    ctx.insert("q", &q.clone().unwrap_or_default());
    ctx.insert("in_stock", &in_stock);
    ctx.insert("sort", param("sort").unwrap_or("relevance"));
    ctx.insert("total", &found.total);
    ctx.insert("capped", &found.total_is_capped);
    ctx.insert("page", &page);
    ctx.insert("pages", &pages);
    ctx.insert("previous", &(page > 1).then(|| link_to(page - 1)));
    ctx.insert(
        "next",
        &(page < pages || (found.total_is_capped && cards.len() as i64 == PAGE_SIZE))
            .then(|| link_to(page + 1)),
    );
    render(
        &state,
        &req,
        &shop,
        StatusCode::OK,
        "shop/products.html",
        ctx,
    )
}

/// One product; an unknown, deleted or inactive one (or another vendor's) is the shop's 404.
pub async fn product(req: HttpRequest, state: web::Data<AppState>, shop: Shop) -> HttpResponse {
    let id = req
        .match_info()
        .get("id")
        .and_then(|id| id.parse::<i64>().ok())
        .filter(|id| *id > 0);
    let Some(id) = id else {
        return not_found(&state, &req, &shop);
    };
    let (catalog, scope) = (state.catalog.clone(), shop.vendor.scope);
    let product = match blocking(move || catalog.get(&scope, db::ProductId(id))).await {
        Ok(p) if p.is_active => p,
        Ok(_) => return not_found(&state, &req, &shop),
        Err(e) if e.status == StatusCode::NOT_FOUND => return not_found(&state, &req, &shop),
        Err(_) => return unavailable(&state, &req, &shop),
    };
    let (title, description) = texts(&product, shop.language);
    let (price, was) = prices(&product, shop.language);
    let summary: String = description.chars().take(160).collect();
    let mut ctx = shop_context(
        &req,
        &shop,
        &format!("{title} · {}", shop.vendor.name),
        &summary,
    );
    ctx.insert(
        "og_image",
        &product.images.first().map(|i| absolute(&shop, &i.url)),
    );
    ctx.insert("json_ld", &structured_data(&shop, &product, &req));
    ctx.insert(
        "product",
        &Detail {
            id: product.id.0,
            title,
            description,
            brand: product.brand.clone(),
            gtin: product.gtin.clone(),
            price,
            was,
            images: product
                .images
                .iter()
                .map(|i| Picture {
                    url: i.url.clone(),
                    thumbnail: i.thumbnail_url.clone(),
                })
                .collect(),
            available: product.inventory.available > 0,
        },
    );
    render(
        &state,
        &req,
        &shop,
        StatusCode::OK,
        "shop/product.html",
        ctx,
    )
}

/// The product as schema.org `Product` JSON-LD, which search engines read for rich results.
/// `<` is written as `\u003c`, so no text of the product can close the script element.
fn structured_data(shop: &Shop, product: &ProductView, req: &HttpRequest) -> String {
    let (name, description) = texts(product, shop.language);
    let cents = product.sale_price_cents.unwrap_or(product.price_cents);
    let data = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": name,
        "description": description,
        "sku": product.sku,
        "gtin": product.gtin,
        "brand": (!product.brand.is_empty()).then(|| serde_json::json!({"@type": "Brand", "name": product.brand})),
        "image": product.images.iter().map(|i| absolute(shop, &i.url)).collect::<Vec<_>>(),
        "offers": {
            "@type": "Offer",
            "url": format!("{}{}", shop.origin, req.path()),
            "price": format!("{}.{:02}", cents / 100, cents % 100),
            "priceCurrency": product.currency,
            "availability": if product.inventory.available > 0 {
                "https://schema.org/InStock"
            } else {
                "https://schema.org/OutOfStock"
            },
        },
    });
    data.to_string().replace('<', "\\u003c")
}

/// An image address as Open Graph wants it: absolute.
fn absolute(shop: &Shop, url: &str) -> String {
    if url.starts_with("http://") || url.starts_with("https://") {
        url.to_owned()
    } else {
        format!("{}{url}", shop.origin)
    }
}

/// The shop's addresses for search engines: home, the list, and its newest active products.
pub async fn sitemap(state: web::Data<AppState>, shop: Shop) -> HttpResponse {
    let (catalog, scope) = (state.catalog.clone(), shop.vendor.scope);
    let Ok(entries) = blocking(move || catalog.sitemap(&scope, SITEMAP_PRODUCTS)).await else {
        return HttpResponse::ServiceUnavailable().finish();
    };
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in ["/", "/products"] {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            shop.absolute(page)
        ));
    }
    for (id, changed) in entries {
        xml.push_str(&format!(
            "  <url><loc>{}</loc><lastmod>{}</lastmod></url>\n",
            shop.absolute(&format!("/products/{}", id.0)),
            changed.format("%Y-%m-%d")
        ));
    }
    xml.push_str("</urlset>\n");
    HttpResponse::Ok()
        .content_type("application/xml; charset=utf-8")
        .body(xml)
}

/// Crawlers are welcome everywhere in a shop reached by its host, and told its sitemap.
pub async fn robots(shop: Shop) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(format!(
            "User-agent: *\nAllow: /\nSitemap: {}\n",
            shop.absolute("/sitemap.xml")
        ))
}
