//! Assembles the actix-web application: middleware, JSON error handling, API, OpenAPI
//! document and UI, pages and static files.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::{App, Error, HttpRequest, HttpResponse, middleware, web};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::ApiError;
use crate::openapi::{ApiDoc, RouteTable, add_framework_answers};
use crate::routes;
use crate::state::AppState;

/// Request bodies are small JSON documents; anything larger is refused (413).
const JSON_LIMIT: usize = 256 * 1024;

fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(JSON_LIMIT)
        .error_handler(|err, _req| {
            use actix_web::error::JsonPayloadError as E;
            let api = match &err {
                E::OverflowKnownLength { .. } | E::Overflow { .. } => ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "PAYLOAD_TOO_LARGE",
                    "the request body is too large",
                ),
                E::ContentType => ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "UNSUPPORTED_MEDIA_TYPE",
                    "send the body as application/json",
                ),
                E::Deserialize(e) => ApiError::invalid(
                    "INVALID_JSON",
                    format!("the request body is not valid: {e}"),
                ),
                other => ApiError::invalid(
                    "INVALID_JSON",
                    format!("the request body could not be read: {other}"),
                ),
            };
            api.into()
        })
}

fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| {
        ApiError::invalid(
            "INVALID_QUERY",
            format!("the query string is not valid: {err}"),
        )
        .into()
    })
}

/// Uploads may be up to one image (10 MiB) in all; errors are mapped by the handler (see
/// `ApiError::upload`), since the extractor reports content-type errors past any handler.
fn multipart_config() -> actix_multipart::form::MultipartFormConfig {
    // Room for one image upload (each form's fields carry their own, smaller limits).
    let limit = media::images::MAX_UPLOAD_BYTES + 64 * 1024;
    actix_multipart::form::MultipartFormConfig::default()
        .total_limit(limit)
        .memory_limit(limit)
}

/// A path parameter that does not parse names nothing: 404 — unless the path is a documented
/// literal route asked with the wrong method (`PUT /vendors/bulk-import` reaching
/// `PUT /vendors/{id}`), which is 405.
fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_, req| {
        let refusal = req
            .app_data::<web::Data<RouteTable>>()
            .and_then(|routes| routes.refuse_method(req.method(), req.path()));
        match refusal {
            Some(response) => {
                actix_web::error::InternalError::from_response("method not allowed", response)
                    .into()
            }
            None => ApiError::not_found("resource").into(),
        }
    })
}

/// A documented path asked with another method answers 405 with `Allow`; unknown API paths
/// answer the JSON error shape; unknown pages answer a page.
pub(crate) async fn not_found(
    req: HttpRequest,
    state: web::Data<AppState>,
    routes: web::Data<RouteTable>,
) -> HttpResponse {
    if let Some(refusal) = routes.refuse_method(req.method(), req.path()) {
        return refusal;
    }
    if req.path().starts_with("/api/") {
        actix_web::ResponseError::error_response(&ApiError::not_found("route"))
    } else if state
        .resolver
        .is_vendor_host(&crate::shop::host_of(req.head()))
    {
        // On a shop's own host, a wrong address gets the shop's page, in the shop's look.
        match <crate::shop::Shop as actix_web::FromRequest>::extract(&req).await {
            Ok(shop) => routes::pages::shop_not_found_page(&state, &req, &shop),
            Err(none) => actix_web::ResponseError::error_response(&none),
        }
    } else {
        routes::pages::not_found_page(&req, &state)
    }
}

pub fn build(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    let static_dir = state.config.static_dir.clone();
    let metrics = state.metrics.clone();
    let resolver = state.resolver.clone();
    let (app, mut api) = App::new()
        .app_data(web::Data::new(state))
        .app_data(json_config())
        .app_data(query_config())
        .app_data(path_config())
        .app_data(multipart_config())
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::api::configure)
        .configure(routes::pages::configure_session_api)
        .split_for_parts();
    add_framework_answers(&mut api);
    crate::openapi::forbid_nul_in_strings(&mut api);
    crate::openapi::close_upload_forms(&mut api);
    let routes = web::Data::new(RouteTable::from_doc(&api));
    app.app_data(routes)
        .service(SwaggerUi::new("/docs/{_:.*}").url("/api/openapi.json", api))
        .service(web::redirect("/docs", "/docs/"))
        .service(actix_files::Files::new("/static", static_dir).prefer_utf8(true))
        .configure(routes::media::configure)
        .configure(|cfg| routes::pages::configure_shop_hosts(cfg, &resolver))
        .configure(routes::pages::configure)
        .default_service(web::to(not_found))
        .wrap(middleware::from_fn(crate::change_feed::middleware))
        .wrap(middleware::from_fn(crate::input_guard::middleware))
        .wrap(middleware::from_fn(crate::headers::middleware))
        .wrap(middleware::Compress::default())
        .wrap(metrics)
        .wrap(middleware::from_fn(crate::request_id::middleware))
}
