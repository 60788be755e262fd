//! What kind of file this is, judged from its first bytes before any row is read: a feed, or
//! something a misconfigured URL brings back (an HTML error page, a binary, nothing at all).

use super::FeedError;

/// The UTF-8 byte order mark some spreadsheet programs write first.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The delimiter of a feed, from its header line: the most frequent of tab, semicolon and
/// comma outside quotes (Letzshop writes tabs; spreadsheets in French or German locales write
/// semicolons).
pub fn delimiter(header: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in header {
        match b {
            b'"' => quoted = !quoted,
            b'\t' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b',' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    // On a tie the earlier wins: a tab is never part of a column name.
    let best = (0..3).fold(0, |best, i| if counts[i] > counts[best] { i } else { best });
    [b'\t', b';', b','][best]
}

/// Refuses what is plainly not a feed, looking at the start of the file (BOM removed).
pub fn check_start(start: &[u8]) -> Result<(), FeedError> {
    let text = start.trim_ascii_start();
    if text.is_empty() {
        return Err(FeedError::Empty);
    }
    if start.contains(&0) {
        return Err(FeedError::Binary);
    }
    if text.first() == Some(&b'<') {
        return Err(FeedError::Html);
    }
    // The start may end inside a multi-byte character; only an error before that counts.
    if let Err(e) = std::str::from_utf8(start)
        && e.error_len().is_some()
    {
        return Err(FeedError::NotUtf8);
    }
    Ok(())
}

/// The first line of `start` (without its line break).
pub fn first_line(start: &[u8]) -> &[u8] {
    let end = start
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(start.len());
    start[..end].strip_suffix(b"\r").unwrap_or(&start[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_is_the_most_frequent_separator_outside_quotes() {
        assert_eq!(delimiter(b"id\ttitle\tprice"), b'\t');
        assert_eq!(delimiter(b"id;title;price"), b';');
        assert_eq!(delimiter(b"id,title,price"), b',');
        assert_eq!(
            delimiter(b"\"a;b;c\",title,price"),
            b',',
            "quoted separators do not count"
        );
        assert_eq!(
            delimiter(b"id"),
            b'\t',
            "one column: any choice reads it whole"
        );
    }

    #[test]
    fn what_is_not_a_feed_is_named() {
        assert!(matches!(check_start(b""), Err(FeedError::Empty)));
        assert!(matches!(check_start(b" \r\n\n"), Err(FeedError::Empty)));
        assert!(matches!(
            check_start(b"\x89PNG\r\n\x1a\n\0\0"),
            Err(FeedError::Binary)
        ));
        assert!(matches!(
            check_start(b"\n <!DOCTYPE html><html>"),
            Err(FeedError::Html)
        ));
        assert!(matches!(
            check_start(b"id,title\n\xff\xfe,x"),
            Err(FeedError::NotUtf8)
        ));
        // "é" cut in half at the end of the sniffed bytes is not an error.
        assert!(check_start(b"id,title\nx,caf\xC3").is_ok());
        assert!(check_start(b"id\ttitle\n").is_ok());
    }

    #[test]
    fn the_first_line_loses_its_line_break() {
        assert_eq!(first_line(b"a,b\r\nc"), b"a,b");
        assert_eq!(first_line(b"a,b"), b"a,b");
    }
}
