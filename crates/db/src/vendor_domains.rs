//! Vendors' custom domains (vendor-owned; row-level security applies): added by the vendor
//! with a verification token, proven by a DNS TXT record, re-checked on a schedule.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::pagination::{Page, PageRequest};
use crate::schema::{vendor_domains, vendors};
use crate::{PlatformTx, ResolvingTx, TenantTx, VendorId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = vendor_domains, check_for_backend(diesel::pg::Pg))]
pub struct Domain {
    pub id: i64,
    pub vendor_id: VendorId,
    pub domain: String,
    pub verification_token: String,
    pub verified_at: Option<DateTime<Utc>>,
    pub last_checked_at: Option<DateTime<Utc>>,
    pub check_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Finds the vendor owning a custom domain; only a resolving transaction may, as nothing
/// else may read other vendors' domains.
pub fn vendor_for_domain(tx: &mut ResolvingTx<'_>, domain: &str) -> QueryResult<Option<VendorId>> {
    vendor_domains::table
        .filter(vendor_domains::domain.eq(domain.to_lowercase()))
        // A domain routes to its shop only once the vendor proved it owns it.
        .filter(vendor_domains::verified_at.is_not_null())
        .select(vendor_domains::vendor_id)
        .first(tx.conn())
        .optional()
}

/// The handle's vendor's domains, by name.
pub fn list(tx: &mut TenantTx<'_>) -> QueryResult<Vec<Domain>> {
    let vendor_id = tx.vendor_id();
    vendor_domains::table
        .filter(vendor_domains::vendor_id.eq(vendor_id))
        .order(vendor_domains::domain)
        .select(Domain::as_select())
        .load(tx.conn())
}

/// Adds a domain to the handle's vendor; `None` when any vendor has it already (the unique
/// key answers, so two vendors adding it at once cannot both get it).
pub fn insert(tx: &mut TenantTx<'_>, domain: &str, token: &str) -> QueryResult<Option<Domain>> {
    let vendor_id = tx.vendor_id();
    diesel::insert_into(vendor_domains::table)
        .values((
            vendor_domains::vendor_id.eq(vendor_id),
            vendor_domains::domain.eq(domain),
            vendor_domains::verification_token.eq(token),
        ))
        .on_conflict(vendor_domains::domain)
        .do_nothing()
        .returning(Domain::as_returning())
        .get_result(tx.conn())
        .optional()
}

/// One domain of the transaction's scope (a vendor's own, or any for the platform).
pub fn find<S: crate::scope::Scope>(
    tx: &mut crate::Tx<'_, S>,
    id: i64,
) -> QueryResult<Option<Domain>> {
    vendor_domains::table
        .find(id)
        .select(Domain::as_select())
        .first(tx.conn())
        .optional()
}

/// Records a check: verified (keeping the first verification time) or not, with the reason.
pub fn record_check<S: crate::scope::Scope>(
    tx: &mut crate::Tx<'_, S>,
    id: i64,
    verified: bool,
    error: Option<&str>,
) -> QueryResult<Domain> {
    use diesel::dsl::{now, sql};
    use diesel::sql_types::{Nullable, Timestamptz};
    let verified_at = match verified {
        true => sql::<Nullable<Timestamptz>>("coalesce(vendor_domains.verified_at, now())"),
        false => sql::<Nullable<Timestamptz>>("NULL"),
    };
    diesel::update(vendor_domains::table.find(id))
        .set((
            vendor_domains::verified_at.eq(verified_at),
            vendor_domains::last_checked_at.eq(now),
            vendor_domains::check_error.eq(error),
        ))
        .returning(Domain::as_returning())
        .get_result(tx.conn())
}

/// Removes a domain of the transaction's scope; whether there was one.
pub fn delete<S: crate::scope::Scope>(tx: &mut crate::Tx<'_, S>, id: i64) -> QueryResult<bool> {
    diesel::delete(vendor_domains::table.find(id))
        .execute(tx.conn())
        .map(|n| n > 0)
}

/// Every vendor's domains with the vendor's code, newest first; `verified` narrows to the
/// verified (or the pending) ones.
pub fn page_all(
    tx: &mut PlatformTx<'_>,
    verified: Option<bool>,
    page: PageRequest,
) -> QueryResult<Page<(Domain, String)>> {
    let query = || {
        let mut q = vendor_domains::table
            .inner_join(vendors::table)
            .into_boxed();
        match verified {
            Some(true) => q = q.filter(vendor_domains::verified_at.is_not_null()),
            Some(false) => q = q.filter(vendor_domains::verified_at.is_null()),
            None => {}
        }
        q
    };
    let total = query().count().get_result(tx.conn())?;
    let items = query()
        .order(vendor_domains::id.desc())
        .limit(page.per_page)
        .offset(page.offset())
        .select((Domain::as_select(), vendors::code))
        .load(tx.conn())?;
    Ok(Page::new(items, total, page))
}

/// The verified domains after `after` (by id), up to `limit`: the re-check's batches.
pub fn verified_after(tx: &mut PlatformTx<'_>, after: i64, limit: i64) -> QueryResult<Vec<Domain>> {
    vendor_domains::table
        .filter(vendor_domains::verified_at.is_not_null())
        .filter(vendor_domains::id.gt(after))
        .order(vendor_domains::id)
        .limit(limit)
        .select(Domain::as_select())
        .load(tx.conn())
}
