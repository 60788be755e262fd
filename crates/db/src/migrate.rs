//! Embedded migrations, run over a direct connection as the database owner (never through
//! the pool, whose connections are switched to the restricted application role).

use diesel::{Connection, PgConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::Error;

const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

/// Applies every pending migration; answers the versions it applied.
pub fn run_migrations(database_url: &str) -> Result<Vec<String>, Error> {
    let mut conn = PgConnection::establish(database_url)?;
    let applied = conn
        .run_pending_migrations(MIGRATIONS)
        .map_err(|e| Error::Migration(e.to_string()))?;
    Ok(applied.iter().map(|v| v.to_string()).collect())
}

/// Reverts every applied migration, newest first (used by `xtask reset-db` and by the
/// test that proves each `down.sql` undoes its `up.sql`).
pub fn revert_all_migrations(database_url: &str) -> Result<Vec<String>, Error> {
    let mut conn = PgConnection::establish(database_url)?;
    let reverted = conn
        .revert_all_migrations(MIGRATIONS)
        .map_err(|e| Error::Migration(e.to_string()))?;
    Ok(reverted.iter().map(|v| v.to_string()).collect())
}
