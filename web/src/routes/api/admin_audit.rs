//! The audit log for platform administrators: every admin action and every security-relevant
//! vendor action, newest first in keyset pages, and as a CSV download.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, web};
use bytes::Bytes;
use platform::{AuditEntry, AuditPage, AuditQuery};

use crate::blocking::blocking;
use crate::csv_export::SafeCsvWriter;
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
    // The first page is read before answering, so a bad filter is still a proper error.
    let first = next_page(&state, &admin, query.clone()).await?;
    let start = Export {
        state,
        admin,
        query,
        pending: Some(first),
        header: true,
    };
    let body = futures_util::stream::unfold(Some(start), |export| async move {
        let mut export = export?;
        let page = match export.pending.take() {
            Some(page) => page,
            None => match next_page(&export.state, &export.admin, export.query.clone()).await {
                Ok(page) => page,
                Err(e) => {
                    tracing::error!(error = %e, "audit export stopped part-way");
                    return Some((Err(actix_web::Error::from(e)), None));
                }
            },
        };
        let chunk = rows(&page.items, export.header);
        export.header = false;
        export.query.after = page.next.clone();
        let more = page.next.is_some();
        match chunk {
            Ok(bytes) => Some((Ok(bytes), more.then_some(export))),
            Err(e) => Some((Err(actix_web::Error::from(e)), None)),
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename("audit-log.csv".into())],
        })
        .streaming(body))
}

/// Where a download stands between pages.
struct Export {
    state: web::Data<AppState>,
    admin: AdminUser,
    query: AuditQuery,
    /// A page read but not yet written.
    pending: Option<AuditPage>,
    header: bool,
}

async fn next_page(
    state: &web::Data<AppState>,
    admin: &AdminUser,
    query: AuditQuery,
) -> Result<AuditPage, ApiError> {
    let (state, scope) = (state.clone(), admin.scope);
    blocking(move || state.audit.page(&scope, &query)).await
}

fn rows(entries: &[AuditEntry], header: bool) -> Result<Bytes, ApiError> {
    let mut out = SafeCsvWriter::new(Vec::new());
    let failed = |e: csv::Error| ApiError::internal(&e);
    if header {
        out.write_record(COLUMNS).map_err(failed)?;
    }
    for e in entries {
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
        .map_err(failed)?;
    }
    out.into_inner().map(Bytes::from).map_err(failed)
}
