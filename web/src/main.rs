//! `wizamart`: the server binary. `wizamart` serves HTTP and runs `WORKERS` background job
//! workers beside it; `wizamart worker` runs only workers (at least one), e.g. on another
//! machine or to scale imports apart from requests.

use std::net::TcpListener;
use std::process::ExitCode;
use std::time::Duration;

use web::{AppState, Config};

/// How long a stopping process waits for its workers' current jobs.
const WORKER_GRACE: Duration = Duration::from_secs(10);

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
    match std::env::args().nth(1).as_deref() {
        None => serve(config).await,
        Some("worker") => work(config).await,
        Some(other) => {
            eprintln!("wizamart: unknown command '{other}' (run `wizamart` or `wizamart worker`)");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> ExitCode {
    if config.jwt_secret_generated {
        tracing::warn!(
            "no JWT_SECRET set: using a random one, so sessions end when the server restarts"
        );
    }
    let bind = config.bind_addr;
    let workers = config.workers;
    let started = web::state::check_database_login(&config)
        .and_then(|()| AppState::build(config))
        .and_then(|state| {
            let listener = TcpListener::bind(bind)?;
            let running = state.jobs.spawn(workers);
            Ok((web::serve(state, listener)?, running))
        });
    match started {
        Ok((server, running)) => {
            tracing::info!(%bind, workers, "wizamart listening");
            let stopped = server.await;
            running.stop(WORKER_GRACE);
            match stopped {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    tracing::error!(error = %e, "server stopped");
                    ExitCode::FAILURE
                }
            }
        }
        Err(e) => fail(&e),
    }
}

async fn work(config: Config) -> ExitCode {
    let count = config.workers.max(1);
    let state =
        match web::state::check_database_login(&config).and_then(|()| AppState::build(config)) {
            Ok(state) => state,
            Err(e) => return fail(&e),
        };
    let running = state.jobs.spawn(count);
    tracing::info!(workers = count, "wizamart worker running");
    stop_signal().await;
    tracing::info!("stopping workers");
    running.stop(WORKER_GRACE);
    ExitCode::SUCCESS
}

/// SIGINT (Ctrl-C) or SIGTERM (what service managers send).
async fn stop_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, "SIGTERM not watched; stop with Ctrl-C");
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

fn fail(e: &web::StartError) -> ExitCode {
    tracing::error!(error = %e, "cannot start");
    eprintln!("wizamart: {e}");
    ExitCode::FAILURE
}
