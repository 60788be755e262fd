//! The one CSV writer for everything the platform lets people download (catalogue, orders,
//! customers): every cell that a spreadsheet would run as a formula is neutralised, so an
//! exported product title like `=HYPERLINK(...)` stays text when a shop owner opens the file.

use std::io::Write;

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
