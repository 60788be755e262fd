//! Server-rendered pages (Tera + Alpine.js) for the admin and vendor portals, and the
//! browser-session endpoints their login forms post to.

pub(crate) mod admin;
mod chart;
mod guard;
mod invitation;
mod render;
pub(crate) mod session_api;
mod shop;
mod shop_account;
pub(crate) mod vendor;
mod vendor_dashboard;
mod vendor_orders;

use std::sync::Arc;

use actix_web::web;
use tenancy::VendorResolver;
use utoipa_actix_web::service_config::ServiceConfig;

pub use render::not_found_page;
pub use shop::not_found as shop_not_found_page;

/// The shop's pages at the root of a vendor's own host (subdomain or custom domain); they come
/// before the platform's routes, which the platform's hosts reach instead.
pub fn configure_shop_hosts(cfg: &mut web::ServiceConfig, resolver: &Arc<dyn VendorResolver>) {
    let routes = [
        ("/", web::get().to(shop::home)),
        ("/products", web::get().to(shop::products)),
        ("/products/{id}", web::get().to(shop::product)),
        ("/cart", web::get().to(shop_account::cart)),
        ("/checkout", web::get().to(shop_account::checkout)),
        ("/account", web::get().to(shop_account::account)),
        ("/account/login", web::get().to(shop_account::login)),
        ("/account/register", web::get().to(shop_account::register)),
        ("/account/reset", web::get().to(shop_account::reset)),
        (
            "/account/orders/{number}",
            web::get().to(shop_account::order),
        ),
        ("/sitemap.xml", web::get().to(shop::sitemap)),
        ("/robots.txt", web::get().to(shop::robots)),
    ];
    for (path, route) in routes {
        cfg.service(
            web::resource(path)
                .guard(crate::shop::VendorHost(resolver.clone()))
                .route(route),
        );
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/").route(web::get().to(admin::home)))
        // The shop by path, on the platform's host.
        .service(web::redirect("/shop/{code}", "/shop/{code}/"))
        .service(web::resource("/shop/{code}/").route(web::get().to(shop::home)))
        .service(web::resource("/shop/{code}/products").route(web::get().to(shop::products)))
        .service(web::resource("/shop/{code}/products/{id}").route(web::get().to(shop::product)))
        .service(web::resource("/shop/{code}/sitemap.xml").route(web::get().to(shop::sitemap)))
        .service(web::resource("/shop/{code}/cart").route(web::get().to(shop_account::cart)))
        .service(
            web::resource("/shop/{code}/checkout").route(web::get().to(shop_account::checkout)),
        )
        .service(web::resource("/shop/{code}/account").route(web::get().to(shop_account::account)))
        .service(
            web::resource("/shop/{code}/account/login").route(web::get().to(shop_account::login)),
        )
        .service(
            web::resource("/shop/{code}/account/register")
                .route(web::get().to(shop_account::register)),
        )
        .service(
            web::resource("/shop/{code}/account/reset").route(web::get().to(shop_account::reset)),
        )
        .service(
            web::resource("/shop/{code}/account/orders/{number}")
                .route(web::get().to(shop_account::order)),
        )
        // The sign-in pages share their paths with documented JSON posts: other methods get
        // 405 with the documented `Allow`.
        .service(
            web::resource("/admin/login")
                .route(web::get().to(admin::login_page))
                .default_service(web::to(crate::app::not_found)),
        )
        .service(web::resource("/admin").route(web::get().to(admin::dashboard)))
        .service(web::redirect("/admin/", "/admin"))
        .service(
            web::resource("/admin/vendors").route(admin::section("admin/vendors.html", "vendors")),
        )
        .service(
            web::resource("/admin/imports").route(admin::section("admin/imports.html", "imports")),
        )
        .service(web::resource("/admin/jobs").route(admin::section("admin/jobs.html", "jobs")))
        .service(web::resource("/admin/audit").route(admin::section("admin/audit.html", "audit")))
        .service(web::resource("/admin/users").route(admin::section("admin/users.html", "users")))
        .service(
            web::resource("/admin/domains").route(admin::section("admin/domains.html", "domains")),
        )
        .service(
            web::resource("/admin/settings")
                .route(admin::section("admin/settings.html", "settings")),
        )
        .service(web::resource("/admin/vendors/{id}").route(web::get().to(admin::vendor_detail)))
        .service(web::resource("/invitations/{token}").route(web::get().to(invitation::invitation)))
        .service(
            web::resource("/vendor/{code}/login")
                .route(web::get().to(vendor::login_page))
                .default_service(web::to(crate::app::not_found)),
        )
        .service(web::resource("/vendor/{code}/").route(web::get().to(vendor_dashboard::dashboard)))
        .service(
            web::resource("/vendor/{code}/products").route(vendor::section("vendor/products.html")),
        )
        .service(
            web::resource("/vendor/{code}/products/new").route(web::get().to(vendor::new_product)),
        )
        .service(
            web::resource("/vendor/{code}/products/{id}").route(web::get().to(vendor::product)),
        )
        .service(
            web::resource("/vendor/{code}/inventory")
                .route(vendor::section("vendor/inventory.html")),
        )
        .service(
            web::resource("/vendor/{code}/settings").route(vendor::section("vendor/settings.html")),
        )
        .service(
            web::resource("/vendor/{code}/settings/payments")
                .route(vendor::section("vendor/payments.html")),
        )
        .service(
            web::resource("/vendor/{code}/settings/domains")
                .route(vendor::section("vendor/domains.html")),
        )
        .service(
            web::resource("/vendor/{code}/marketplace")
                .route(vendor::section("vendor/marketplace.html")),
        )
        .service(
            web::resource("/vendor/{code}/marketplace/products")
                .route(vendor::section("vendor/staged.html")),
        )
        .service(
            web::resource("/vendor/{code}/orders").route(vendor::section("vendor/orders.html")),
        )
        .service(
            web::resource("/vendor/{code}/orders/{number}")
                .route(web::get().to(vendor_orders::order)),
        )
        .service(
            web::resource("/vendor/{code}/orders/{number}/packing-slip")
                .route(vendor_orders::paper("vendor/packing_slip.html")),
        )
        .service(
            web::resource("/vendor/{code}/orders/{number}/invoice")
                .route(vendor_orders::paper("vendor/invoice.html")),
        )
        .service(
            web::resource("/vendor/{code}/customers")
                .route(vendor::section("vendor/customers.html")),
        )
        .service(web::resource("/vendor/{code}/team").route(vendor::section("vendor/team.html")))
        .service(
            web::resource("/vendor/{code}/customers/{id}")
                .route(web::get().to(vendor_orders::customer)),
        )
        .service(web::resource("/vendor/{code}").route(web::get().to(vendor::dashboard_redirect)));
}

/// The JSON endpoints behind the login forms; documented in OpenAPI under "browser".
pub fn configure_session_api(cfg: &mut ServiceConfig<'_>) {
    cfg.service(session_api::admin_login)
        .service(session_api::admin_login_as)
        .service(session_api::admin_login_as_end)
        .service(session_api::admin_logout)
        .service(session_api::vendor_login)
        .service(session_api::vendor_logout)
        .service(session_api::vendor_switch);
}
