//! Inputs and answers of the marketplace API.

use std::sync::LazyLock;

use catalog::Language;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

/// Where an import reads its feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Url,
    Upload,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Url => "url",
            SourceKind::Upload => "upload",
        }
    }
}

/// An import's state: `pending` until a worker takes it, then `processing`, and finally
/// `completed`, `completed_with_errors` (some rows were refused), `failed` (the file could not
/// be read as a feed, or could not be fetched) or `cancelled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    Pending,
    Processing,
    Completed,
    CompletedWithErrors,
    Failed,
    Cancelled,
}

impl ImportStatus {
    pub const ALL: [ImportStatus; 6] = [
        ImportStatus::Pending,
        ImportStatus::Processing,
        ImportStatus::Completed,
        ImportStatus::CompletedWithErrors,
        ImportStatus::Failed,
        ImportStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ImportStatus::Pending => "pending",
            ImportStatus::Processing => "processing",
            ImportStatus::Completed => "completed",
            ImportStatus::CompletedWithErrors => "completed_with_errors",
            ImportStatus::Failed => "failed",
            ImportStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether the import has ended (nothing will change it any more).
    pub fn is_final(self) -> bool {
        !matches!(self, ImportStatus::Pending | ImportStatus::Processing)
    }
}

/// One import of one feed file, with its live counts.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ImportView {
    pub id: i64,
    pub status: ImportStatus,
    pub language: Language,
    pub source_kind: SourceKind,
    /// The address fetched, or the uploaded file's name.
    pub source: String,
    /// Rows read in all (known once the import has ended; see `processed_rows` meanwhile).
    pub total_rows: i64,
    pub processed_rows: i64,
    pub created_count: i64,
    pub updated_count: i64,
    pub unchanged_count: i64,
    pub error_count: i64,
    /// Why a failed import failed.
    pub failure: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// A bad row of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportErrorView {
    /// The line of the file where the row starts (the header is line 1).
    pub row_number: i64,
    /// The column at fault; none when the row as a whole is (wrong number of cells).
    pub column: Option<String>,
    pub message: String,
    /// The row as it was in the file (at most 2,000 characters).
    pub raw: String,
}

/// An http(s) address with an ASCII host name (whose last label starts with a letter) or an
/// IPv4 address, an optional port, and no ASCII space or control character (the same class in
/// JSON Schema's and Rust's regular expressions): every address it admits is one the
/// `url` crate parses, so the OpenAPI pattern and the server agree.
static HTTP_URL: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
    regex::Regex::new("^https?://(([A-Za-z0-9]+(-[A-Za-z0-9]+)*\\.)*[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*|((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]))(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}|0))?([/?#][^\\x00-\\x20\\x7f]*)?$").ok()
});

fn valid_url(url: &str) -> Result<(), ValidationError> {
    if HTTP_URL.as_ref().is_some_and(|r| r.is_match(url)) && url::Url::parse(url).is_ok() {
        Ok(())
    } else {
        Err(ValidationError::new("url").with_message("enter an http:// or https:// address".into()))
    }
}

/// The Letzshop feed address of each language (absent: no feed in that language).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CsvUrls {
    #[validate(length(min = 1, max = 2048), custom(function = "valid_url"))]
    #[schema(
        min_length = 1,
        max_length = 2048,
        pattern = "^https?://(([A-Za-z0-9]+(-[A-Za-z0-9]+)*\\.)*[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*|((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]))(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}|0))?([/?#][^\\x00-\\x20\\x7f]*)?$"
    )]
    pub fr: Option<String>,
    #[validate(length(min = 1, max = 2048), custom(function = "valid_url"))]
    #[schema(
        min_length = 1,
        max_length = 2048,
        pattern = "^https?://(([A-Za-z0-9]+(-[A-Za-z0-9]+)*\\.)*[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*|((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]))(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}|0))?([/?#][^\\x00-\\x20\\x7f]*)?$"
    )]
    pub de: Option<String>,
    #[validate(length(min = 1, max = 2048), custom(function = "valid_url"))]
    #[schema(
        min_length = 1,
        max_length = 2048,
        pattern = "^https?://(([A-Za-z0-9]+(-[A-Za-z0-9]+)*\\.)*[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*|((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]))(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}|0))?([/?#][^\\x00-\\x20\\x7f]*)?$"
    )]
    pub en: Option<String>,
}

