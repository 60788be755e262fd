//! A vendor's customers, their address books and password-reset links (vendor-owned;
//! row-level security applies). Accounts are per vendor: every lookup is by the handle's
//! vendor, so the same e-mail at another shop is another account and never found here.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::schema::{customer_addresses, customer_password_resets, customers};
use crate::{AddressId, CustomerId, Email, TenantTx, VendorId};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = customers, check_for_backend(diesel::pg::Pg))]
pub struct Customer {
    pub id: CustomerId,
    pub vendor_id: VendorId,
    pub email: String,
    pub password_hash: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub is_active: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub erased_at: Option<DateTime<Utc>>,
}

pub struct NewCustomer<'a> {
    pub email: &'a Email,
    pub password_hash: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub phone: Option<&'a str>,
}

pub fn insert(tx: &mut TenantTx<'_>, new: &NewCustomer<'_>) -> QueryResult<Customer> {
    let vendor_id = tx.vendor_id();
    diesel::insert_into(customers::table)
        .values((
            customers::vendor_id.eq(vendor_id),
            customers::email.eq(new.email.as_str()),
            customers::password_hash.eq(new.password_hash),
            customers::first_name.eq(new.first_name),
            customers::last_name.eq(new.last_name),
            customers::phone.eq(new.phone),
        ))
        .returning(Customer::as_returning())
        .get_result(tx.conn())
}

pub fn find(tx: &mut TenantTx<'_>, id: CustomerId) -> QueryResult<Option<Customer>> {
    let vendor_id = tx.vendor_id();
    customers::table
        .filter(customers::vendor_id.eq(vendor_id))
        .filter(customers::id.eq(id))
        .select(Customer::as_select())
        .first(tx.conn())
        .optional()
}

pub fn find_by_email(tx: &mut TenantTx<'_>, email: &Email) -> QueryResult<Option<Customer>> {
    let vendor_id = tx.vendor_id();
    customers::table
        .filter(customers::vendor_id.eq(vendor_id))
        .filter(customers::email.eq(email.as_str()))
        .select(Customer::as_select())
        .first(tx.conn())
        .optional()
}

/// Profile fields to change; `None` leaves a field as it is (`Some(None)` clears the phone).
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = customers)]
pub struct CustomerChanges<'a> {
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
    pub phone: Option<Option<&'a str>>,
    pub password_hash: Option<&'a str>,
    pub is_active: Option<bool>,
}

pub fn update(
    tx: &mut TenantTx<'_>,
    id: CustomerId,
    changes: &CustomerChanges<'_>,
) -> QueryResult<Option<Customer>> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        customers::table
            .filter(customers::vendor_id.eq(vendor_id))
            .filter(customers::id.eq(id)),
    )
    .set((changes, customers::updated_at.eq(diesel::dsl::now)))
    .returning(Customer::as_returning())
    .get_result(tx.conn())
    .optional()
}

pub fn record_login(tx: &mut TenantTx<'_>, id: CustomerId) -> QueryResult<()> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        customers::table
            .filter(customers::vendor_id.eq(vendor_id))
            .filter(customers::id.eq(id)),
    )
    .set(customers::last_login_at.eq(diesel::dsl::now))
    .execute(tx.conn())
    .map(|_| ())
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = customer_addresses, check_for_backend(diesel::pg::Pg))]
pub struct Address {
    pub id: AddressId,
    pub customer_id: CustomerId,
    pub label: String,
    pub name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub phone: Option<String>,
    pub is_default_shipping: bool,
    pub is_default_billing: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An address's fields, written whole on create and on update.
#[derive(Debug, AsChangeset, Insertable)]
#[diesel(table_name = customer_addresses)]
pub struct AddressFields<'a> {
    pub label: &'a str,
    pub name: &'a str,
    pub street: &'a str,
    pub postal_code: &'a str,
    pub city: &'a str,
    pub country: &'a str,
    // Written as given: clearing the phone is part of replacing the address.
    #[diesel(treat_none_as_null = true)]
    pub phone: Option<&'a str>,
    pub is_default_shipping: bool,
    pub is_default_billing: bool,
}

pub fn addresses(tx: &mut TenantTx<'_>, customer: CustomerId) -> QueryResult<Vec<Address>> {
    let vendor_id = tx.vendor_id();
    customer_addresses::table
        .filter(customer_addresses::vendor_id.eq(vendor_id))
        .filter(customer_addresses::customer_id.eq(customer))
        .order(customer_addresses::id)
        .select(Address::as_select())
        .load(tx.conn())
}

pub fn count_addresses(tx: &mut TenantTx<'_>, customer: CustomerId) -> QueryResult<i64> {
    let vendor_id = tx.vendor_id();
    customer_addresses::table
        .filter(customer_addresses::vendor_id.eq(vendor_id))
        .filter(customer_addresses::customer_id.eq(customer))
        .count()
        .get_result(tx.conn())
}

