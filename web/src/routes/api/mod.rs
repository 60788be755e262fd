//! The JSON API under `/api/v1`, plus the health probes. Every route here is registered
//! through utoipa-actix-web, so it is in the OpenAPI document by construction.

pub mod admin_audit;
pub mod admin_dashboard;
pub mod admin_domains;
pub mod admin_imports;
pub mod admin_jobs;
pub mod admin_mass_actions;
pub mod admin_settings;
pub mod admin_support;
pub mod admin_users;
pub mod admin_vendors;
pub mod auth;
pub mod card_payments;
pub mod health;
pub mod invitations;
pub mod public_shop;
pub mod shop_accounts;
pub mod shop_orders;
pub mod vendor_customers;
pub mod vendor_dashboard;
pub mod vendor_domains;
pub mod vendor_inventory;
pub mod vendor_marketplace;
pub mod vendor_orders;
pub mod vendor_product_export;
pub mod vendor_product_images;
pub mod vendor_products;
pub mod vendor_settings;
pub mod vendor_team;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(health::health)
        .service(health::live)
        .service(health::ready)
        .service(health::metrics)
        .service(
            scope("/api/v1")
                .service(auth::admin_login)
                .service(auth::vendor_login)
                .service(invitations::preview)
                .service(invitations::accept)
                .service(auth::switch_vendor)
                .service(auth::member_vendors)
                .service(auth::refresh)
                .service(auth::logout)
                .service(auth::me)
                .service(public_shop::shop)
                .service(public_shop::products)
                .service(public_shop::product)
                .service(shop_accounts::register)
                .service(shop_accounts::login)
                .service(crate::routes::pages::session_api::shop_login)
                .service(crate::routes::pages::session_api::shop_logout)
                .service(shop_accounts::request_reset)
                .service(shop_accounts::reset_password)
                .service(shop_accounts::me)
                .service(shop_accounts::update_me)
                .service(shop_accounts::change_password)
                .service(shop_accounts::addresses)
                .service(shop_accounts::add_address)
                .service(shop_accounts::replace_address)
                .service(shop_accounts::delete_address)
                .service(shop_orders::cart)
                .service(shop_orders::add_item)
                .service(shop_orders::set_quantity)
                .service(shop_orders::remove_item)
                .service(shop_orders::clear)
                .service(shop_orders::claim)
                .service(shop_orders::options)
                .service(shop_orders::checkout)
                .service(shop_orders::my_orders)
                .service(shop_orders::my_order)
                .service(shop_orders::pay_by_card)
                .service(admin_audit::list)
                .service(admin_audit::export)
                .service(admin_dashboard::stats)
                .service(admin_imports::list)
                .service(admin_jobs::list)
                .service(admin_settings::list)
                .service(admin_domains::list)
                .service(admin_domains::verify)
                .service(admin_domains::remove)
                .service(vendor_domains::list)
                .service(vendor_domains::add)
                .service(vendor_domains::check)
                .service(vendor_domains::remove)
                .service(admin_support::login_as)
                .service(admin_users::list)
                .service(admin_users::status)
                .service(admin_users::admin_rights)
                .service(admin_users::reset_password)
                .service(admin_settings::set)
                .service(admin_vendors::list)
                .service(admin_vendors::create)
                .service(admin_vendors::bulk_import)
                .service(admin_vendors::bulk_preview)
                .service(admin_mass_actions::start)
                .service(admin_mass_actions::start_all_feeds)
                .service(admin_mass_actions::recent)
                .service(admin_mass_actions::get)
                .service(admin_vendors::bulk_import_status)
                .service(admin_vendors::get)
                .service(admin_vendors::update)
                .service(admin_vendors::verify)
                .service(admin_vendors::status)
                .service(admin_vendors::remove)
                .service(vendor_team::members)
                .service(vendor_team::roles)
                .service(vendor_team::create_role)
                .service(vendor_team::update_role)
                .service(vendor_team::delete_role)
                .service(vendor_team::change_role)
                .service(vendor_team::set_active)
                .service(vendor_team::remove)
                .service(vendor_team::transfer)
                .service(vendor_team::invite)
                .service(vendor_team::invitations)
                .service(vendor_team::revoke_invitation)
                .service(vendor_team::resend_invitation)
                .service(vendor_settings::theme)
                .service(vendor_settings::set_theme)
                .service(vendor_settings::upload_logo)
                .service(vendor_settings::checkout)
                .service(vendor_settings::set_checkout)
                .service(vendor_products::list)
                .service(vendor_products::create)
                .service(vendor_products::bulk_status)
                .service(vendor_product_export::export)
                .service(vendor_products::get)
                .service(vendor_products::update)
                .service(vendor_products::remove)
                .service(vendor_products::toggle_active)
                .service(vendor_products::toggle_featured)
                .service(vendor_product_images::list)
                .service(vendor_product_images::upload)
                .service(vendor_product_images::add_remote)
                .service(vendor_product_images::reorder)
                .service(vendor_product_images::remove)
                .service(vendor_orders::list)
                .service(vendor_orders::export)
                .service(vendor_orders::bulk_status)
                .service(vendor_orders::get)
                .service(vendor_orders::change_status)
                .service(vendor_orders::mark_paid)
                .service(vendor_orders::refund)
                .service(vendor_dashboard::get)
                .service(card_payments::show)
                .service(card_payments::connect)
                .service(card_payments::disconnect)
                .service(card_payments::webhook)
                .service(vendor_customers::list)
                .service(vendor_customers::get)
                .service(vendor_customers::set_active)
                .service(vendor_customers::export)
                .service(vendor_customers::erase)
                .service(vendor_inventory::list)
                .service(vendor_inventory::set)
                .service(vendor_inventory::adjust)
                .service(vendor_inventory::movements)
                .service(vendor_inventory::locations)
                .service(vendor_inventory::create_location)
                .service(vendor_marketplace::import_url)
                .service(vendor_marketplace::import_upload)
                .service(vendor_marketplace::import_all)
                .service(vendor_marketplace::config)
                .service(vendor_marketplace::set_config)
                .service(vendor_marketplace::jobs)
                .service(vendor_marketplace::job)
                .service(vendor_marketplace::errors)
                .service(vendor_marketplace::cancel)
                .service(vendor_marketplace::staged)
                .service(vendor_marketplace::publish)
                .service(vendor_marketplace::reset_overrides)
                .service(vendor_marketplace::staged_product),
        );
}
