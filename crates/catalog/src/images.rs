//! Product images: what a client sends and sees. The files of uploads are the media crate's;
//! the catalogue keeps their order and their keys.

use std::sync::LazyLock;

use db::ImageId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

/// The most images one product has: enough for every angle, few enough for one page.
pub const MAX_IMAGES: i64 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ImageSource {
    /// An address elsewhere (as marketplace imports bring them); shown as it is.
    Remote,
    /// A file uploaded here, re-encoded to a thumbnail and a large rendition.
    Upload,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImageView {
    #[schema(value_type = i64)]
    pub id: ImageId,
    /// 0 is the main image.
    pub position: i32,
    pub source: ImageSource,
    /// The large rendition (or the remote address).
    pub url: String,
    /// At most 400 pixels a side for uploads (the remote address otherwise).
    pub thumbnail_url: String,
    /// The uploaded original's size in pixels (unknown for remote images).
    pub width: Option<i32>,
    pub height: Option<i32>,
}

/// An image by its address.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoteImage {
    /// An http or https address with a host name or IPv4 address (and perhaps a port); the
    /// rest in printable ASCII (percent-encode anything else, as browsers do).
    #[validate(length(max = 2000), custom(function = "web_address"))]
    #[schema(
        min_length = 8,
        max_length = 2000,
        pattern = "^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][!-~]*)?$"
    )]
    pub url: String,
}

/// The documented pattern, checked as documented (a browser resolves the rest). ASCII classes
/// only, so that every regex dialect (a generated client's, ours) reads it alike.
static WEB_ADDRESS: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
    regex::Regex::new(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][!-~]*)?$").ok()
});

fn web_address(value: &str) -> Result<(), ValidationError> {
    if WEB_ADDRESS.as_ref().is_some_and(|r| r.is_match(value)) {
        Ok(())
    } else {
        Err(ValidationError::new("url").with_message("enter an http:// or https:// address".into()))
    }
}

/// The product's images in their new order: every one of its image ids, each once.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImageOrder {
    #[validate(length(min = 1, max = 20, message = "name the product's 1 to 20 images"))]
    #[schema(value_type = Vec<i64>, min_items = 1, max_items = 20)]
    pub ids: Vec<ImageId>,
}
