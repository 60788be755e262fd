//! A vendor's own records of its customers: the list with what each bought (order count and
//! amount spent, summed by SQL over the customer's orders), and erasure on request — the
//! person's data removed from the account, its addresses, its orders and their e-mails, while
//! the orders' amounts stay for the accounts.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};

use crate::schema::{carts, customer_addresses, customer_password_resets, customers};
use crate::{CustomerId, TenantTx};

/// A customer with what they bought.
#[derive(Debug, Clone, QueryableByName)]
pub struct CustomerRecord {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub email: String,
    #[diesel(sql_type = Text)]
    pub first_name: String,
    #[diesel(sql_type = Text)]
    pub last_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub phone: Option<String>,
    #[diesel(sql_type = Bool)]
    pub is_active: bool,
    #[diesel(sql_type = Nullable<diesel::sql_types::Timestamptz>)]
    pub last_login_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub created_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Timestamptz>)]
    pub erased_at: Option<DateTime<Utc>>,
    /// Orders not cancelled.
    #[diesel(sql_type = BigInt)]
    pub order_count: i64,
    /// What those orders came to, less refunds.
    #[diesel(sql_type = BigInt)]
    pub total_spent_cents: i64,
}

/// Filters of the customer list.
#[derive(Debug, Default)]
pub struct CustomerFilter<'a> {
    /// Part of the e-mail or of the name.
    pub search: Option<&'a str>,
    pub active: Option<bool>,
}

const RECORD: &str = "SELECT c.id, c.email, c.first_name, c.last_name, c.phone, c.is_active,
       c.last_login_at, c.created_at, c.erased_at,
       coalesce(s.order_count, 0) AS order_count, coalesce(s.spent, 0)::bigint AS total_spent_cents
FROM customers c
LEFT JOIN LATERAL (
  SELECT count(*) AS order_count, sum(o.total_cents - o.refunded_cents) AS spent
  FROM orders o
  WHERE o.vendor_id = c.vendor_id AND o.customer_id = c.id AND o.status <> 'cancelled'
) s ON true
WHERE c.vendor_id = $1";

const MATCHES: &str =
    " AND ($2::text IS NULL OR c.email ILIKE $2 OR (c.first_name || ' ' || c.last_name) ILIKE $2)
  AND ($3::boolean IS NULL OR c.is_active = $3)";

