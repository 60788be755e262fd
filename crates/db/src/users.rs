//! Platform users: administrators and vendor team members.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::UserId;
use crate::schema::users;

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

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    /// Lower-cased by the caller (the table's CHECK refuses anything else).
    pub email: &'a str,
    pub password_hash: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub is_platform_admin: bool,
}

pub fn insert(conn: &mut PgConnection, new: &NewUser<'_>) -> QueryResult<User> {
    diesel::insert_into(users::table)
        .values(new)
        .returning(User::as_returning())
        .get_result(conn)
}

pub fn find(conn: &mut PgConnection, id: UserId) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_email(conn: &mut PgConnection, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email.to_lowercase()))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn record_login(conn: &mut PgConnection, id: UserId) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::last_login_at.eq(diesel::dsl::now))
        .execute(conn)
        .map(|_| ())
}

/// Makes a user a platform admin with a new password (used by `xtask create-admin` on an
/// existing account).
pub fn promote_to_admin(
    conn: &mut PgConnection,
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
        .get_result(conn)
}

pub fn count(conn: &mut PgConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

pub fn set_password(conn: &mut PgConnection, id: UserId, password_hash: &str) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(password_hash),
            users::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .map(|_| ())
}
