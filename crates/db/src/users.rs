//! Platform users: administrators and vendor team members (a platform table: any scope may
//! read it).

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::schema::users;
use crate::scope::Scope;
use crate::{Email, Tx, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub password_hash: String,
    pub first_name: String,
    pub last_name: String,
    pub is_platform_admin: bool,
    pub is_active: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub struct NewUser<'a> {
    pub email: &'a Email,
    pub password_hash: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub is_platform_admin: bool,
}

pub fn insert<S: Scope>(tx: &mut Tx<'_, S>, new: &NewUser<'_>) -> QueryResult<User> {
    diesel::insert_into(users::table)
        .values((
            users::email.eq(new.email.as_str()),
            users::password_hash.eq(new.password_hash),
            users::first_name.eq(new.first_name),
            users::last_name.eq(new.last_name),
            users::is_platform_admin.eq(new.is_platform_admin),
        ))
        .returning(User::as_returning())
        .get_result(tx.conn())
}

pub fn find<S: Scope>(tx: &mut Tx<'_, S>, id: UserId) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(tx.conn())
        .optional()
}

pub fn find_by_email<S: Scope>(tx: &mut Tx<'_, S>, email: &Email) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email.as_str()))
        .select(User::as_select())
        .first(tx.conn())
        .optional()
}

pub fn record_login<S: Scope>(tx: &mut Tx<'_, S>, id: UserId) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::last_login_at.eq(diesel::dsl::now))
        .execute(tx.conn())
        .map(|_| ())
}

/// Makes a user a platform admin with a new password (used by `xtask create-admin` on an
/// existing account).
pub fn promote_to_admin<S: Scope>(
    tx: &mut Tx<'_, S>,
    id: UserId,
    password_hash: &str,
) -> QueryResult<User> {
    diesel::update(users::table.find(id))
        .set((
            users::is_platform_admin.eq(true),
            users::is_active.eq(true),
            users::password_hash.eq(password_hash),
            users::updated_at.eq(diesel::dsl::now),
        ))
        .returning(User::as_returning())
        .get_result(tx.conn())
}

pub fn set_password<S: Scope>(
    tx: &mut Tx<'_, S>,
    id: UserId,
    password_hash: &str,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(password_hash),
            users::updated_at.eq(diesel::dsl::now),
        ))
        .execute(tx.conn())
        .map(|_| ())
}
