//! Bulk vendor creation from a CSV file (the product documents' format):
//! `vendor_name, subdomain, owner_name, owner_email, owner_phone, business_address,
//! business_city, business_postal_code, business_country, letzshop_csv_url, initial_password`.
//! Every row is checked on its own: a bad row is reported with its line number and the others
//! are still created.

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::{CreateVendor, CreatedVendor, TenancyError};

/// At most this many vendors per file: each new owner costs one bcrypt hash (about a quarter
/// of a second), so a full file is a job of some twenty minutes.
pub const MAX_ROWS: usize = 5000;
/// The largest file accepted.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// Files of at most this many rows are created within the request (a few seconds); larger
/// ones by a background job the admin follows ([`BulkImportView`]).
pub const SYNC_ROWS: usize = 20;

const REQUIRED: [&str; 3] = ["vendor_name", "owner_name", "owner_email"];

/// One line of the file as written (every column optional, checked below).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Line {
    vendor_name: String,
    subdomain: String,
    owner_name: String,
    owner_email: String,
    owner_phone: String,
    business_address: String,
    business_city: String,
    business_postal_code: String,
    business_country: String,
    letzshop_csv_url: String,
    initial_password: String,
}

impl Line {
    fn has_nul(&self) -> bool {
        [
            &self.vendor_name,
            &self.subdomain,
            &self.owner_name,
            &self.owner_email,
            &self.owner_phone,
            &self.business_address,
            &self.business_city,
            &self.business_postal_code,
            &self.business_country,
            &self.letzshop_csv_url,
            &self.initial_password,
        ]
        .iter()
        .any(|cell| cell.contains('\0'))
    }
}

/// A row ready to create.
#[derive(Debug)]
pub struct BulkRow {
    pub vendor: CreateVendor,
    pub initial_password: Option<String>,
    pub letzshop_csv_urls: serde_json::Value,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct BulkReport {
    pub created: Vec<BulkCreated>,
    pub failed: Vec<BulkFailure>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BulkCreated {
    /// The line of the file (the header is line 1).
    pub row: u64,
    #[serde(flatten)]
    pub created: CreatedVendor,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BulkFailure {
    pub row: u64,
    pub error: String,
}

/// What importing a file would do, found by a rehearsal that writes nothing: the vendors it
/// would create and every row it would refuse, with the reason.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct BulkPreview {
    pub would_create: Vec<BulkPlanned>,
    pub failed: Vec<BulkFailure>,
}

/// A vendor the import would create.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkPlanned {
    /// The line of the file (the header is line 1).
    pub row: u64,
    pub code: String,
    pub name: String,
    pub subdomain: String,
    pub owner_email: String,
    /// Whether the owner gets a new account (else an existing one becomes the owner).
    pub new_owner: bool,
    /// Whether the row names a Letzshop feed (its first import can be started afterwards).
    pub has_feed: bool,
}

impl BulkPlanned {
    pub(crate) fn of(row: u64, created: CreatedVendor, feeds: &serde_json::Value) -> Self {
        Self {
            row,
            code: created.vendor.code,
            name: created.vendor.name,
            subdomain: created.vendor.subdomain,
            owner_email: created.owner.email,
            new_owner: created.temporary_password.is_some(),
            has_feed: feeds.as_object().is_some_and(|f| !f.is_empty()),
        }
    }
}

/// What a bulk import answered: the report of a small file, or the job of a large one.
#[derive(Debug)]
pub enum BulkAnswer {
    Done(BulkReport),
    Queued(BulkImportView),
}

/// A bulk import's state: `pending` until a worker takes it, `processing`, then `completed`
/// (every row created or reported) or `failed` (the import itself could not run).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = BulkImportStatus)]
pub enum BulkStatus {
    Pending,
    Processing,
    Completed,
    Failed,
}

impl BulkStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BulkStatus::Pending => "pending",
            BulkStatus::Processing => "processing",
            BulkStatus::Completed => "completed",
            BulkStatus::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Self {
        [Self::Pending, Self::Processing, Self::Completed]
            .into_iter()
            .find(|x| x.as_str() == s)
            .unwrap_or(Self::Failed)
    }
}

