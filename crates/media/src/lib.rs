//! Files the platform keeps: uploaded product images, checked by decoding them and re-encoded
//! to fixed renditions ([`images`]), stored through one interface ([`MediaStore`]) that is a
//! local directory on one server and an S3-compatible bucket on several.

pub mod images;
mod store;

pub use images::{ImageError, Prepared};
pub use store::{ImageKey, MediaError, MediaStore, PutStreamError};
