//! Outbound e-mails (vendor-owned when they come from a shop; the policy lets the job
//! workers and the platform see them too).

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::schema::outbound_emails;
use crate::scope::Scope;
use crate::{TenantTx, Tx, VendorId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbound_emails, check_for_backend(diesel::pg::Pg))]
pub struct OutboundEmail {
    pub id: i64,
    pub vendor_id: Option<VendorId>,
    pub to_address: String,
    pub template: String,
    pub language: String,
    pub context: serde_json::Value,
    pub status: String,
    pub subject: Option<String>,
    pub text_body: Option<String>,
    pub html_body: Option<String>,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

pub struct NewEmail<'a> {
    pub to_address: &'a str,
    pub template: &'a str,
    pub language: &'a str,
    pub context: &'a serde_json::Value,
}

/// Queues an e-mail from the handle's vendor; answers its id.
pub fn insert(tx: &mut TenantTx<'_>, new: &NewEmail<'_>) -> QueryResult<i64> {
    let vendor_id = tx.vendor_id();
    diesel::insert_into(outbound_emails::table)
        .values((
            outbound_emails::vendor_id.eq(vendor_id),
            outbound_emails::to_address.eq(new.to_address),
            outbound_emails::template.eq(new.template),
            outbound_emails::language.eq(new.language),
            outbound_emails::context.eq(new.context),
        ))
        .returning(outbound_emails::id)
        .get_result(tx.conn())
}

pub fn find<S: Scope>(tx: &mut Tx<'_, S>, id: i64) -> QueryResult<Option<OutboundEmail>> {
    outbound_emails::table
        .find(id)
        .select(OutboundEmail::as_select())
        .first(tx.conn())
        .optional()
}

/// What became of an e-mail.
pub struct Outcome<'a> {
    /// `sent`, `logged` or `failed`.
    pub status: &'a str,
    pub subject: Option<&'a str>,
    pub text_body: Option<&'a str>,
    pub html_body: Option<&'a str>,
    pub error: Option<&'a str>,
}

pub fn record<S: Scope>(tx: &mut Tx<'_, S>, id: i64, outcome: &Outcome<'_>) -> QueryResult<()> {
    diesel::update(outbound_emails::table.find(id))
        .set((
            outbound_emails::status.eq(outcome.status),
            outbound_emails::subject.eq(outcome.subject),
            outbound_emails::text_body.eq(outcome.text_body),
            outbound_emails::html_body.eq(outcome.html_body),
            outbound_emails::error.eq(outcome.error),
            outbound_emails::sent_at.eq(diesel::dsl::now),
        ))
        .execute(tx.conn())
        .map(|_| ())
}

/// The handle's vendor's e-mails to `to_address`, newest first (a shop's view of what it
/// sent someone; tests read them too).
pub fn to_address(tx: &mut TenantTx<'_>, to: &str) -> QueryResult<Vec<OutboundEmail>> {
    let vendor_id = tx.vendor_id();
    outbound_emails::table
        .filter(outbound_emails::vendor_id.eq(vendor_id))
        .filter(outbound_emails::to_address.eq(to))
        .order(outbound_emails::id.desc())
        .select(OutboundEmail::as_select())
        .load(tx.conn())
}
