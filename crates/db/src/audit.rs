//! The audit log: who did what to which target. The one helper every crate records with:
//! an entry about a vendor is written through that vendor's [`TenantTx`], so its vendor id is
//! the transaction's. (Platform-wide entries without a vendor come with the admin portal.)

use diesel::prelude::*;

use crate::schema::audit_logs;
use crate::{TenantTx, UserId, VendorId};

/// Who performs an action: the acting user and what the server knows of their request.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: UserId,
    pub ip: Option<String>,
    pub request_id: Option<String>,
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

fn insert(
    conn: &mut PgConnection,
    actor: &Actor,
    vendor: Option<VendorId>,
    event: Event<'_>,
) -> QueryResult<()> {
    diesel::insert_into(audit_logs::table)
        .values((
            audit_logs::actor_user_id.eq(actor.user_id),
            audit_logs::vendor_id.eq(vendor),
            audit_logs::action.eq(event.action),
            audit_logs::target_type.eq(event.target_type),
            audit_logs::target_id.eq(event.target_id),
            audit_logs::details.eq(event.details),
            audit_logs::ip.eq(actor.ip.as_deref()),
            audit_logs::request_id.eq(actor.request_id.as_deref()),
        ))
        .execute(conn)
        .map(|_| ())
}
