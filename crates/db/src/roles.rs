//! Roles of one vendor (vendor-owned; row-level security applies).

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::schema::roles;
use crate::{RoleId, VendorId};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = roles, check_for_backend(diesel::pg::Pg))]
pub struct Role {
    pub id: RoleId,
    pub vendor_id: VendorId,
    pub name: String,
    /// PostgreSQL arrays may hold NULLs, so Diesel reads elements as `Option`s; none are
    /// ever written.
    pub permissions: Vec<Option<String>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = roles)]
pub struct NewRole<'a> {
    pub vendor_id: VendorId,
    pub name: &'a str,
    pub permissions: Vec<Option<String>>,
}

pub fn insert_many(conn: &mut PgConnection, new: &[NewRole<'_>]) -> QueryResult<Vec<Role>> {
    diesel::insert_into(roles::table)
        .values(new)
        .returning(Role::as_returning())
        .get_results(conn)
}
