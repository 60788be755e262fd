//! `wizamart`: the server binary.

use std::net::TcpListener;
use std::process::ExitCode;

use web::{AppState, Config};

#[actix_web::main]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("wizamart: {e}");
            return ExitCode::FAILURE;
        }
    };
    web::init_tracing(config.log_json);
    if config.jwt_secret_generated {
        tracing::warn!(
            "no JWT_SECRET set: using a random one, so sessions end when the server restarts"
        );
    }
    let bind = config.bind_addr;
    let started = web::state::check_database_login(&config)
        .and_then(|()| AppState::build(config))
        .and_then(|state| {
            let listener = TcpListener::bind(bind)?;
            web::serve(state, listener)
        });
    match started {
        Ok(server) => {
            tracing::info!(%bind, "wizamart listening");
            match server.await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    tracing::error!(error = %e, "server stopped");
                    ExitCode::FAILURE
                }
            }
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot start");
            eprintln!("wizamart: {e}");
            ExitCode::FAILURE
        }
    }
}
