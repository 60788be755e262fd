//! Vendors, the tenants. The table is not vendor-owned (it is the list of tenants), so it
//! has no row-level security; deleted vendors are filtered out by every reader here.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::pagination::{Page, PageRequest};
use crate::schema::vendors;
use crate::scope::Scope;
use crate::{PlatformTx, Tx, UserId, VendorId};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = vendors, check_for_backend(diesel::pg::Pg))]
pub struct Vendor {
    pub id: VendorId,
    pub code: String,
    pub name: String,
    pub subdomain: String,
    pub description: String,
    pub business_email: Option<String>,
    pub business_phone: Option<String>,
    pub business_address: Option<String>,
    pub is_active: bool,
    pub is_verified: bool,
    pub owner_user_id: UserId,
    pub theme: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = vendors)]
pub struct NewVendor<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub subdomain: &'a str,
    pub description: &'a str,
    pub business_email: Option<&'a str>,
    pub business_phone: Option<&'a str>,
    pub business_address: Option<&'a str>,
    pub owner_user_id: UserId,
}

/// A partial update: `None` leaves a column as it is; `Some(None)` clears a nullable one.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = vendors)]
pub struct VendorChanges {
    pub name: Option<String>,
    pub subdomain: Option<String>,
    pub description: Option<String>,
    pub business_email: Option<Option<String>>,
    pub business_phone: Option<Option<String>>,
    pub business_address: Option<Option<String>>,
    pub is_active: Option<bool>,
    pub is_verified: Option<bool>,
    pub theme: Option<serde_json::Value>,
}

#[derive(Debug, Default, Clone)]
pub struct VendorFilter {
    /// Matches code, name or subdomain, case-insensitively.
    pub q: Option<String>,
    pub is_active: Option<bool>,
    pub is_verified: Option<bool>,
}

pub fn insert<S: Scope>(tx: &mut Tx<'_, S>, new: &NewVendor<'_>) -> QueryResult<Vendor> {
    diesel::insert_into(vendors::table)
        .values(new)
        .returning(Vendor::as_returning())
        .get_result(tx.conn())
}

/// A vendor that has not been deleted, active or not.
pub fn find<S: Scope>(tx: &mut Tx<'_, S>, id: VendorId) -> QueryResult<Option<Vendor>> {
    vendors::table
        .find(id)
        .filter(vendors::deleted_at.is_null())
        .select(Vendor::as_select())
        .first(tx.conn())
        .optional()
}

pub fn find_by_code<S: Scope>(tx: &mut Tx<'_, S>, code: &str) -> QueryResult<Option<Vendor>> {
    vendors::table
        .filter(vendors::code.eq(code.to_lowercase()))
        .filter(vendors::deleted_at.is_null())
        .select(Vendor::as_select())
        .first(tx.conn())
        .optional()
}

pub fn find_by_subdomain<S: Scope>(
    tx: &mut Tx<'_, S>,
    subdomain: &str,
) -> QueryResult<Option<Vendor>> {
    vendors::table
        .filter(vendors::subdomain.eq(subdomain.to_lowercase()))
        .filter(vendors::deleted_at.is_null())
        .select(Vendor::as_select())
        .first(tx.conn())
        .optional()
}

/// Applies `changes` to a live vendor; `None` when there is no such vendor.
pub fn update<S: Scope>(
    tx: &mut Tx<'_, S>,
    id: VendorId,
    changes: &VendorChanges,
) -> QueryResult<Option<Vendor>> {
    diesel::update(
        vendors::table
            .find(id)
            .filter(vendors::deleted_at.is_null()),
    )
    .set((changes, vendors::updated_at.eq(diesel::dsl::now)))
    .returning(Vendor::as_returning())
    .get_result(tx.conn())
    .optional()
}

/// Marks a vendor deleted and inactive; its code and subdomain stay reserved so links and
/// audit entries never point at a different shop later.
pub fn soft_delete<S: Scope>(tx: &mut Tx<'_, S>, id: VendorId) -> QueryResult<bool> {
    diesel::update(
        vendors::table
            .find(id)
            .filter(vendors::deleted_at.is_null()),
    )
    .set((
        vendors::deleted_at.eq(diesel::dsl::now),
        vendors::is_active.eq(false),
        vendors::updated_at.eq(diesel::dsl::now),
    ))
    .execute(tx.conn())
    .map(|n| n == 1)
}

pub fn search(
    tx: &mut PlatformTx<'_>,
    filter: &VendorFilter,
    page: PageRequest,
) -> QueryResult<Page<Vendor>> {
    let query = || {
        let mut q = vendors::table
            .filter(vendors::deleted_at.is_null())
            .into_boxed();
        if let Some(text) = filter.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let pattern = format!("%{}%", escape_like(text));
            q = q.filter(
                vendors::code
                    .ilike(pattern.clone())
                    .or(vendors::name.ilike(pattern.clone()))
                    .or(vendors::subdomain.ilike(pattern)),
            );
        }
        if let Some(active) = filter.is_active {
            q = q.filter(vendors::is_active.eq(active));
        }
        if let Some(verified) = filter.is_verified {
            q = q.filter(vendors::is_verified.eq(verified));
        }
        q
    };
    let total = query().count().get_result(tx.conn())?;
    let items = query()
        .order(vendors::id.desc())
        .limit(page.per_page)
        .offset(page.offset())
        .select(Vendor::as_select())
        .load(tx.conn())?;
    Ok(Page::new(items, total, page))
}

/// Escapes `%`, `_` and `\` so user text matches literally inside ILIKE.
pub fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Makes `user` the handle's vendor's owner of record (an ownership transfer).
pub fn set_owner(tx: &mut crate::TenantTx<'_>, user: crate::UserId) -> QueryResult<usize> {
    let vendor_id = tx.vendor_id();
    diesel::update(vendors::table.find(vendor_id))
        .set((
            vendors::owner_user_id.eq(user),
            vendors::updated_at.eq(diesel::dsl::now),
        ))
        .execute(tx.conn())
}
