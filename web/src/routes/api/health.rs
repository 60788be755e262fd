//! Liveness and readiness probes, and Prometheus metrics.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// "ok" or "degraded"
    status: &'static str,
    /// "up" or "down"
    database: &'static str,
    version: &'static str,
}

async fn database_up(state: &AppState) -> bool {
    let probe = state.probe.clone();
    web::block(move || probe.ping()).await.unwrap_or(false)
}

/// Overall health: the server answers and whether the database does.
#[utoipa::path(tag = "operations", responses((status = 200, body = Health)))]
#[get("/health")]
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let up = database_up(&state).await;
    HttpResponse::Ok().json(Health {
        status: if up { "ok" } else { "degraded" },
        database: if up { "up" } else { "down" },
        version: env!("CARGO_PKG_VERSION"),
    })
}

/// The process is alive (no dependencies checked).
#[utoipa::path(tag = "operations", responses((status = 200, description = "alive")))]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

/// Ready to serve: 503 while the database is unreachable.
#[utoipa::path(tag = "operations", responses((status = 200, body = Health), (status = 503, body = Health)))]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let up = database_up(&state).await;
    let body = Health {
        status: if up { "ok" } else { "degraded" },
        database: if up { "up" } else { "down" },
        version: env!("CARGO_PKG_VERSION"),
    };
    if up {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

/// Prometheus metrics: requests per route, method and status with their durations, and the
/// database pool's connections.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Prometheus text format", content_type = "text/plain")))]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    use prometheus::Encoder;
    let (open, idle) = state.probe.connections();
    let mut families = state.metrics.registry.gather();
    families.extend(pool_gauges(open, idle));
    let mut body = Vec::new();
    let encoder = prometheus::TextEncoder::new();
    match encoder.encode(&families, &mut body) {
        Ok(()) => HttpResponse::Ok()
            .content_type(encoder.format_type())
            .body(body),
        Err(e) => actix_web::ResponseError::error_response(&crate::error::ApiError::internal(&e)),
    }
}

/// The pool's open and idle connections, read at scrape time.
fn pool_gauges(open: u32, idle: u32) -> Vec<prometheus::proto::MetricFamily> {
    let registry = prometheus::Registry::new();
    for (name, help, value) in [
        (
            "wizamart_db_pool_connections",
            "Open database connections in the pool",
            open,
        ),
        (
            "wizamart_db_pool_idle_connections",
            "Idle database connections in the pool",
            idle,
        ),
    ] {
        if let Ok(gauge) = prometheus::IntGauge::new(name, help) {
            gauge.set(i64::from(value));
            let _ = registry.register(Box::new(gauge));
        }
    }
    registry.gather()
}
