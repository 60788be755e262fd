//! The vendor's side of its customers: the list with what each bought, one customer with
//! their addresses, closing and reopening an account, a GDPR export of what the shop holds,
//! and erasure (the person removed, the orders' amounts kept). Changes and exports are
//! audited.

use chrono::{DateTime, Utc};
use db::audit::{self, Actor};
use db::customer_records::{self as repo, CustomerFilter, CustomerRecord};
use db::pagination::{Page, PageRequest};
use db::{CustomerId, TenantScope, TenantTx};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::{AddressView, CustomerError, PgCustomers};

/// Filters of the vendor's customer list.
#[derive(Debug, Clone, Default, Deserialize, Validate, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    /// Part of the e-mail or of the name.
    #[validate(length(min = 1, max = 100))]
    #[param(min_length = 1, max_length = 100)]
    pub q: Option<String>,
    /// Only open (`true`) or closed (`false`) accounts.
    pub active: Option<bool>,
    /// From 1; out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub page: Option<i64>,
    /// 1 to 100 (default 20); out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub per_page: Option<i64>,
}

/// A customer as the vendor's team sees them, with what they bought.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CustomerRecordView {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub is_active: bool,
    /// Set once the customer was erased (nothing names them any more).
    pub erased_at: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Orders placed, cancelled ones aside.
    pub order_count: i64,
    /// What those orders came to, less refunds.
    pub total_spent_cents: i64,
}

impl From<CustomerRecord> for CustomerRecordView {
    fn from(r: CustomerRecord) -> Self {
        Self {
            id: r.id,
            email: r.email,
            first_name: r.first_name,
            last_name: r.last_name,
            phone: r.phone,
            is_active: r.is_active,
            erased_at: r.erased_at,
            last_login_at: r.last_login_at,
            created_at: r.created_at,
            order_count: r.order_count,
            total_spent_cents: r.total_spent_cents,
        }
    }
}

/// One customer with their address book.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CustomerDetail {
    #[serde(flatten)]
    pub customer: CustomerRecordView,
    pub addresses: Vec<AddressView>,
}

/// Opens or closes an account.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountState {
    pub is_active: bool,
}

/// The vendor's side of its customers.
pub trait CustomerRecords: Send + Sync {
    fn list(
        &self,
        scope: &TenantScope,
        query: &CustomerQuery,
    ) -> Result<Page<CustomerRecordView>, CustomerError>;

    fn detail(&self, scope: &TenantScope, id: CustomerId) -> Result<CustomerDetail, CustomerError>;

    /// Closes (sessions end at once) or reopens an account; an erased one stays closed.
    fn set_active(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        id: CustomerId,
        input: &AccountState,
    ) -> Result<CustomerDetail, CustomerError>;

    /// What the shop holds about the customer, for a GDPR access request (audited).
    fn export(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        id: CustomerId,
    ) -> Result<CustomerDetail, CustomerError>;

    /// Erases the customer (see `db::customer_records::erase`); audited without naming them.
    fn erase(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        id: CustomerId,
    ) -> Result<CustomerDetail, CustomerError>;
}

fn detail(tx: &mut TenantTx<'_>, id: CustomerId) -> Result<CustomerDetail, CustomerError> {
    let customer = repo::find(tx, id)?.ok_or(CustomerError::NotFound)?;
    let addresses = db::customers::addresses(tx, id)?;
    Ok(CustomerDetail {
        customer: customer.into(),
        addresses: addresses.into_iter().map(Into::into).collect(),
    })
}

fn record(
    tx: &mut TenantTx<'_>,
    actor: &Actor,
    action: &str,
    id: CustomerId,
    details: serde_json::Value,
) -> Result<(), CustomerError> {
    audit::record(
        tx,
        actor,
        audit::Event {
            action,
            target_type: "customer",
            target_id: id.0.to_string(),
            details,
        },
    )?;
    Ok(())
}

impl CustomerRecords for PgCustomers {
    fn list(
        &self,
        scope: &TenantScope,
        query: &CustomerQuery,
    ) -> Result<Page<CustomerRecordView>, CustomerError> {
        query.validate()?;
        let page = PageRequest::new(query.page, query.per_page);
        let filter = CustomerFilter {
            search: query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()),
            active: query.active,
        };
        let (rows, total) = self.db().tenant(scope, |tx| {
            repo::page(tx, &filter, page.per_page, page.offset())
        })?;
        Ok(Page::new(
            rows.into_iter().map(Into::into).collect(),
            total,
            page,
        ))
    }

    fn detail(&self, scope: &TenantScope, id: CustomerId) -> Result<CustomerDetail, CustomerError> {
        self.db().tenant(scope, |tx| detail(tx, id))
    }

    fn set_active(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        id: CustomerId,
        input: &AccountState,
    ) -> Result<CustomerDetail, CustomerError> {
        self.db().tenant(scope, |tx| {
            let current = repo::find(tx, id)?.ok_or(CustomerError::NotFound)?;
            if current.erased_at.is_some() {
                return Err(CustomerError::Erased);
            }
            repo::set_active(tx, id, input.is_active)?;
            let action = match input.is_active {
                true => "customer.activate",
                false => "customer.deactivate",
            };
            record(tx, actor, action, id, serde_json::json!({}))?;
            detail(tx, id)
        })
    }

    fn export(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        id: CustomerId,
    ) -> Result<CustomerDetail, CustomerError> {
        self.db().tenant(scope, |tx| {
            let found = detail(tx, id)?;
            record(tx, actor, "customer.export", id, serde_json::json!({}))?;
            Ok(found)
        })
    }

    fn erase(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        id: CustomerId,
    ) -> Result<CustomerDetail, CustomerError> {
        self.db().tenant(scope, |tx| {
            let current = repo::find(tx, id)?.ok_or(CustomerError::NotFound)?;
            if current.erased_at.is_some() {
                return Err(CustomerError::Erased);
            }
            repo::erase(tx, id, &current.email)?;
            record(tx, actor, "customer.erase", id, serde_json::json!({}))?;
            detail(tx, id)
        })
    }
}
