//! The server over HTTP, one module per area, in one test binary (one link instead of one per
//! file: the end-to-end build is the slowest part of `make test` and the biggest on disk).
//! Every test starts its own server on its own database, so the modules run in parallel.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

mod admin_audit;
mod admin_dashboard;
mod admin_mass_actions;
mod admin_routes;
mod admin_settings;
mod admin_support;
mod admin_users;
mod api;
mod bulk_import;
mod card_payments;
mod catalog;
mod checkout;
mod domains;
mod export;
mod hardening;
mod hostile_input;
mod images;
mod invitations;
mod marketplace;
mod permissions;
mod shop;
mod shop_accounts;
mod shop_emails;
mod team;
mod vendor_cache;
mod vendor_customers;
mod vendor_dashboard;
mod vendor_orders;
