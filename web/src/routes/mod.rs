//! Routes: the JSON API (`api`) and the server-rendered pages (`pages`).

pub mod api;
pub mod pages;
