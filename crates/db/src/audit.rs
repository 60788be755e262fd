//! The audit log: who did what to which target. An entry about a vendor is written through
//! that vendor's [`TenantTx`], so its vendor id is the transaction's; platform-wide entries
//! (settings, users) through a [`PlatformTx`]; sign-ins through `wz_record_sign_in`, the one
//! function that may write before anyone's scope is known. Admins read it newest first in
//! keyset pages ([`page`]).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Jsonb, Nullable, Text, Timestamptz};

use crate::schema::{audit_logs, users, vendors};
use crate::scope::Scope;
use crate::{PlatformTx, TenantTx, Tx, UserId, VendorId};

/// Who performs an action: the acting user and what the server knows of their request.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: UserId,
    pub ip: Option<String>,
    pub request_id: Option<String>,
    /// The platform admin acting as `user_id` in a support session, written into the entry's
    /// details as `support_admin`.
    pub on_behalf: Option<UserId>,
}

/// What was done: `action` like `vendor.update`, the target's type and id, and details.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: String,
    pub details: serde_json::Value,
}

/// Records `event` against the handle's vendor.
pub fn record(tx: &mut TenantTx<'_>, actor: &Actor, event: Event<'_>) -> QueryResult<()> {
    let vendor = tx.vendor_id();
    insert(tx.conn(), actor, Some(vendor), event)
}

/// Records `event` in the platform scope, about `vendor` if it concerns one.
pub fn record_platform(
    tx: &mut PlatformTx<'_>,
    actor: &Actor,
    vendor: Option<VendorId>,
    event: Event<'_>,
) -> QueryResult<()> {
    insert(tx.conn(), actor, vendor, event)
}

/// Records what a platform job did on its own (no user acted): the request id names the job.
pub fn record_by_job(
    tx: &mut PlatformTx<'_>,
    vendor: Option<VendorId>,
    job: crate::JobId,
    event: Event<'_>,
) -> QueryResult<()> {
    diesel::insert_into(audit_logs::table)
        .values((
            audit_logs::vendor_id.eq(vendor),
            audit_logs::action.eq(event.action),
            audit_logs::target_type.eq(event.target_type),
            audit_logs::target_id.eq(event.target_id),
            audit_logs::details.eq(event.details),
            audit_logs::request_id.eq(format!("job-{}", job.0)),
        ))
        .execute(tx.conn())
        .map(|_| ())
}

/// A sign-in attempt: `auth.login` or `auth.login_failed`, by the user if one matched the
/// e-mail, at the vendor signed in to (none for the admin portal).
#[derive(Debug, Clone)]
pub struct SignIn<'a> {
    pub succeeded: bool,
    pub user: Option<UserId>,
    pub vendor: Option<VendorId>,
    pub email: &'a str,
    pub details: serde_json::Value,
    pub ip: Option<String>,
    pub request_id: Option<String>,
}

/// Records a sign-in attempt from any transaction (see the module docs).
pub fn record_sign_in<S: Scope>(tx: &mut Tx<'_, S>, entry: SignIn<'_>) -> QueryResult<()> {
    let action = if entry.succeeded {
        "auth.login"
    } else {
        "auth.login_failed"
    };
    diesel::sql_query("SELECT wz_record_sign_in($1, $2, $3, $4, $5, $6, $7)")
        .bind::<Nullable<BigInt>, _>(entry.user.map(|u| u.0))
        .bind::<Nullable<BigInt>, _>(entry.vendor.map(|v| v.0))
        .bind::<Text, _>(action)
        .bind::<Text, _>(entry.email)
        .bind::<Jsonb, _>(entry.details)
        .bind::<Nullable<Text>, _>(entry.ip)
        .bind::<Nullable<Text>, _>(entry.request_id)
        .execute(tx.conn())
        .map(|_| ())
}

/// One entry as the admin reads it, with the actor's e-mail and the vendor's code.
#[derive(Debug, Clone, Queryable)]
pub struct EntryRow {
    pub id: i64,
    pub at: DateTime<Utc>,
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

/// What to narrow the log to; every part optional. `action` ending in `.` is a prefix
/// (`team.` for every team change).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub actor: Option<UserId>,
    pub vendor: Option<VendorId>,
    pub action: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// Up to `limit` entries older than `after` (an entry's `(at, id)`), newest first: a keyset
/// page, as fast on the millionth row as on the first.
pub fn page(
    tx: &mut PlatformTx<'_>,
    filter: &Filter,
    after: Option<(DateTime<Utc>, i64)>,
    limit: i64,
) -> QueryResult<Vec<EntryRow>> {
    let mut query = audit_logs::table
        .left_join(users::table)
        .left_join(vendors::table)
        .select((
            audit_logs::id,
            audit_logs::at,
            audit_logs::actor_user_id,
            users::email.nullable(),
            audit_logs::vendor_id,
            vendors::code.nullable(),
            audit_logs::action,
            audit_logs::target_type,
            audit_logs::target_id,
            audit_logs::details,
            audit_logs::ip,
            audit_logs::request_id,
        ))
        .order((audit_logs::at.desc(), audit_logs::id.desc()))
        .limit(limit)
        .into_boxed();
    if let Some(actor) = filter.actor {
        query = query.filter(audit_logs::actor_user_id.eq(actor));
    }
    if let Some(vendor) = filter.vendor {
        query = query.filter(audit_logs::vendor_id.eq(vendor));
    }
    match filter.action.as_deref() {
        Some(prefix) if prefix.ends_with('.') => {
            let pattern = format!("{}%", crate::vendors::escape_like(prefix));
            query = query.filter(audit_logs::action.like(pattern));
        }
        Some(action) => query = query.filter(audit_logs::action.eq(action.to_owned())),
        None => {}
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_logs::at.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(audit_logs::at.lt(to));
    }
    if let Some((at, id)) = after {
        // A row comparison, which PostgreSQL walks straight down the (at, id) indexes.
        query = query.filter(
            diesel::dsl::sql::<Bool>("(audit_logs.at, audit_logs.id) < (")
                .bind::<Timestamptz, _>(at)
                .sql(", ")
                .bind::<BigInt, _>(id)
                .sql(")"),
        );
    }
    query.load(tx.conn())
}

fn insert(
    conn: &mut PgConnection,
    actor: &Actor,
    vendor: Option<VendorId>,
    event: Event<'_>,
) -> QueryResult<()> {
    let mut details = event.details;
    if let (Some(admin), Some(fields)) = (actor.on_behalf, details.as_object_mut()) {
        fields.insert("support_admin".into(), admin.0.into());
    }
    diesel::insert_into(audit_logs::table)
        .values((
            audit_logs::actor_user_id.eq(actor.user_id),
            audit_logs::vendor_id.eq(vendor),
            audit_logs::action.eq(event.action),
            audit_logs::target_type.eq(event.target_type),
            audit_logs::target_id.eq(event.target_id),
            audit_logs::details.eq(details),
            audit_logs::ip.eq(actor.ip.as_deref()),
            audit_logs::request_id.eq(actor.request_id.as_deref()),
        ))
        .execute(conn)
        .map(|_| ())
}
