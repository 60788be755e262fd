//! Uploaded images, served from the media store by this server (`MEDIA_PUBLIC_URL` may point
//! clients at a bucket or CDN instead). Only names the media crate makes are looked up; each
//! name's content never changes, so browsers and proxies keep it for a year.

use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::{HttpRequest, HttpResponse, web};
use media::ImageKey;

use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/media/{name:.*}", web::get().to(file));
}

async fn file(
    req: HttpRequest,
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let name = name.into_inner();
    let found = if ImageKey::is_file_name(&name) {
        state.media.get(&name).await?
    } else {
        None
    };
    let Some(bytes) = found else {
        return Ok(crate::routes::pages::not_found_page(&req, &state));
    };
    Ok(HttpResponse::Ok()
        .content_type("image/jpeg")
        .insert_header(CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(31_536_000),
            CacheDirective::Extension("immutable".into(), None),
        ]))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(bytes))
}
