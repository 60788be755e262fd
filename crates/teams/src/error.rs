#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    #[error(transparent)]
    Storage(#[from] db::Error),
}

db::storage_error!(TeamError);
