//! The audit log for platform administrators: every admin action and every security-relevant
//! vendor action, newest first in keyset pages, and as a CSV download.

use actix_web::{HttpResponse, get, web};
use platform::{AuditEntry, AuditPage, AuditQuery};

use crate::blocking::blocking;
use crate::csv_export::{SafeCsvWriter, chunk, streamed};
use crate::error::{ApiError, ErrorBody};
use crate::extract::AdminUser;
use crate::state::AppState;

/// Entries per page read for the download.
const EXPORT_BATCH: i64 = 500;

const COLUMNS: [&str; 10] = [
    "at",
    "actor",
    "vendor",
    "action",
    "target_type",
    "target_id",
    "details",
    "ip",
    "request_id",
    "id",
];

/// A page of entries, newest first, narrowed by actor e-mail, vendor code, action (or family
/// `team.`) and period; `next` is the `after` of the following page.
#[utoipa::path(tag = "admin", params(AuditQuery), security(("bearer" = [])), responses(
    (status = 200, body = AuditPage), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/admin/audit-logs")]
pub async fn list(
    state: web::Data<AppState>,
    admin: AdminUser,
    query: web::Query<AuditQuery>,
) -> Result<web::Json<AuditPage>, ApiError> {
    let query = query.into_inner();
    let page = blocking(move || state.audit.page(&admin.scope, &query)).await?;
    Ok(web::Json(page))
}

/// The entries the same filters select, as a CSV file (formula-safe), streamed page by page
/// (`limit` and `after`, checked, do not apply).
#[utoipa::path(tag = "admin", params(AuditQuery), security(("bearer" = [])), responses(
    (status = 200, description = "the entries, streamed", content_type = "text/csv", body = String),
    (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/admin/audit-logs/export")]
pub async fn export(
    state: web::Data<AppState>,
    admin: AdminUser,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    // Checked as given (the page size and position below are the export's own).
    validator::Validate::validate(&query).map_err(|e| ApiError::validation(&e))?;
    let query = AuditQuery {
        limit: Some(EXPORT_BATCH),
        after: None,
        ..query
    };
    let scope = admin.scope;
    let read = move |after: Option<String>| {
        let (state, query) = (
            state.clone(),
            AuditQuery {
                after,
                ..query.clone()
            },
        );
        async move {
            let page = blocking(move || state.audit.page(&scope, &query)).await?;
            chunk(&page.items, row, page.next)
        }
    };
    // The first page is read before answering, so a bad filter is still a proper error.
    let first = read(None).await?;
    streamed("audit-log.csv".into(), &COLUMNS, first, move |after| {
        read(Some(after))
    })
}

/// One entry as a line of the download.
fn row(out: &mut SafeCsvWriter<Vec<u8>>, e: &AuditEntry) -> csv::Result<()> {
    let (at, details, id) = (e.at.to_rfc3339(), e.details.to_string(), e.id.to_string());
    out.write_record([
        at.as_str(),
        e.actor_email.as_deref().unwrap_or(""),
        e.vendor_code.as_deref().unwrap_or(""),
        &e.action,
        &e.target_type,
        &e.target_id,
        &details,
        e.ip.as_deref().unwrap_or(""),
        e.request_id.as_deref().unwrap_or(""),
        &id,
    ])
}