/// A bulk import run by a job, with what its rows came to so far. New owners' temporary
/// passwords appear in `created` on the first read after it ended, and never again.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BulkImportView {
    pub id: i64,
    pub status: BulkStatus,
    pub file_name: String,
    pub total_rows: i32,
    pub processed_rows: i32,
    #[schema(value_type = Vec<BulkCreated>)]
    pub created: serde_json::Value,
    #[schema(value_type = Vec<BulkFailure>)]
    pub failed: serde_json::Value,
    /// Why a failed import could not run.
    pub failure: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub started_at: Option<chrono::DateTime<chrono::Utc>>,
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<db::vendor_bulk_imports::BulkImport> for BulkImportView {
    fn from(i: db::vendor_bulk_imports::BulkImport) -> Self {
        Self {
            id: i.id,
            status: BulkStatus::parse(&i.status),
            file_name: i.file_name,
            total_rows: i.total_rows,
            processed_rows: i.processed_rows,
            created: i.created,
            failed: i.failed,
            failure: i.failure,
            created_at: i.created_at,
            started_at: i.started_at,
            finished_at: i.finished_at,
        }
    }
}

/// A data line's number (the header is line 1) and its row, or what is wrong with it.
pub type ParsedLine = (u64, Result<BulkRow, String>);

/// Reads the file: answers each data line's number with its row or what is wrong with it.
/// A file that cannot be read as a whole (not CSV, missing columns, too large) is refused.
pub fn parse(bytes: &[u8]) -> Result<Vec<ParsedLine>, TenancyError> {
    if bytes.len() > MAX_BYTES {
        return Err(TenancyError::InvalidFile(format!(
            "the file is larger than {} KiB",
            MAX_BYTES / 1024
        )));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| TenancyError::InvalidFile(format!("the header line cannot be read: {e}")))?
        .clone();
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| !headers.iter().any(|h| h == *c))
        .collect();
    if !missing.is_empty() {
        return Err(TenancyError::InvalidFile(format!(
            "missing column(s): {}",
            missing.join(", ")
        )));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        if rows.len() == MAX_ROWS {
            return Err(TenancyError::InvalidFile(format!(
                "more than {MAX_ROWS} rows; split the file"
            )));
        }
        let (line, parsed) = match record {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line());
                let parsed = record
                    .deserialize::<Line>(Some(&headers))
                    .map_err(|e| e.to_string())
                    .and_then(row);
                (line, parsed)
            }
            Err(e) => (
                e.position().map_or(0, |p| p.line()),
                Err(format!("cannot read the line: {e}")),
            ),
        };
        rows.push((line, parsed));
    }
    Ok(rows)
}

