//! The audit log as admins read it: narrowed by actor (e-mail), vendor (code), action (exact,
//! or every action under a `prefix.`) and period; newest first in keyset pages whose position
//! is an opaque cursor, so the millionth entry comes as fast as the first and nothing is
//! counted.

use chrono::{DateTime, Utc};
use db::audit::{self, Actor, EntryRow, Filter};
use db::{Db, Email, PlatformScope, PlatformTx, TenantScope};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use crate::PlatformError;

/// Entries per page unless asked otherwise, and the most one page may hold.
pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

#[derive(Debug, Clone, Default, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// The e-mail of the user who acted.
    #[validate(length(min = 1, max = 254))]
    #[param(min_length = 1, max_length = 254)]
    pub actor: Option<String>,
    /// The code of the vendor the entry concerns.
    #[validate(length(min = 1, max = 64))]
    #[param(min_length = 1, max_length = 64)]
    pub vendor: Option<String>,
    /// An action (`team.member_role`), or a family of them ending in a dot (`team.`).
    #[validate(custom(function = "valid_action"))]
    #[param(pattern = r"^[a-z_]{1,40}(\.[a-z_]{0,40})?$")]
    pub action: Option<String>,
    /// Entries at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Entries before this instant.
    pub to: Option<DateTime<Utc>>,
    /// The `next` of the previous page.
    #[validate(custom(function = "valid_cursor"))]
    #[param(pattern = r"^[0-9]{1,19}-[0-9]{1,19}$")]
    pub after: Option<String>,
    /// 1 to 500 entries (default 50).
    #[validate(range(min = 1, max = 500))]
    #[param(minimum = 1, maximum = 500)]
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub limit: Option<i64>,
}

/// `word` or `word.word` or `word.` in lower-case letters and underscores.
fn valid_action(value: &str) -> Result<(), ValidationError> {
    let word = |w: &str| w.len() <= 40 && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    let ok = match value.split_once('.') {
        Some((family, rest)) => !family.is_empty() && word(family) && word(rest),
        None => !value.is_empty() && word(value),
    };
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new("action")
            .with_message("an action like team.member_role, or a family like team.".into()))
    }
}

fn valid_cursor(value: &str) -> Result<(), ValidationError> {
    parse_cursor(value).map(|_| ()).map_err(|_| {
        ValidationError::new("cursor").with_message("not a position this log gave out".into())
    })
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// The user who acted (none for a failed sign-in with an unknown e-mail).
    pub actor_user_id: Option<i64>,
    pub actor_email: Option<String>,
    pub vendor_id: Option<i64>,
    pub vendor_code: Option<String>,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub details: serde_json::Value,
    pub ip: Option<String>,
    pub request_id: Option<String>,
}

impl From<EntryRow> for AuditEntry {
    fn from(r: EntryRow) -> Self {
        Self {
            id: r.id,
            at: r.at,
            actor_user_id: r.actor_user_id,
            actor_email: r.actor_email,
            vendor_id: r.vendor_id,
            vendor_code: r.vendor_code,
            action: r.action,
            target_type: r.target_type,
            target_id: r.target_id,
            details: r.details,
            ip: r.ip,
            request_id: r.request_id,
        }
    }
}

/// A page of entries; `next` fetches the older ones (absent on the last page).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub next: Option<String>,
}

/// The admin's reading of the audit log, and the entries the web shell writes itself.
pub trait AuditLog: Send + Sync {
    fn page(&self, scope: &PlatformScope, query: &AuditQuery) -> Result<AuditPage, PlatformError>;

    /// Records that a member downloaded the vendor's `what` (`export.products`,
    /// `export.orders`), with the filters used.
    fn record_export(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        what: &'static str,
        details: serde_json::Value,
    ) -> Result<(), PlatformError>;
}

pub struct PgAuditLog {
    db: Db,
}

impl PgAuditLog {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

impl AuditLog for PgAuditLog {
    fn page(&self, scope: &PlatformScope, query: &AuditQuery) -> Result<AuditPage, PlatformError> {
        query.validate()?;
        let after = query.after.as_deref().map(parse_cursor).transpose()?;
        let limit = query.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
        self.db.platform(scope, |tx| {
            let Some(filter) = resolve(tx, query)? else {
                // An actor or vendor that does not exist has no entries.
                return Ok(AuditPage {
                    items: Vec::new(),
                    next: None,
                });
            };
            // One more than asked tells whether an older page exists.
            let mut rows = audit::page(tx, &filter, after, limit + 1)?;
            let more = i64::try_from(rows.len()).unwrap_or(i64::MAX) > limit;
            rows.truncate(usize::try_from(limit).unwrap_or(0));
            let next = more
                .then(|| rows.last().map(|r| cursor(r.at, r.id)))
                .flatten();
            Ok(AuditPage {
                items: rows.into_iter().map(AuditEntry::from).collect(),
                next,
            })
        })
    }

    fn record_export(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        what: &'static str,
        details: serde_json::Value,
    ) -> Result<(), PlatformError> {
        self.db.tenant(scope, |tx| {
            let vendor = tx.vendor_id();
            audit::record(
                tx,
                actor,
                audit::Event {
                    action: what,
                    target_type: "vendor",
                    target_id: vendor.0.to_string(),
                    details,
                },
            )?;
            Ok(())
        })
    }
}

/// The query's e-mail and vendor code as ids; `None` when either names nobody.
fn resolve(tx: &mut PlatformTx<'_>, query: &AuditQuery) -> Result<Option<Filter>, PlatformError> {
    let mut filter = Filter {
        action: query.action.clone(),
        from: query.from,
        to: query.to,
        ..Filter::default()
    };
    if let Some(email) = &query.actor {
        match db::users::find_by_email(tx, &Email::new(email))? {
            Some(user) => filter.actor = Some(user.id),
            None => return Ok(None),
        }
    }
    if let Some(code) = &query.vendor {
        match db::vendors::find_by_code(tx, code.trim())? {
            Some(vendor) => filter.vendor = Some(vendor.id),
            None => return Ok(None),
        }
    }
    Ok(Some(filter))
}

/// `{microseconds since 1970}-{id}` of the last entry of a page.
fn cursor(at: DateTime<Utc>, id: i64) -> String {
    format!("{}-{id}", at.timestamp_micros())
}

fn parse_cursor(text: &str) -> Result<(DateTime<Utc>, i64), PlatformError> {
    let (micros, id) = text.split_once('-').ok_or(PlatformError::InvalidCursor)?;
    let micros: i64 = micros.parse().map_err(|_| PlatformError::InvalidCursor)?;
    let id: i64 = id.parse().map_err(|_| PlatformError::InvalidCursor)?;
    let at = DateTime::from_timestamp_micros(micros).ok_or(PlatformError::InvalidCursor)?;
    Ok((at, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_as_the_position_it_was_made_of() {
        let at = DateTime::from_timestamp_micros(1_764_556_800_123_456).unwrap_or_default();
        let text = cursor(at, 42);
        assert_eq!(text, "1764556800123456-42");
        assert_eq!(parse_cursor(&text).ok(), Some((at, 42)));
        assert!(matches!(
            parse_cursor("9999999999999999999-1"),
            Err(PlatformError::InvalidCursor)
        ));
        assert!(matches!(
            parse_cursor("1-x"),
            Err(PlatformError::InvalidCursor)
        ));
    }
}
