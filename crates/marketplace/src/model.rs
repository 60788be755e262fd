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

static HTTP_URL: LazyLock<Option<regex::Regex>> =
    LazyLock::new(|| regex::Regex::new("^https?://[^\\s/?#]+([/?#]\\S*)?$").ok());

fn valid_url(url: &str) -> Result<(), ValidationError> {
    if HTTP_URL.as_ref().is_some_and(|r| r.is_match(url)) && url::Url::parse(url).is_ok() {
        Ok(())
    } else {
        Err(ValidationError::new("url").with_message("enter an http:// or https:// address".into()))
    }
}

/// An import from a feed's address.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UrlImport {
    #[validate(length(min = 1, max = 2048), custom(function = "valid_url"))]
    #[schema(
        min_length = 1,
        max_length = 2048,
        pattern = "^https?://[^\\s/?#]+([/?#]\\S*)?$",
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
