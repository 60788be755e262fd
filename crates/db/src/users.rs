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

/// What the admin narrows the user list to; every part optional.
#[derive(Debug, Clone, Default)]
pub struct UserFilter<'a> {
    /// Part of the e-mail or name.
    pub q: Option<&'a str>,
    pub is_active: Option<bool>,
    pub is_platform_admin: Option<bool>,
    /// Members (active or not) of this vendor.
    pub vendor: Option<crate::VendorId>,
}

/// A page of users, newest first.
pub fn search(
    tx: &mut crate::PlatformTx<'_>,
    filter: &UserFilter<'_>,
    page: crate::pagination::PageRequest,
) -> QueryResult<crate::pagination::Page<User>> {
    use crate::schema::vendor_users;
    let query = || {
        let mut q = users::table.into_boxed();
        if let Some(text) = filter.q {
            let pattern = format!("%{}%", crate::vendors::escape_like(text));
            q = q.filter(
                users::email
                    .ilike(pattern.clone())
                    .or(users::first_name.ilike(pattern.clone()))
                    .or(users::last_name.ilike(pattern)),
            );
        }
        if let Some(active) = filter.is_active {
            q = q.filter(users::is_active.eq(active));
        }
        if let Some(admin) = filter.is_platform_admin {
            q = q.filter(users::is_platform_admin.eq(admin));
        }
        if let Some(vendor) = filter.vendor {
            q = q.filter(
                users::id.eq_any(
                    vendor_users::table
                        .filter(vendor_users::vendor_id.eq(vendor))
                        .select(vendor_users::user_id),
                ),
            );
        }
        q
    };
    let total = query().count().get_result(tx.conn())?;
    let items = query()
        .order(users::id.desc())
        .limit(page.per_page)
        .offset(page.offset())
        .select(User::as_select())
        .load(tx.conn())?;
    Ok(crate::pagination::Page::new(items, total, page))
}

/// Locks the user's row for a change; `None` if there is no such user.
pub fn lock(tx: &mut crate::PlatformTx<'_>, id: UserId) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .for_update()
        .first(tx.conn())
        .optional()
}

/// Locks every active admin's row and answers their ids: two admins switching each other
/// off at once wait for one another, so one active admin always remains.
pub fn lock_active_admins(tx: &mut crate::PlatformTx<'_>) -> QueryResult<Vec<UserId>> {
    users::table
        .filter(users::is_platform_admin.eq(true))
        .filter(users::is_active.eq(true))
        .order(users::id)
        .select(users::id)
        .for_update()
        .load(tx.conn())
}

/// Switches an account on or off.
pub fn set_active(tx: &mut crate::PlatformTx<'_>, id: UserId, active: bool) -> QueryResult<User> {
    diesel::update(users::table.find(id))
        .set((
            users::is_active.eq(active),
            users::updated_at.eq(diesel::dsl::now),
        ))
        .returning(User::as_returning())
        .get_result(tx.conn())
}

/// Grants or revokes platform administration.
pub fn set_platform_admin(
    tx: &mut crate::PlatformTx<'_>,
    id: UserId,
    admin: bool,
) -> QueryResult<User> {
    diesel::update(users::table.find(id))
        .set((
            users::is_platform_admin.eq(admin),
            users::updated_at.eq(diesel::dsl::now),
        ))
        .returning(User::as_returning())
        .get_result(tx.conn())
}
