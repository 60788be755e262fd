//! The feed parser. A feed is read as a stream — one row in memory at a time, whatever the
//! file's size — and yields each row either as a [`FeedRow`] or as a [`RowError`] naming the
//! row, the columns and what is wrong; a bad row never stops the rest. Only a file that is not
//! a feed at all (empty, binary, an HTML page, no `id`/`title`/`price` columns, an unreadable
//! stream) is a [`FeedError`].

mod columns;
mod sniff;
pub mod values;

use std::collections::HashMap;
use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use catalog::Condition;
use serde_json::{Map, Value};

pub use columns::Column;
use columns::Columns;
pub use values::{Availability, Money};

/// Why a file cannot be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not text (binary data): a product feed is a CSV file")]
    Binary,
    #[error("the file is an HTML page, not a CSV feed: the address may be wrong or need a login")]
    Html,
    #[error("the file is not UTF-8 text: export it as UTF-8 CSV")]
    NotUtf8,
    #[error("the header has no {} column (found: {})", missing.join(", "), found.join(", "))]
    MissingColumns {
        missing: Vec<&'static str>,
        found: Vec<String>,
    },
    #[error("the header names the {0} column twice")]
    DuplicateColumn(&'static str),
    #[error(
        "a row longer than {} bytes: probably a quote that is never closed",
        MAX_ROW_BYTES
    )]
    RowTooLong,
    /// The source stopped at its size limit.
    #[error("{0}")]
    TooLarge(String),
    #[error("the file could not be read: {0}")]
    Read(String),
}

/// One product row of a feed, checked and normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedRow {
    /// The line of the file where the row starts (the header is line 1): what a text editor
    /// shows, and a spreadsheet too unless a cell holds a line break.
    pub row: u64,
    /// The feed's `id`: the product's identity across languages and re-imports.
    pub external_id: String,
    pub title: String,
    pub description: String,
    pub link: Option<String>,
    pub image_link: Option<String>,
    pub additional_image_links: Vec<String>,
    pub availability: Availability,
    pub price: Money,
    pub sale_price: Option<Money>,
    pub brand: Option<String>,
    pub gtin: Option<String>,
    pub mpn: Option<String>,
    pub condition: Condition,
    pub google_product_category: Option<String>,
    pub product_type: Option<String>,
    pub item_group_id: Option<String>,
    pub color: Option<String>,
    pub size: Option<String>,
    /// Every non-empty cell under its header as written, extra columns included.
    pub raw: Map<String, Value>,
}

/// A row that could not be read, with everything wrong in it.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub row: u64,
    pub problems: Vec<Problem>,
    /// The row as a line of the file (re-joined with the file's delimiter).
    pub raw: String,
    /// The row's `id` if it had one, so a report can name the product.
    pub external_id: Option<String>,
}

/// What is wrong with one cell (or, without a column, with the row as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub column: Option<&'static str>,
    pub message: String,
}

/// A row read from a feed.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    Row(Box<FeedRow>),
    Bad(RowError),
}

/// A stream is refused when one row runs past this: no real product row comes close, and it
/// keeps an unclosed quote from pulling the rest of a large file into memory.
pub const MAX_ROW_BYTES: u64 = 1 << 20;

/// How many bytes of the head are read to judge the file and find its delimiter.
const SNIFF_BYTES: u64 = 16 * 1024;

/// Counts the bytes the CSV reader pulls since the last completed row.
struct Metered<R> {
    inner: R,
    since_row: Arc<AtomicU64>,
}

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let total = self.since_row.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
        if total > MAX_ROW_BYTES + SNIFF_BYTES {
            return Err(io::Error::new(io::ErrorKind::InvalidData, RowTooLongMarker));
        }
        Ok(n)
    }
}

#[derive(Debug)]
struct RowTooLongMarker;

impl std::fmt::Display for RowTooLongMarker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("row too long")
    }
}

impl std::error::Error for RowTooLongMarker {}

type Source<R> = Metered<io::Chain<io::Cursor<Vec<u8>>, R>>;

/// A feed being read.
pub struct Feed<R: Read> {
    reader: csv::Reader<Source<R>>,
    columns: Columns,
    delimiter: u8,
    since_row: Arc<AtomicU64>,
    record: csv::ByteRecord,
    seen: HashMap<String, u64>,
}

