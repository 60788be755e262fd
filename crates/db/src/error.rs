//! The storage error every repository call can return.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no database connection available: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("database error: {0}")]
    Query(#[from] DieselError),
    #[error("cannot connect to the database: {0}")]
    Connect(#[from] diesel::ConnectionError),
    #[error("migrations failed: {0}")]
    Migration(String),
    #[error("{0}")]
    Config(String),
    #[error(
        "refusing to use the database login '{0}': it is a superuser, bypasses row-level security or owns tables; log in as the server's own login (see docs/operations.md)"
    )]
    PrivilegedLogin(String),
}

impl Error {
    /// The name of the unique constraint this error violated, if it is such a violation;
    /// domain crates turn it into "code taken", "e-mail taken" and the like.
    pub fn unique_violation(&self) -> Option<&str> {
        match self {
            Error::Query(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info)) => {
                info.constraint_name()
            }
            _ => None,
        }
    }
}

impl Error {
    /// PostgreSQL refused a NUL character in text (it cannot store one): bad input, not a
    /// failure of ours. The input guard in `web` refuses most before they get here.
    pub fn is_nul_refusal(&self) -> bool {
        matches!(self, Error::Query(DieselError::DatabaseError(_, info))
            if info.message().contains("0x00"))
    }
}

/// Lets a scoped transaction whose closure returns a plain `QueryResult` report a pool
/// failure too (the pool error is carried as a boxed source).
impl From<Error> for DieselError {
    fn from(e: Error) -> Self {
        match e {
            Error::Query(inner) => inner,
            other => DieselError::QueryBuilderError(Box::new(other)),
        }
    }
}
