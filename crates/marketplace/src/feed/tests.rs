use std::fs::File;
use std::io::{BufReader, Read};

use super::*;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/letzshop");

/// Every row of a feed: the good ones and the bad ones.
fn read_all(input: impl Read) -> (Vec<FeedRow>, Vec<RowError>) {
    let mut feed = Feed::open(input).expect("a feed");
    let (mut good, mut bad) = (Vec::new(), Vec::new());
    while let Some(parsed) = feed.next_row().expect("readable") {
        match parsed {
            Parsed::Row(row) => good.push(*row),
            Parsed::Bad(error) => bad.push(error),
        }
    }
    (good, bad)
}

fn sample(name: &str) -> BufReader<File> {
    BufReader::new(File::open(format!("{DATA}/{name}")).expect("sample file"))
}

fn text(s: &str) -> (Vec<FeedRow>, Vec<RowError>) {
    read_all(s.as_bytes())
}

#[test]
fn the_clean_samples_read_whole_in_every_language() {
    for lang in ["fr", "de", "en"] {
        let (good, bad) = read_all(sample(&format!("clean/luxtech_{lang}.csv")));
        assert_eq!(good.len(), 250, "{lang}");
        assert!(bad.is_empty(), "{lang}: {bad:?}");
        assert_eq!(good[0].external_id, "LS-0000000");
        assert_eq!(good[0].row, 2);
        assert_eq!(good[249].row, 251);
    }
    let (fr, _) = read_all(sample("clean/luxtech_fr.csv"));
    let first = &fr[0];
    assert_eq!(first.title, "Bio Bougie Gëlle Fra");
    assert_eq!(
        first.price,
        Money {
            cents: 4946,
            currency: *b"EUR"
        }
    );
    assert_eq!(first.availability, Availability::InStock);
    assert_eq!(first.gtin.as_deref(), Some("0000000000000"));
    assert_eq!(first.brand.as_deref(), Some("Gëlle Fra"));
    assert_eq!(
        first.raw.get("shipping_weight"),
        Some(&Value::String("525 g".into())),
        "columns the import does not use are kept raw"
    );
    let second = &fr[1];
    assert_eq!(second.additional_image_links.len(), 3);
    assert_eq!(second.availability, Availability::Preorder);
}

