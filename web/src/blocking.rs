//! Runs synchronous service calls (Diesel, bcrypt) on actix's blocking pool, never on a
//! worker thread.

use actix_web::web;

use crate::error::ApiError;

pub async fn blocking<T, E>(
    f: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    E: Send + 'static,
    ApiError: From<E>,
{
    web::block(f).await?.map_err(ApiError::from)
}
