//! The HTTP shell of Wizamart: configuration, the actix-web application (JSON API, pages,
//! OpenAPI), middleware and extractors. Business rules live in the domain crates.

pub mod app;
mod blocking;
mod card_checkout;
mod change_feed;
pub mod config;
pub mod csv_export;
mod dns;
mod emails;
pub mod error;
mod extract;
mod feed_sources;
mod headers;
mod input_guard;
mod openapi;
pub mod request_id;
mod routes;
mod session;
mod shop;
pub mod shop_cache;
pub mod state;
mod stripe;
mod vendor_cache;
pub mod workers;

use std::net::TcpListener;

use actix_web::HttpServer;
use actix_web::dev::Server;

pub use config::Config;
pub use state::{AppState, StartError};

/// Starts serving on `listener` (a bound socket, so tests can use port 0).
pub fn serve(state: AppState, listener: TcpListener) -> Result<Server, StartError> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    keep_settings_fresh(state.platform_settings.clone());
    let server = HttpServer::new(move || app::build(state.clone()))
        .workers(workers)
        .listen(listener)?
        .run();
    Ok(server)
}

/// How often a server reloads the platform settings, so a change made through another
/// server shows here too.
const SETTINGS_REFRESH: std::time::Duration = std::time::Duration::from_secs(15);

fn keep_settings_fresh(settings: std::sync::Arc<dyn platform::PlatformSettings>) {
    actix_web::rt::spawn(async move {
        let mut every = actix_web::rt::time::interval(SETTINGS_REFRESH);
        loop {
            every.tick().await;
            let settings = settings.clone();
            match actix_web::web::block(move || settings.refresh()).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "platform settings not reloaded"),
                Err(e) => tracing::warn!(error = %e, "platform settings not reloaded"),
            }
        }
    });
}

/// Logs as text in development and as JSON lines in production; `RUST_LOG` overrides the
/// default level.
pub fn init_tracing(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,actix_server=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