impl<R: Read> Feed<R> {
    /// Reads the head of `input` and its header; fails if the file is not a feed.
    pub fn open(mut input: R) -> Result<Self, FeedError> {
        let mut head = Vec::with_capacity(SNIFF_BYTES as usize);
        (&mut input)
            .take(SNIFF_BYTES)
            .read_to_end(&mut head)
            .map_err(io_error)?;
        if head.starts_with(sniff::BOM) {
            head.drain(..sniff::BOM.len());
        }
        sniff::check_start(&head)?;
        let delimiter = sniff::delimiter(sniff::first_line(&head));
        let since_row = Arc::new(AtomicU64::new(0));
        let source = Metered {
            inner: io::Cursor::new(head).chain(input),
            since_row: since_row.clone(),
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(source);
        let header = reader.headers().map_err(read_error)?.clone();
        let columns = Columns::from_header(&header)?;
        Ok(Feed {
            reader,
            columns,
            delimiter,
            since_row,
            record: csv::ByteRecord::new(),
            seen: HashMap::new(),
        })
    }

    /// The next row, `None` at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<Parsed>, FeedError> {
        loop {
            if !self
                .reader
                .read_byte_record(&mut self.record)
                .map_err(read_error)?
            {
                return Ok(None);
            }
            self.since_row.store(0, Ordering::Relaxed);
            let row = self.record.position().map_or(0, csv::Position::line);
            // A line of empty cells between rows is not a row.
            if self.record.iter().all(|cell| cell.trim_ascii().is_empty()) {
                continue;
            }
            return Ok(Some(self.parse(row)));
        }
    }

    fn parse(&mut self, row: u64) -> Parsed {
        let record = std::mem::take(&mut self.record);
        let parsed = match Cells::new(&record, &self.columns) {
            Ok(cells) => match cells.read(row) {
                Ok(product) => self.first_time(product),
                Err(problems) => Err((problems, cells.get(Column::Id).trim().to_owned())),
            },
            Err(problem) => Err((vec![problem], String::new())),
        };
        let out = match parsed {
            Ok(product) => Parsed::Row(Box::new(product)),
            Err((problems, id)) => Parsed::Bad(RowError {
                row,
                problems,
                raw: self.raw_line(&record),
                external_id: Some(id).filter(|id| !id.is_empty()),
            }),
        };
        self.record = record;
        out
    }

    /// The row, unless its id already appeared in this file.
    fn first_time(&mut self, product: FeedRow) -> Result<FeedRow, (Vec<Problem>, String)> {
        if let Some(first) = self.seen.get(&product.external_id) {
            let problem = Problem {
                column: Some(Column::Id.name()),
                message: format!(
                    "\"{}\" already appeared on row {first}",
                    product.external_id
                ),
            };
            return Err((vec![problem], product.external_id));
        }
        self.seen.insert(product.external_id.clone(), product.row);
        Ok(product)
    }

    fn raw_line(&self, record: &csv::ByteRecord) -> String {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(self.delimiter)
            .from_writer(Vec::new());
        let line = writer
            .write_byte_record(record)
            .ok()
            .and_then(|()| writer.into_inner().ok())
            .unwrap_or_default();
        String::from_utf8_lossy(&line).trim_end().to_owned()
    }
}

fn read_error(e: csv::Error) -> FeedError {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io_error(io),
        other => FeedError::Read(format!("{other:?}")),
    }
}

/// A source's refusals keep their meaning: a runaway row, a file over the size limit.
fn io_error(e: io::Error) -> FeedError {
    if e.get_ref()
        .is_some_and(|inner| inner.is::<RowTooLongMarker>())
    {
        FeedError::RowTooLong
    } else if e.kind() == io::ErrorKind::FileTooLarge {
        FeedError::TooLarge(e.to_string())
    } else {
        FeedError::Read(e.to_string())
    }
}

/// The longest texts kept, as the catalogue allows them.
const MAX_ID: usize = 100;
const MAX_TITLE: usize = 300;
const MAX_DESCRIPTION: usize = 10_000;
const MAX_SHORT: usize = 200;
const MAX_CATEGORY: usize = 750;

/// A row's cells as text, found by column.
struct Cells<'r> {
    cells: Vec<&'r str>,
    columns: &'r Columns,
}