impl CsvUrls {
    /// The configured addresses with their languages.
    pub fn each(&self) -> impl Iterator<Item = (Language, &str)> {
        [
            (Language::Fr, &self.fr),
            (Language::De, &self.de),
            (Language::En, &self.en),
        ]
        .into_iter()
        .filter_map(|(l, u)| u.as_deref().map(|u| (l, u)))
    }
}

/// A vendor's marketplace configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    #[validate(nested)]
    pub csv_urls: CsvUrls,
}

/// An import from a feed's address.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UrlImport {
    #[validate(length(min = 1, max = 2048), custom(function = "valid_url"))]
    #[schema(
        min_length = 1,
        max_length = 2048,
        pattern = "^https?://(([A-Za-z0-9]+(-[A-Za-z0-9]+)*\\.)*[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*|((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]))(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}|0))?([/?#][^\\x00-\\x20\\x7f]*)?$",
        example = "https://letzshop.lu/feeds/luxtech_fr.csv"
    )]
    pub source_url: String,
    pub language: Language,
}

/// Paging of a list.
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// From 1; out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub page: Option<i64>,
    /// 1 to 100 (default 20); out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub per_page: Option<i64>,
}

/// A staged product's text in one language.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct StagedText {
    pub language: Language,
    pub title: String,
    pub description: String,
    pub link: Option<String>,
    /// The row as the feed wrote it (every non-empty cell, extra columns included); only on
    /// the single product's page.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub raw: Option<serde_json::Value>,
}

/// A product as the feed describes it, waiting in staging or already published.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct StagedProductView {
    pub id: i64,
    /// The feed's `id`.
    pub external_id: String,
    pub price_cents: i64,
    pub sale_price_cents: Option<i64>,
    pub currency: String,
    pub availability: crate::feed::Availability,
    pub brand: Option<String>,
    pub gtin: Option<String>,
    pub mpn: Option<String>,
    pub condition: catalog::Condition,
    pub image_link: Option<String>,
    pub additional_image_links: Vec<String>,
    pub google_product_category: Option<String>,
    pub product_type: Option<String>,
    pub item_group_id: Option<String>,
    pub color: Option<String>,
    pub size: Option<String>,
    /// The catalogue product it was published as.
    pub product_id: Option<i64>,
    /// When an import of the feed stopped listing it (it is kept, not deleted).
    pub missing_since: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub translations: Vec<StagedText>,
    /// The fields of the published product the vendor changed away from the feed (kept by
    /// re-imports until reset); only on the single product's page of a published product.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overridden: Option<Vec<FeedField>>,
}

/// A field of a published product that re-imports keep up to date with the feed until the
/// vendor changes it (`title` and `description` in every language; `images`: the images given
/// by address, which the vendor changes by removing or reordering them — uploads are extra).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FeedField {
    Price,
    SalePrice,
    Currency,
    Brand,
    Gtin,
    Condition,
    Images,
    Title,
    Description,
}

impl FeedField {
    pub const ALL: [FeedField; 9] = [
        FeedField::Price,
        FeedField::SalePrice,
        FeedField::Currency,
        FeedField::Brand,
        FeedField::Gtin,
        FeedField::Condition,
        FeedField::Images,
        FeedField::Title,
        FeedField::Description,
    ];
}

/// Which overridden fields of a published product to give the feed's values again.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetOverrides {
    /// The fields to reset; every field when absent.
    #[validate(length(min = 1, max = 9, message = "name 1 to 9 fields"))]
    #[schema(min_items = 1, max_items = 9)]
    pub fields: Option<Vec<FeedField>>,
}

