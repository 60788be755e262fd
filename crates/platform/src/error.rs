#[derive(Debug, thiserror::Error)]
pub enum PlatformError {
    /// No platform setting has this key.
    #[error("there is no platform setting `{0}`")]
    UnknownSetting(String),
    /// A setting's value of the wrong type or out of range; names the key.
    #[error("{key}: {message}")]
    InvalidSetting { key: String, message: String },
    /// A malformed audit-log page position.
    #[error("the `after` cursor is not one this log gave out")]
    InvalidCursor,
    #[error("mass action not found")]
    MassActionNotFound,
    /// No vendor matches (none has a Letzshop feed configured).
    #[error("no vendor has a Letzshop feed configured")]
    NothingToDo,
    #[error("one action covers at most {0} vendors")]
    TooManyVendors(usize),
    #[error("invalid input")]
    Validation(#[from] validator::ValidationErrors),
    #[error(transparent)]
    Storage(#[from] db::Error),
}

db::storage_error!(PlatformError);
