//! Routes: the JSON API (`api`), the server-rendered pages (`pages`) and uploaded files
//! (`media`).

pub mod api;
pub mod media;
pub mod pages;
