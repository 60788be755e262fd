//! The HTTP shell of Wizamart: configuration, the actix-web application (JSON API, pages,
//! OpenAPI), middleware and extractors. Business rules live in the domain crates.

pub mod app;
mod blocking;
mod card_checkout;
pub mod config;
pub mod csv_export;
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
pub mod workers;

use std::net::TcpListener;

use actix_web::HttpServer;
use actix_web::dev::Server;

pub use config::Config;
pub use state::{AppState, StartError};

/// Starts serving on `listener` (a bound socket, so tests can use port 0).
pub fn serve(state: AppState, listener: TcpListener) -> Result<Server, StartError> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let server = HttpServer::new(move || app::build(state.clone()))
        .workers(workers)
        .listen(listener)?
        .run();
    Ok(server)
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
