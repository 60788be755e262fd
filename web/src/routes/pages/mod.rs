//! Server-rendered pages (Tera + Alpine.js) for the admin and vendor portals, and the
//! browser-session endpoints their login forms post to.

pub(crate) mod admin;
mod guard;
mod render;
mod session_api;
pub(crate) mod vendor;

use actix_web::web;
use utoipa_actix_web::service_config::ServiceConfig;

pub use render::not_found_page;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/").route(web::get().to(admin::home)))
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
        .service(web::resource("/admin/vendors/{id}").route(web::get().to(admin::vendor_detail)))
        .service(
            web::resource("/vendor/{code}/login")
                .route(web::get().to(vendor::login_page))
                .default_service(web::to(crate::app::not_found)),
        )
        .service(web::resource("/vendor/{code}/").route(vendor::section("vendor/dashboard.html")))
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
            web::resource("/vendor/{code}/marketplace")
                .route(vendor::section("vendor/marketplace.html")),
        )
        .service(
            web::resource("/vendor/{code}/marketplace/products")
                .route(vendor::section("vendor/staged.html")),
        )
        .service(web::resource("/vendor/{code}").route(web::get().to(vendor::dashboard_redirect)));
}

/// The JSON endpoints behind the login forms; documented in OpenAPI under "browser".
pub fn configure_session_api(cfg: &mut ServiceConfig<'_>) {
    cfg.service(session_api::admin_login)
        .service(session_api::admin_logout)
        .service(session_api::vendor_login)
        .service(session_api::vendor_logout);
}