fn row(line: Line) -> Result<BulkRow, String> {
    if line.has_nul() {
        return Err("a cell holds a NUL byte, which cannot be stored".to_owned());
    }
    let (first, last) = match line.owner_name.split_once(' ') {
        Some((first, last)) => (first.to_owned(), last.trim().to_owned()),
        None => (line.owner_name.clone(), String::new()),
    };
    let code = if line.subdomain.is_empty() {
        slug(&line.vendor_name)
    } else {
        line.subdomain.to_lowercase()
    };
    let city = [
        line.business_postal_code.as_str(),
        line.business_city.as_str(),
    ]
    .join(" ");
    let address: Vec<&str> = [
        line.business_address.as_str(),
        city.trim(),
        line.business_country.as_str(),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect();
    let initial_password = match line.initial_password.chars().count() {
        0 => None,
        8..=auth::password::MAX_PASSWORD_CHARS => Some(line.initial_password),
        _ => return Err("initial_password: use 8 to 200 characters".to_owned()),
    };
    let letzshop_csv_urls = match line.letzshop_csv_url.as_str() {
        "" => json!({}),
        url if url.starts_with("https://") || url.starts_with("http://") => json!({ "fr": url }),
        _ => return Err("letzshop_csv_url: use an http(s) address".to_owned()),
    };
    Ok(BulkRow {
        vendor: CreateVendor {
            code: code.clone(),
            name: line.vendor_name,
            subdomain: Some(code),
            owner_email: line.owner_email,
            owner_first_name: first,
            owner_last_name: last,
            business_email: None,
            business_phone: Some(line.owner_phone).filter(|p| !p.is_empty()),
            business_address: (!address.is_empty()).then(|| address.join(", ")),
            description: None,
        },
        initial_password,
        letzshop_csv_urls,
    })
}

/// A vendor code from a name: lower-case ASCII letters and digits, other runs become one
/// hyphen ("Boulangerie Esch!" -> "boulangerie-esch").
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-')
        .chars()
        .take(40)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

/// One line describing why a row failed, field by field for validation errors.
pub fn describe(error: &TenancyError) -> String {
    match error {
        TenancyError::Validation(errors) => {
            let fields = errors.field_errors();
            // The code is taken from the subdomain column: report the column the file has.
            let redundant = |field: &str| field == "code" && fields.contains_key("subdomain");
            let mut parts: Vec<String> = fields
                .iter()
                .filter(|(field, _)| !redundant(field))
                .map(|(field, list)| {
                    let messages: Vec<String> = list
                        .iter()
                        .map(|e| {
                            e.message
                                .as_ref()
                                .map_or_else(|| e.code.to_string(), ToString::to_string)
                        })
                        .collect();
                    format!("{field}: {}", messages.join("; "))
                })
                .collect();
            parts.sort();
            parts.join("; ")
        }
        TenancyError::Storage(_)
        | TenancyError::Team(_)
        | TenancyError::Inventory(_)
        | TenancyError::Hashing(_) => "could not be saved; try again".to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "vendor_name,subdomain,owner_name,owner_email,owner_phone,business_address,business_city,business_postal_code,business_country,letzshop_csv_url,initial_password\n";

    #[test]
    fn a_full_row_maps_onto_a_vendor() {
        let file = format!(
            "{HEADER}Boulangerie Esch,,Luc Weber Jr,luc@bakery.lu,+352 1,1 rue Haute,Esch,L-4001,LU,https://letzshop.lu/feed.csv,s3cret-pass\n"
        );
        let rows = parse(file.as_bytes()).unwrap();
        let (line, row) = &rows[0];
        let row = row.as_ref().unwrap();
        assert_eq!(*line, 2);
        assert_eq!(row.vendor.code, "boulangerie-esch");
        assert_eq!(
            (
                row.vendor.owner_first_name.as_str(),
                row.vendor.owner_last_name.as_str()
            ),
            ("Luc", "Weber Jr")
        );
        assert_eq!(
            row.vendor.business_address.as_deref(),
            Some("1 rue Haute, L-4001 Esch, LU")
        );
        assert_eq!(row.initial_password.as_deref(), Some("s3cret-pass"));
        assert_eq!(row.letzshop_csv_urls["fr"], "https://letzshop.lu/feed.csv");
    }

    #[test]
    fn bad_rows_are_reported_with_their_line_and_the_rest_is_kept() {
        let file = format!(
            "{HEADER}A,a-shop,Ann,a@x.lu,,,,,,,short\nB,b-shop,Ben,b@x.lu,,,,,,ftp://x,\nC,c-shop,Cy,c@x.lu\n"
        );
        let rows = parse(file.as_bytes()).unwrap();
        assert_eq!(rows.len(), 3);
        assert!(rows[0].1.as_ref().unwrap_err().contains("initial_password"));
        assert!(rows[1].1.as_ref().unwrap_err().contains("letzshop_csv_url"));
        assert_eq!(rows[2].0, 4);
        assert!(
            rows[2].1.is_err(),
            "a short line is reported, not guessed at"
        );
    }

    #[test]
    fn long_passwords_are_kept_whole_and_nul_cells_are_refused() {
        let long = "é".repeat(37); // 37 characters, 74 bytes: fine
        let too_long = "p".repeat(201);
        let file = format!(
            "{HEADER}A,a-shop,Ann,a@x.lu,,,,,,,{long}\nB,b-shop,B\0n,b@x.lu,,,,,,,\nC,c-shop,Cy,c@x.lu,,,,,,,{too_long}\n"
        );
        let rows = parse(file.as_bytes()).unwrap();
        let first = rows[0].1.as_ref().unwrap();
        assert_eq!(first.initial_password.as_deref(), Some(long.as_str()));
        assert!(rows[1].1.as_ref().unwrap_err().contains("NUL"));
        assert!(rows[2].1.as_ref().unwrap_err().contains("200 characters"));
    }

    #[test]
    fn files_missing_columns_or_too_long_are_refused() {
        assert!(
            matches!(parse(b"name,email\nx,y\n"), Err(TenancyError::InvalidFile(m)) if m.contains("vendor_name"))
        );
        let many = format!("{HEADER}{}", "V,,O,o@x.lu,,,,,,,\n".repeat(MAX_ROWS + 1));
        assert!(matches!(
            parse(many.as_bytes()),
            Err(TenancyError::InvalidFile(_))
        ));
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Boulangerie Esch!"), "boulangerie-esch");
        assert_eq!(slug("  Café & Co "), "caf-co");
    }
}
