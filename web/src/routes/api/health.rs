//! Liveness and readiness probes.

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
    let db = state.db.clone();
    web::block(move || db.ping()).await.unwrap_or(false)
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
