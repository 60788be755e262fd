//! The page an invitation e-mail links to: it reads the invitation from the API and lets the
//! invited person accept it (a new account, or their password), then signs them in to the
//! vendor's dashboard.

use actix_web::{HttpRequest, HttpResponse, web};
use tera::Context;

use super::render::page;
use crate::state::AppState;

/// The link's token goes to the page as it is; the API judges it.
pub async fn invitation(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> HttpResponse {
    let mut ctx = Context::new();
    ctx.insert("token", &token.into_inner());
    page(&state, &req, "invitation.html", ctx)
}
