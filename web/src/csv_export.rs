//! Every CSV download of the platform (catalogue, orders, audit log) goes through here: one
//! writer that neutralises every cell a spreadsheet would run as a formula, so an exported
//! product title like `=HYPERLINK(...)` stays text when a shop owner opens the file; and one
//! way of sending a file while it is read, page by page, so no download sits in memory.

use std::future::Future;
use std::io::Write;

use actix_web::HttpResponse;
use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use bytes::Bytes;
use futures_util::Stream;

use crate::error::ApiError;

/// Wraps a `csv::Writer`; cells go through [`neutralise`] on the way out.
pub struct SafeCsvWriter<W: Write> {
    inner: csv::Writer<W>,
}

impl<W: Write> SafeCsvWriter<W> {
    pub fn new(out: W) -> Self {
        Self {
            inner: csv::Writer::from_writer(out),
        }
    }

    pub fn write_record<'a>(
        &mut self,
        cells: impl IntoIterator<Item = &'a str>,
    ) -> csv::Result<()> {
        self.inner
            .write_record(cells.into_iter().map(|c| neutralise(c).into_owned()))
    }

    pub fn into_inner(self) -> Result<W, csv::Error> {
        self.inner
            .into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))
    }
}

/// Some rows of a download, written, and where the rows after them start (`None`: the last).
pub struct Chunk<C> {
    pub bytes: Bytes,
    pub next: Option<C>,
}

/// Answers a CSV file that is sent while it is read, so a download of any size never sits in
/// memory: the `columns` line and `first` (read before answering, so a failure then is still a
/// proper error answer), then `read(next)` chunk after chunk until one says it was the last. A
/// failure part-way can only cut the download short; it is logged.
pub fn streamed<C, F, Fut>(
    file_name: String,
    columns: &[&str],
    first: Chunk<C>,
    read: F,
) -> Result<HttpResponse, ApiError>
where
    C: 'static,
    F: FnMut(C) -> Fut + 'static,
    Fut: Future<Output = Result<Chunk<C>, ApiError>> + 'static,
{
    let header = written(std::iter::once(columns), |out, line| {
        out.write_record(line.iter().copied())
    })?;
    let first = Chunk {
        bytes: [&header[..], &first.bytes].concat().into(),
        next: first.next,
    };
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(file_name)],
        })
        .streaming(chunks(first, read)))
}

/// Where the rows after a batch read `limit` at a time start: after the last one's `key` when
/// the batch is full; none when it came back short (it was the last).
pub fn next_after<R, C>(rows: &[R], limit: i64, key: impl Fn(&R) -> C) -> Option<C> {
    let full = i64::try_from(rows.len()).unwrap_or(0) == limit;
    rows.last().filter(|_| full).map(key)
}

/// Between two chunks: one to send, or where the next is read from.
enum Step<C, F> {
    Send(Chunk<C>, F),
    Read(C, F),
}

fn chunks<C, F, Fut>(
    first: Chunk<C>,
    read: F,
) -> impl Stream<Item = Result<Bytes, actix_web::Error>>
where
    F: FnMut(C) -> Fut,
    Fut: Future<Output = Result<Chunk<C>, ApiError>>,
{
    futures_util::stream::unfold(Some(Step::Send(first, read)), |step| async move {
        let (chunk, read) = match step? {
            Step::Send(chunk, read) => (chunk, read),
            Step::Read(cursor, mut read) => match read(cursor).await {
                Ok(chunk) => (chunk, read),
                Err(e) => {
                    tracing::error!(error = %e, "download stopped part-way");
                    return Some((Err(actix_web::Error::from(e)), None));
                }
            },
        };
        let after = chunk.next.map(|cursor| Step::Read(cursor, read));
        Some((Ok(chunk.bytes), after))
    })
}

/// Writes `rows` into one chunk of a download.
pub fn chunk<C, R>(
    rows: &[R],
    write: impl FnMut(&mut SafeCsvWriter<Vec<u8>>, &R) -> csv::Result<()>,
    next: Option<C>,
) -> Result<Chunk<C>, ApiError> {
    let bytes = written(rows, write)?.into();
    Ok(Chunk { bytes, next })
}

fn written<R>(
    rows: impl IntoIterator<Item = R>,
    mut write: impl FnMut(&mut SafeCsvWriter<Vec<u8>>, R) -> csv::Result<()>,
) -> Result<Vec<u8>, ApiError> {
    let failed = |e: csv::Error| ApiError::internal(&e);
    let mut out = SafeCsvWriter::new(Vec::new());
    for row in rows {
        write(&mut out, row).map_err(failed)?;
    }
    out.into_inner().map_err(failed)
}

/// A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`
/// (OWASP's advice), unless it is a plain number like `-19.99`, which no spreadsheet runs.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_numbers_stay_numbers() {
        let mut w = SafeCsvWriter::new(Vec::new());
        w.write_record(["title", "price"]).unwrap();
        w.write_record(["=HYPERLINK(\"http://evil\")", "-19.99"])
            .unwrap();
        w.write_record(["+cmd|' /C calc'!A0", "@SUM(A1)"]).unwrap();
        w.write_record(["-x", "Écharpe, laine"]).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(
            text,
            "title,price\n\"'=HYPERLINK(\"\"http://evil\"\")\",-19.99\n'+cmd|' /C calc'!A0,'@SUM(A1)\n'-x,\"Écharpe, laine\"\n"
        );
    }
}
