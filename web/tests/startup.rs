//! How the server starts: refusals, and readiness while the database is down.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use actix_web::test as http;
use web::{AppState, Config};

#[test]
fn production_refuses_to_start_with_the_development_secret() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_wizamart"))
        .env("APP_ENV", "production")
        .env_remove("JWT_SECRET")
        .env("BIND_ADDR", "127.0.0.1:0")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("JWT_SECRET"), "says what to fix: {stderr}");
}

#[test]
fn production_refuses_a_superuser_database_login() {
    let test = db::test_support::TestDb::new();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_wizamart"))
        .env("APP_ENV", "production")
        .env("JWT_SECRET", "x".repeat(48))
        .env(
            "PAYMENT_SECRETS_KEY",
            "CQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQk=",
        )
        .env("DATABASE_URL", test.url())
        .env("BIND_ADDR", "127.0.0.1:0")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("superuser"), "says what is wrong: {stderr}");
}

#[test]
fn production_refuses_to_start_without_a_payment_secrets_key() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_wizamart"))
        .env("APP_ENV", "production")
        .env("JWT_SECRET", "x".repeat(48))
        .env_remove("PAYMENT_SECRETS_KEY")
        .env("BIND_ADDR", "127.0.0.1:0")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("PAYMENT_SECRETS_KEY"),
        "says what to fix: {stderr}"
    );
}

#[actix_web::test]
async fn readiness_reports_an_unreachable_database_with_503() {
    // Nothing listens on port 1: the server starts all the same and says it is not ready.
    let config = Config {
        bcrypt_cost: 4,
        ..Config::development("postgres://postgres@127.0.0.1:1/nowhere")
    };
    let app = http::init_service(web::app::build(AppState::build(config).unwrap())).await;
    let ready = http::call_service(
        &app,
        http::TestRequest::get().uri("/health/ready").to_request(),
    )
    .await;
    assert_eq!(ready.status().as_u16(), 503);
    let body: serde_json::Value = http::read_body_json(ready).await;
    assert_eq!(
        (body["status"].as_str(), body["database"].as_str()),
        (Some("degraded"), Some("down"))
    );
    let live = http::call_service(
        &app,
        http::TestRequest::get().uri("/health/live").to_request(),
    )
    .await;
    assert_eq!(live.status().as_u16(), 200);
}

#[actix_web::test]
async fn production_answers_carry_hsts_and_development_ones_do_not() {
    for (environment, hsts) in [
        (web::config::Environment::Production, true),
        (web::config::Environment::Development, false),
    ] {
        let config = Config {
            environment,
            jwt_secret: "x".repeat(48),
            jwt_secret_generated: false,
            bcrypt_cost: 4,
            ..Config::development("postgres://postgres@127.0.0.1:1/nowhere")
        };
        let app = http::init_service(web::app::build(AppState::build(config).unwrap())).await;
        let live = http::call_service(
            &app,
            http::TestRequest::get().uri("/health/live").to_request(),
        )
        .await;
        assert_eq!(
            live.headers().contains_key("strict-transport-security"),
            hsts,
            "{environment:?}"
        );
        assert_eq!(live.headers().get("x-frame-options").unwrap(), "DENY");
    }
}