impl<'r> Cells<'r> {
    fn new(record: &'r csv::ByteRecord, columns: &'r Columns) -> Result<Self, Problem> {
        if record.len() != columns.names.len() {
            return Err(Problem {
                column: None,
                message: format!(
                    "has {} cells where the header has {}",
                    record.len(),
                    columns.names.len()
                ),
            });
        }
        let cells = record
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                std::str::from_utf8(cell).map_err(|_| Problem {
                    column: None,
                    message: format!("the {} cell is not UTF-8 text", columns.names[i]),
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Cells { cells, columns })
    }

    fn get(&self, column: Column) -> &'r str {
        self.columns.at(column).map_or("", |i| self.cells[i])
    }

    /// The cell through `check`, `None` when empty; a failure is noted against the column.
    fn optional<T>(
        &self,
        column: Column,
        problems: &mut Vec<Problem>,
        check: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let cell = self.get(column);
        if cell.trim().is_empty() {
            return None;
        }
        check(cell)
            .map_err(|message| problems.push(problem(column, message)))
            .ok()
    }

    /// The cell through `check`; empty is a problem.
    fn required<T>(
        &self,
        column: Column,
        problems: &mut Vec<Problem>,
        check: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        if self.get(column).trim().is_empty() {
            problems.push(problem(column, "is empty".into()));
            return None;
        }
        self.optional(column, problems, check)
    }

    fn read(&self, row: u64) -> Result<FeedRow, Vec<Problem>> {
        let mut p = Vec::new();
        let text = |max| move |cell: &str| values::text(cell, max);
        let external_id = self.required(Column::Id, &mut p, text(MAX_ID));
        let title = self.required(Column::Title, &mut p, text(MAX_TITLE));
        let description = self.optional(Column::Description, &mut p, text(MAX_DESCRIPTION));
        let link = self.optional(Column::Link, &mut p, values::url);
        let image_link = self.optional(Column::ImageLink, &mut p, values::url);
        let additional_image_links = self
            .optional(Column::AdditionalImageLink, &mut p, |cell| {
                cell.split(',')
                    .filter(|u| !u.trim().is_empty())
                    .map(values::url)
                    .collect::<Result<Vec<_>, _>>()
            })
            .unwrap_or_default();
        let availability = self.required(Column::Availability, &mut p, values::availability);
        let price = self.required(Column::Price, &mut p, values::price);
        let sale_price = self.optional(Column::SalePrice, &mut p, values::price);
        if let (Some(price), Some(sale)) = (price, sale_price) {
            if sale.currency != price.currency {
                p.push(problem(
                    Column::SalePrice,
                    "is in another currency than the price".into(),
                ));
            } else if sale.cents > price.cents {
                p.push(problem(Column::SalePrice, "is above the price".into()));
            }
        }
        let brand = self.optional(Column::Brand, &mut p, text(MAX_SHORT));
        let gtin = self.optional(Column::Gtin, &mut p, values::gtin);
        let mpn = self.optional(Column::Mpn, &mut p, text(MAX_SHORT));
        let condition = self
            .optional(Column::Condition, &mut p, values::condition)
            .unwrap_or_default();
        let google_product_category =
            self.optional(Column::GoogleProductCategory, &mut p, text(MAX_CATEGORY));
        let product_type = self.optional(Column::ProductType, &mut p, text(MAX_CATEGORY));
        let item_group_id = self.optional(Column::ItemGroupId, &mut p, text(MAX_ID));
        let color = self.optional(Column::Color, &mut p, text(MAX_SHORT));
        let size = self.optional(Column::Size, &mut p, text(MAX_SHORT));
        match (external_id, title, availability, price) {
            (Some(external_id), Some(title), Some(availability), Some(price)) if p.is_empty() => {
                Ok(FeedRow {
                    row,
                    external_id,
                    title,
                    description: description.unwrap_or_default(),
                    link,
                    image_link,
                    additional_image_links,
                    availability,
                    price,
                    sale_price,
                    brand,
                    gtin,
                    mpn,
                    condition,
                    google_product_category,
                    product_type,
                    item_group_id,
                    color,
                    size,
                    raw: self.raw(),
                })
            }
            _ => Err(p),
        }
    }

    fn raw(&self) -> Map<String, Value> {
        self.columns
            .names
            .iter()
            .zip(&self.cells)
            .filter(|(_, cell)| !cell.trim().is_empty())
            .map(|(name, cell)| (name.clone(), Value::String((*cell).to_owned())))
            .collect()
    }
}

fn problem(column: Column, message: String) -> Problem {
    Problem {
        column: Some(column.name()),
        message,
    }
}

#[cfg(test)]
mod tests;
