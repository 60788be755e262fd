//! The audit log: who did what to which target (vendor-owned where it names a vendor;
//! entries without a vendor are visible in platform scope only).

use diesel::prelude::*;

use crate::schema::audit_logs;
use crate::{UserId, VendorId};

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_logs)]
pub struct NewAuditLog {
    pub actor_user_id: Option<UserId>,
    pub vendor_id: Option<VendorId>,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub details: serde_json::Value,
    pub ip: Option<String>,
    pub request_id: Option<String>,
}

pub fn insert(conn: &mut PgConnection, entry: &NewAuditLog) -> QueryResult<()> {
    diesel::insert_into(audit_logs::table)
        .values(entry)
        .execute(conn)
        .map(|_| ())
}