/// Filters of the staged products.
#[derive(Debug, Clone, Default, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StagedQuery {
    /// Part of a title (any language) or the start of the feed id, case-insensitive.
    #[validate(length(max = 200))]
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Only products with a text in this language.
    #[param(inline)]
    pub language: Option<Language>,
    #[validate(length(max = 200))]
    #[param(max_length = 200)]
    pub brand: Option<String>,
    #[param(inline)]
    pub availability: Option<crate::feed::Availability>,
    /// Only published (or, with `false`, unpublished) products.
    pub published: Option<bool>,
    /// Only products the feed no longer lists (or, with `false`, those it does).
    pub missing: Option<bool>,
    /// From 1; out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub page: Option<i64>,
    /// 1 to 100 (default 20); out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub per_page: Option<i64>,
}

/// What to change from the feed when publishing one product.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishOverride {
    /// The catalogue SKU; the feed's id when absent (which must then be a valid SKU).
    #[validate(custom(function = "catalog::valid_sku"))]
    #[schema(
        pattern = "^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$",
        min_length = 1,
        max_length = 64
    )]
    pub sku: Option<String>,
    #[validate(range(min = 0, max = catalog::MAX_PRICE_CENTS))]
    #[schema(minimum = 0, maximum = 100_000_000_000.0)]
    pub price_cents: Option<i64>,
    /// The title in the vendor's default language.
    #[validate(length(min = 1, max = 300))]
    #[schema(min_length = 1, max_length = 300)]
    pub title: Option<String>,
    /// The description in the vendor's default language.
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub description: Option<String>,
}

/// Staged products to publish into the catalogue.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Publish {
    #[validate(length(min = 1, max = 500, message = "name 1 to 500 staged products"))]
    #[schema(min_items = 1, max_items = 500)]
    pub ids: Vec<i64>,
    /// Changes per staged product id (as a string key), e.g. `{"17": {"price_cents": 1990}}`.
    #[serde(default)]
    pub overrides: std::collections::HashMap<String, PublishOverride>,
    /// Whether the products are active in the shop at once (default true).
    pub activate: Option<bool>,
    /// Units to record at the default location for each product the feed lists as in stock
    /// (the others get none); when absent no stock is recorded.
    #[validate(range(min = 0, max = 1_000_000))]
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub initial_stock: Option<i32>,
}

/// One published product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Published {
    pub id: i64,
    pub product_id: i64,
}

/// A staged product that could not be published, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PublishFailure {
    pub id: i64,
    pub error: String,
}

/// What publishing did, product by product.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct PublishResult {
    pub published: Vec<Published>,
    /// Staged products already published (nothing changed).
    pub already_published: Vec<i64>,
    pub failed: Vec<PublishFailure>,
}

/// An import as the admin list shows it: whose it is, and the import.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct VendorImportView {
    pub vendor_id: i64,
    pub vendor_code: String,
    #[serde(flatten)]
    pub import: ImportView,
}

/// Filters of the admin list of imports.
#[derive(Debug, Clone, Copy, Default, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AdminImportQuery {
    /// One vendor's imports.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    #[validate(range(min = 1))]
    #[param(minimum = 1)]
    pub vendor: Option<i64>,
    #[param(inline)]
    pub status: Option<ImportStatus>,
    /// From 1; out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub page: Option<i64>,
    /// 1 to 100 (default 20); out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub per_page: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::valid_url;

    #[test]
    fn feed_addresses_are_http_with_a_host_the_url_parser_takes() {
        for ok in [
            "https://letzshop.lu/feeds/luxtech_fr.csv",
            "http://127.0.0.1:8080/feed.csv?lang=fr#x",
            "http://localhost",
            "https://a1-2b.example.lu:443/ä%20b?\u{85}\u{2028}",
        ] {
            assert!(valid_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "ftp://letzshop.lu/feed.csv",
            "https://0.0.0.0.0/feed.csv",
            "https://999999999999/",
            "https://a.1/",
            "https://xn--a/",
            "https://host:65536/",
            "https://feeds example.lu/",
            "https://user@letzshop.lu/",
            "https://[::1]/",
            "https://écharpe.lu/",
        ] {
            assert!(valid_url(bad).is_err(), "{bad}");
        }
    }
}
