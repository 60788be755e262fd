//! Least privilege: the server logs in as `wizamart_server`, a LOGIN role that owns nothing,
//! is no superuser, and whose one membership is the restricted application role — without
//! inheriting it (`NOINHERIT`). Every pooled connection does `SET ROLE wizamart_app`; a
//! statement that tries `RESET ROLE` finds itself with no privilege at all, and
//! `SET ROLE postgres` is refused, so nothing the server sends can step outside row-level
//! security.
//!
//! The owner (the role that runs migrations, `DATABASE_OWNER_URL`) creates the login with
//! [`ensure_server_login`]; `make run` and the tests do it for you.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use crate::Error;

/// The server's login role.
pub const SERVER_LOGIN: &str = "wizamart_server";

/// Creates (or updates) the server's login on the owner's cluster: LOGIN, NOINHERIT, member
/// of `wizamart_app` only; sets `password` when given. Answers the URL the server should use:
/// the owner's URL with the login's user name and password.
pub fn ensure_server_login(owner_url: &str, password: Option<&str>) -> Result<String, Error> {
    let mut conn = PgConnection::establish(owner_url)?;
    // Roles are cluster-wide and tests create this one concurrently from many processes.
    conn.batch_execute(&format!(
        "DO $$ BEGIN
           IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{SERVER_LOGIN}') THEN
             CREATE ROLE {SERVER_LOGIN} LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
           END IF;
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
         END $$;
         GRANT wizamart_app TO {SERVER_LOGIN};"
    ))?;
    if let Some(password) = password {
        // ALTER ROLE takes no bind parameters: PostgreSQL's own format(%L) quotes the value.
        #[derive(QueryableByName)]
        struct Statement {
            #[diesel(sql_type = Text)]
            sql: String,
        }
        let statement = diesel::sql_query(format!(
            "SELECT format('ALTER ROLE {SERVER_LOGIN} PASSWORD %L', $1) AS sql"
        ))
        .bind::<Text, _>(password)
        .get_result::<Statement>(&mut conn)?;
        conn.batch_execute(&statement.sql)?;
    }
    login_url(owner_url, SERVER_LOGIN, password)
}

/// `url` with another user and password.
pub fn login_url(url: &str, user: &str, password: Option<&str>) -> Result<String, Error> {
    let mut parsed =
        url::Url::parse(url).map_err(|e| Error::Config(format!("database URL: {e}")))?;
    let bad = |_| Error::Config("the database URL cannot carry a user".into());
    parsed.set_username(user).map_err(bad)?;
    parsed.set_password(password).map_err(bad)?;
    Ok(parsed.into())
}

/// What the role a connection logged in as may do beyond the application role.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct LoginPrivileges {
    #[diesel(sql_type = Text)]
    pub login: String,
    #[diesel(sql_type = Bool)]
    pub superuser: bool,
    #[diesel(sql_type = Bool)]
    pub bypasses_rls: bool,
    /// It owns (or inherits an owner of) a table in the schema: owners may alter, drop and
    /// truncate, and skip row-level security where it is not forced.
    #[diesel(sql_type = Bool)]
    pub owns_tables: bool,
}

impl LoginPrivileges {
    /// More than the server needs: production refuses to run so.
    pub fn is_excessive(&self) -> bool {
        self.superuser || self.bypasses_rls || self.owns_tables
    }
}

/// Reads the privileges of the connection's login (the session user, whatever role it has
/// switched to since).
pub(crate) fn privileges(conn: &mut PgConnection) -> QueryResult<LoginPrivileges> {
    diesel::sql_query(
        "SELECT session_user::text AS login, r.rolsuper AS superuser, r.rolbypassrls AS bypasses_rls,
                EXISTS (SELECT 1 FROM pg_class c
                        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
                          AND pg_has_role(session_user, c.relowner, 'USAGE')) AS owns_tables
         FROM pg_roles r WHERE r.rolname = session_user",
    )
    .get_result(conn)
}

/// Connects to `database_url` and reads its login's privileges (the server checks its own
/// at start-up).
pub fn inspect(database_url: &str) -> Result<LoginPrivileges, Error> {
    let mut conn = PgConnection::establish(database_url)?;
    Ok(privileges(&mut conn)?)
}