/// A page of the vendor's customers, newest first, and how many match.
pub fn page(
    tx: &mut TenantTx<'_>,
    filter: &CustomerFilter<'_>,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<CustomerRecord>, i64)> {
    #[derive(QueryableByName)]
    struct Total {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let vendor_id = tx.vendor_id().0;
    let pattern = filter
        .search
        .map(|s| format!("%{}%", crate::vendors::escape_like(s)));
    let rows = diesel::sql_query(format!(
        "{RECORD}{MATCHES} ORDER BY c.id DESC LIMIT $4 OFFSET $5"
    ))
    .bind::<BigInt, _>(vendor_id)
    .bind::<Nullable<Text>, _>(pattern.as_deref())
    .bind::<Nullable<Bool>, _>(filter.active)
    .bind::<BigInt, _>(limit)
    .bind::<BigInt, _>(offset)
    .load::<CustomerRecord>(tx.conn())?;
    let total = diesel::sql_query(format!(
        "SELECT count(*) AS n FROM customers c WHERE c.vendor_id = $1{MATCHES}"
    ))
    .bind::<BigInt, _>(vendor_id)
    .bind::<Nullable<Text>, _>(pattern.as_deref())
    .bind::<Nullable<Bool>, _>(filter.active)
    .get_result::<Total>(tx.conn())?
    .n;
    Ok((rows, total))
}

pub fn find(tx: &mut TenantTx<'_>, id: CustomerId) -> QueryResult<Option<CustomerRecord>> {
    let vendor_id = tx.vendor_id().0;
    diesel::sql_query(format!("{RECORD} AND c.id = $2"))
        .bind::<BigInt, _>(vendor_id)
        .bind::<BigInt, _>(id.0)
        .get_result(tx.conn())
        .optional()
}

/// Opens or closes the account (a closed one cannot sign in, and its sessions end).
pub fn set_active(tx: &mut TenantTx<'_>, id: CustomerId, active: bool) -> QueryResult<usize> {
    let vendor_id = tx.vendor_id();
    let changed = diesel::update(
        customers::table
            .filter(customers::vendor_id.eq(vendor_id))
            .filter(customers::id.eq(id)),
    )
    .set((
        customers::is_active.eq(active),
        customers::updated_at.eq(diesel::dsl::now),
    ))
    .execute(tx.conn())?;
    if !active {
        crate::refresh_tokens::revoke_customer(tx, id)?;
    }
    Ok(changed)
}

/// Erases the person from the account and everything that names them — addresses, reset
/// links, cart, sessions; on their orders (and guest orders under the same e-mail) the e-mail,
/// names, streets, phones and notes, and the e-mails sent about them — keeping the orders'
/// amounts, items and country (VAT) for the accounts.
pub fn erase(tx: &mut TenantTx<'_>, id: CustomerId, email: &str) -> QueryResult<()> {
    let vendor_id = tx.vendor_id();
    let placeholder = format!("erased-{}@erased.invalid", id.0);
    diesel::delete(
        customer_addresses::table
            .filter(customer_addresses::vendor_id.eq(vendor_id))
            .filter(customer_addresses::customer_id.eq(id)),
    )
    .execute(tx.conn())?;
    diesel::update(
        customer_password_resets::table
            .filter(customer_password_resets::vendor_id.eq(vendor_id))
            .filter(customer_password_resets::customer_id.eq(id))
            .filter(customer_password_resets::used_at.is_null()),
    )
    .set(customer_password_resets::used_at.eq(diesel::dsl::now))
    .execute(tx.conn())?;
    diesel::delete(
        carts::table
            .filter(carts::vendor_id.eq(vendor_id))
            .filter(carts::customer_id.eq(id)),
    )
    .execute(tx.conn())?;
    crate::refresh_tokens::revoke_customer(tx, id)?;
    diesel::sql_query(
        "UPDATE outbound_emails SET to_address = $2, context = '{}', subject = NULL,
                text_body = NULL, html_body = NULL
         WHERE vendor_id = $1 AND to_address = $3",
    )
    .bind::<BigInt, _>(vendor_id.0)
    .bind::<Text, _>(&placeholder)
    .bind::<Text, _>(email)
    .execute(tx.conn())?;
    diesel::sql_query(
        "UPDATE orders SET email = $2, notes = '',
                shipping_address = jsonb_build_object('name', 'Erased', 'street', '-', 'postal_code', '-',
                  'city', '-', 'country', shipping_address->>'country'),
                billing_address = jsonb_build_object('name', 'Erased', 'street', '-', 'postal_code', '-',
                  'city', '-', 'country', billing_address->>'country'),
                updated_at = now()
         WHERE vendor_id = $1 AND (customer_id = $3 OR email = $4)",
    )
    .bind::<BigInt, _>(vendor_id.0)
    .bind::<Text, _>(&placeholder)
    .bind::<BigInt, _>(id.0)
    .bind::<Text, _>(email)
    .execute(tx.conn())?;
    diesel::update(
        customers::table
            .filter(customers::vendor_id.eq(vendor_id))
            .filter(customers::id.eq(id)),
    )
    .set((
        customers::email.eq(&placeholder),
        customers::first_name.eq("Erased"),
        customers::last_name.eq("Customer"),
        customers::phone.eq(None::<String>),
        // Matches no password: bcrypt hashes start with `$2`.
        customers::password_hash.eq("!erased"),
        customers::is_active.eq(false),
        customers::erased_at.eq(diesel::dsl::now),
        customers::updated_at.eq(diesel::dsl::now),
    ))
    .execute(tx.conn())?;
    Ok(())
}