pub fn find_address(
    tx: &mut TenantTx<'_>,
    customer: CustomerId,
    id: AddressId,
) -> QueryResult<Option<Address>> {
    let vendor_id = tx.vendor_id();
    customer_addresses::table
        .filter(customer_addresses::vendor_id.eq(vendor_id))
        .filter(customer_addresses::customer_id.eq(customer))
        .filter(customer_addresses::id.eq(id))
        .select(Address::as_select())
        .first(tx.conn())
        .optional()
}

/// Clears the customer's default shipping and/or billing flags (before another address
/// takes them: one default of each kind per customer).
pub fn clear_defaults(
    tx: &mut TenantTx<'_>,
    customer: CustomerId,
    shipping: bool,
    billing: bool,
) -> QueryResult<()> {
    let vendor_id = tx.vendor_id();
    let mine = customer_addresses::table
        .filter(customer_addresses::vendor_id.eq(vendor_id))
        .filter(customer_addresses::customer_id.eq(customer));
    if shipping {
        diesel::update(mine.filter(customer_addresses::is_default_shipping))
            .set(customer_addresses::is_default_shipping.eq(false))
            .execute(tx.conn())?;
    }
    if billing {
        diesel::update(mine.filter(customer_addresses::is_default_billing))
            .set(customer_addresses::is_default_billing.eq(false))
            .execute(tx.conn())?;
    }
    Ok(())
}

pub fn insert_address(
    tx: &mut TenantTx<'_>,
    customer: CustomerId,
    fields: &AddressFields<'_>,
) -> QueryResult<Address> {
    let vendor_id = tx.vendor_id();
    diesel::insert_into(customer_addresses::table)
        .values((
            customer_addresses::vendor_id.eq(vendor_id),
            customer_addresses::customer_id.eq(customer),
            fields,
        ))
        .returning(Address::as_returning())
        .get_result(tx.conn())
}

pub fn update_address(
    tx: &mut TenantTx<'_>,
    customer: CustomerId,
    id: AddressId,
    fields: &AddressFields<'_>,
) -> QueryResult<Option<Address>> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        customer_addresses::table
            .filter(customer_addresses::vendor_id.eq(vendor_id))
            .filter(customer_addresses::customer_id.eq(customer))
            .filter(customer_addresses::id.eq(id)),
    )
    .set((fields, customer_addresses::updated_at.eq(diesel::dsl::now)))
    .returning(Address::as_returning())
    .get_result(tx.conn())
    .optional()
}

pub fn delete_address(
    tx: &mut TenantTx<'_>,
    customer: CustomerId,
    id: AddressId,
) -> QueryResult<bool> {
    let vendor_id = tx.vendor_id();
    diesel::delete(
        customer_addresses::table
            .filter(customer_addresses::vendor_id.eq(vendor_id))
            .filter(customer_addresses::customer_id.eq(customer))
            .filter(customer_addresses::id.eq(id)),
    )
    .execute(tx.conn())
    .map(|n| n > 0)
}

/// Keeps a password-reset link (its hash) for `customer`.
pub fn insert_reset(
    tx: &mut TenantTx<'_>,
    customer: CustomerId,
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> QueryResult<()> {
    let vendor_id = tx.vendor_id();
    diesel::insert_into(customer_password_resets::table)
        .values((
            customer_password_resets::vendor_id.eq(vendor_id),
            customer_password_resets::customer_id.eq(customer),
            customer_password_resets::token_hash.eq(token_hash),
            customer_password_resets::expires_at.eq(expires_at),
        ))
        .execute(tx.conn())
        .map(|_| ())
}

/// Spends a live reset link: marks it used and answers its customer, or `None` for an
/// unknown, used or expired one. One UPDATE, so a link can be spent once however many
/// requests race.
pub fn spend_reset(tx: &mut TenantTx<'_>, token_hash: &str) -> QueryResult<Option<CustomerId>> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        customer_password_resets::table
            .filter(customer_password_resets::vendor_id.eq(vendor_id))
            .filter(customer_password_resets::token_hash.eq(token_hash))
            .filter(customer_password_resets::used_at.is_null())
            .filter(customer_password_resets::expires_at.gt(diesel::dsl::now)),
    )
    .set(customer_password_resets::used_at.eq(diesel::dsl::now))
    .returning(customer_password_resets::customer_id)
    .get_result(tx.conn())
    .optional()
}

/// Spends every live reset link of a customer (after a successful reset or password change,
/// older links must not work).
pub fn spend_all_resets(tx: &mut TenantTx<'_>, customer: CustomerId) -> QueryResult<()> {
    let vendor_id = tx.vendor_id();
    diesel::update(
        customer_password_resets::table
            .filter(customer_password_resets::vendor_id.eq(vendor_id))
            .filter(customer_password_resets::customer_id.eq(customer))
            .filter(customer_password_resets::used_at.is_null()),
    )
    .set(customer_password_resets::used_at.eq(diesel::dsl::now))
    .execute(tx.conn())
    .map(|_| ())
}
