//! The background job queue, for platform administrators: what runs, waits, failed and why.

use actix_web::{get, web};
use db::pagination::Page;
use jobs::{JobQuery, JobView};

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::AdminUser;
use crate::state::AppState;

/// Every job, newest first, with its attempts and last error: in one status or of one kind.
#[utoipa::path(tag = "admin", params(JobQuery), security(("bearer" = [])), responses(
    (status = 200, body = Page<JobView>), (status = 401, body = ErrorBody)))]
#[get("/admin/jobs")]
pub async fn list(
    state: web::Data<AppState>,
    admin: AdminUser,
    query: web::Query<JobQuery>,
) -> Result<web::Json<Page<JobView>>, ApiError> {
    let query = query.into_inner();
    let page = blocking(move || state.job_board.jobs(&admin.scope, &query)).await?;
    Ok(web::Json(page))
}