/// The messy samples' defects, found independently of the parser (see the generator's
/// `spoil`): row, column.
/// A bad row: its line and the column of its first problem.
type Defect = (u64, Option<&'static str>);

const MESSY: [(&str, &[Defect]); 3] = [
    (
        "fr",
        &[
            (4, Some("gtin")),
            (14, Some("gtin")),
            (27, Some("id")),
            (29, Some("price")),
            (31, Some("title")),
            (44, Some("title")),
            (45, Some("gtin")),
            (50, Some("price")),
            (59, Some("id")),
            (64, Some("title")),
            (90, Some("id")),
            (92, Some("image_link")),
            (110, Some("id")),
        ],
    ),
    (
        "de",
        &[
            (14, Some("availability")),
            (18, Some("title")),
            (37, Some("title")),
            (41, Some("availability")),
            (44, Some("price")),
            (46, Some("id")),
            (50, Some("availability")),
            (68, Some("image_link")),
            (85, Some("id")),
            (89, Some("availability")),
            (100, Some("image_link")),
        ],
    ),
    (
        "en",
        &[
            (12, Some("title")),
            (27, Some("id")),
            (41, Some("price")),
            (64, Some("image_link")),
            (78, Some("id")),
        ],
    ),
];

#[test]
fn the_messy_samples_keep_their_good_rows_and_name_every_bad_one() {
    for (lang, defects) in MESSY {
        let (good, bad) = read_all(sample(&format!("messy/gellefra_{lang}.csv")));
        let found: Vec<(u64, Option<&str>)> =
            bad.iter().map(|e| (e.row, e.problems[0].column)).collect();
        assert_eq!(found, defects, "{lang}");
        assert_eq!(
            good.len() + bad.len(),
            120,
            "{lang}: every row is one or the other"
        );
        for error in &bad {
            assert!(!error.raw.is_empty() && !error.problems[0].message.is_empty());
        }
    }
    let (good, bad) = read_all(sample("messy/gellefra_de.csv"));
    // Stray whitespace is trimmed, a comma decimal with € is a price.
    let spaced = good.iter().find(|r| r.row == 30).expect("row 30");
    assert_eq!(spaced.title, spaced.title.trim());
    assert_eq!(
        spaced.brand.as_deref().map(str::trim),
        spaced.brand.as_deref()
    );
    let comma = good.iter().find(|r| r.row == 74).expect("row 74");
    assert_eq!(comma.price.currency(), "EUR");
    let duplicate = bad.iter().find(|e| e.row == 46).expect("row 46");
    assert!(
        duplicate.problems[0]
            .message
            .contains("already appeared on row")
    );
    let unknown = bad.iter().find(|e| e.row == 14).expect("row 14");
    assert!(unknown.raw.contains("maybe tomorrow"), "{}", unknown.raw);
}

#[test]
fn bom_crlf_semicolons_and_prefixed_headers() {
    let feed = "\u{feff}g:id;G:Title;g:price;g:availability;custom\r\nA1;Écharpe;19,99 €;in_stock;x\r\nA2;\"Mug; blue\";5;out of stock;\r\n";
    let (good, bad) = text(feed);
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(good.len(), 2);
    assert_eq!(good[0].external_id, "A1");
    assert_eq!(good[0].price.cents, 1999);
    assert_eq!(good[0].raw.get("custom"), Some(&Value::String("x".into())));
    assert_eq!(good[1].title, "Mug; blue");
    assert!(
        !good[1].raw.contains_key("custom"),
        "empty cells are not kept"
    );
}

#[test]
fn a_row_can_have_several_problems_and_all_are_named() {
    let (_, bad) = text("id,title,price,availability,gtin\nA1,,-1,soon,123\n");
    let columns: Vec<_> = bad[0].problems.iter().map(|p| p.column).collect();
    assert_eq!(
        columns,
        [
            Some("title"),
            Some("availability"),
            Some("price"),
            Some("gtin")
        ]
    );
    assert_eq!(bad[0].external_id.as_deref(), Some("A1"));
}

#[test]
fn sale_prices_must_be_below_the_price_in_its_currency() {
    let (_, bad) = text(
        "id,title,price,sale_price,availability\nA,t,10 EUR,12 EUR,in stock\nB,t,10 EUR,5 USD,in stock\nC,t,10 EUR,9 EUR,in stock\n",
    );
    assert_eq!(bad.len(), 2);
    assert!(bad[0].problems[0].message.contains("above"));
    assert!(bad[1].problems[0].message.contains("currency"));
}

#[test]
fn blank_lines_are_skipped_and_short_rows_are_refused() {
    let (good, bad) =
        text("id,title,price,availability\nA,t,1,in stock\n\n,,,\nB,t,1,in stock\nC,t\n");
    assert_eq!(good.len(), 2, "lines without a value are not rows");
    assert_eq!(bad.len(), 1);
    assert_eq!(
        bad[0].row, 6,
        "blank lines still count as lines of the file"
    );
    assert_eq!(bad[0].problems[0].column, None);
    assert!(
        bad[0].problems[0]
            .message
            .contains("2 cells where the header has 4")
    );
}

#[test]
fn a_cell_that_is_not_utf8_spoils_its_row_only() {
    assert!(
        matches!(
            Feed::open(&b"id,title,price,availability\nA,caf\xe9,1,in stock\n"[..]),
            Err(FeedError::NotUtf8)
        ),
        "a Latin-1 file is refused whole from its head"
    );
    // Past the head that decides whether the file is text at all.
    let mut feed = b"id,title,price,availability\n".to_vec();
    for i in 0..1000 {
        feed.extend_from_slice(format!("P{i},ok,1,in stock\n").as_bytes());
    }
    feed.extend_from_slice(b"A,caf\xe9,1,in stock\nB,fine,2,in stock\n");
    let (good, bad) = read_all(&feed[..]);
    assert_eq!(good.len(), 1001);
    assert_eq!(bad[0].row, 1002);
    assert!(
        bad[0].problems[0]
            .message
            .contains("title cell is not UTF-8")
    );
}

#[test]
fn files_that_are_not_feeds_fail_whole_with_a_reason() {
    let open = |bytes: &[u8]| Feed::open(bytes).err().map(|e| e.to_string());
    assert_eq!(open(b"").as_deref(), Some("the file is empty"));
    assert!(open(b"\xef\xbb\xbf\r\n").unwrap().contains("empty"));
    assert!(
        open(b"<!doctype html><title>Login</title>")
            .unwrap()
            .contains("HTML")
    );
    assert!(open(b"PK\x03\x04\0\0zip").unwrap().contains("binary"));
    assert!(open(b"\xff\xfei\0d\0").unwrap().contains("not"));
    let missing = open(b"sku,name,cost\n1,2,3\n").unwrap();
    assert!(missing.contains("id, title, price"), "{missing}");
    assert!(missing.contains("sku, name, cost"), "{missing}");
}

#[test]
fn an_unclosed_quote_stops_the_file_instead_of_swallowing_it() {
    let mut feed = b"id,title,price,availability\nA,\"never closed,1,in stock\n".to_vec();
    let row = b"B,t,1,in stock\n";
    while feed.len() < (MAX_ROW_BYTES as usize) * 2 {
        feed.extend_from_slice(row);
    }
    let mut parsed = Feed::open(&feed[..]).expect("header");
    let outcome = loop {
        match parsed.next_row() {
            Ok(Some(_)) => continue,
            other => break other,
        }
    };
    assert!(matches!(outcome, Err(FeedError::RowTooLong)), "{outcome:?}");
}

#[test]
fn a_large_feed_streams_in_constant_memory() {
    // A reader that makes rows as it is read: 200,000 rows are never in memory at once.
    struct Rows {
        next: u64,
        buffer: Vec<u8>,
    }
    impl Read for Rows {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            if self.buffer.is_empty() {
                if self.next > 200_000 {
                    return Ok(0);
                }
                self.buffer = if self.next == 0 {
                    b"id\ttitle\tprice\tavailability\n".to_vec()
                } else {
                    format!(
                        "P{}\tProduct {}\t{}.50 EUR\tin stock\n",
                        self.next,
                        self.next,
                        self.next % 500
                    )
                    .into_bytes()
                };
                self.next += 1;
            }
            let n = out.len().min(self.buffer.len());
            out[..n].copy_from_slice(&self.buffer[..n]);
            self.buffer.drain(..n);
            Ok(n)
        }
    }
    let mut feed = Feed::open(Rows {
        next: 0,
        buffer: Vec::new(),
    })
    .expect("feed");
    let mut count = 0;
    while let Some(Parsed::Row(row)) = feed.next_row().expect("row") {
        count += 1;
        assert_eq!(row.row, count + 1);
    }
    assert_eq!(count, 200_000);
}
