//! One cell to one value: prices, availability, condition, addresses, codes and texts, each
//! with the message a vendor reads when the cell is wrong.

use catalog::{Condition, MAX_PRICE_CENTS};
use serde::{Deserialize, Serialize};

/// An amount in cents and its ISO 4217 currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    pub cents: i64,
    pub currency: [u8; 3],
}

impl Money {
    pub fn currency(&self) -> &str {
        std::str::from_utf8(&self.currency).unwrap_or("EUR")
    }
}

/// A feed's availability, normalised from its spellings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    InStock,
    OutOfStock,
    Preorder,
    Backorder,
}

impl Availability {
    pub fn as_str(self) -> &'static str {
        match self {
            Availability::InStock => "in_stock",
            Availability::OutOfStock => "out_of_stock",
            Availability::Preorder => "preorder",
            Availability::Backorder => "backorder",
        }
    }

    pub fn parse_stored(s: &str) -> Option<Self> {
        [
            Availability::InStock,
            Availability::OutOfStock,
            Availability::Preorder,
            Availability::Backorder,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// `19.99 EUR`, `19,99 €`, `EUR 1.299,00`, `19.99` (euros): the last `.` or `,` followed by
/// one or two digits is the decimal mark, the other one may group thousands.
pub fn price(cell: &str) -> Result<Money, String> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Err("is empty".into());
    }
    let (number, currency) = split_currency(cell)?;
    if number.starts_with('-') {
        return Err(format!("\"{cell}\" is negative"));
    }
    let number = number.strip_prefix('+').unwrap_or(number);
    let cents = cents(number).ok_or_else(|| format!("\"{cell}\" is not a price like 19.99 EUR"))?;
    if cents > MAX_PRICE_CENTS {
        return Err(format!("\"{cell}\" is too large"));
    }
    Ok(Money { cents, currency })
}

fn split_currency(cell: &str) -> Result<(&str, [u8; 3]), String> {
    const SYMBOLS: [(&str, &[u8; 3]); 3] = [("€", b"EUR"), ("$", b"USD"), ("£", b"GBP")];
    for (symbol, code) in SYMBOLS {
        if let Some(rest) = cell
            .strip_suffix(symbol)
            .or_else(|| cell.strip_prefix(symbol))
        {
            return Ok((rest.trim(), *code));
        }
    }
    let is_code = |s: &str| s.len() == 3 && s.bytes().all(|b| b.is_ascii_alphabetic());
    let code = |s: &str| {
        let mut c = [0u8; 3];
        c.copy_from_slice(s.to_ascii_uppercase().as_bytes());
        c
    };
    if let Some((number, unit)) = cell.rsplit_once(' ')
        && is_code(unit)
    {
        return Ok((number.trim(), code(unit)));
    }
    if let Some((unit, number)) = cell.split_once(' ')
        && is_code(unit)
    {
        return Ok((number.trim(), code(unit)));
    }
    if cell.bytes().any(|b| b.is_ascii_alphabetic()) {
        return Err(format!("\"{cell}\" has no currency code like EUR"));
    }
    Ok((cell, *b"EUR"))
}

/// Cents of `1299`, `1299.5`, `1.299,00`, `1,299.00`; `None` for anything else.
fn cents(number: &str) -> Option<i64> {
    let last_mark = number.rfind(['.', ',']);
    let (whole, fraction) = match last_mark {
        Some(at) if (2..=3).contains(&(number.len() - at)) => {
            let (whole, fraction) = (&number[..at], &number[at + 1..]);
            // The decimal mark cannot also group the thousands.
            if whole.contains(&number[at..=at]) {
                return None;
            }
            (whole, fraction)
        }
        _ => (number, ""),
    };
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = ungroup(whole)?;
    let units: i64 = digits.parse().ok()?;
    let fraction: i64 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<i64>().ok()? * 10,
        _ => fraction.parse().ok()?,
    };
    units.checked_mul(100)?.checked_add(fraction)
}

/// `1.299` or `1,299` or `1299` to `1299`: groups after the first must have three digits and
/// one grouping mark throughout.
fn ungroup(whole: &str) -> Option<String> {
    let mark = whole.bytes().find(|b| *b == b'.' || *b == b',');
    let groups: Vec<&str> = match mark {
        Some(m) => whole.split(m as char).collect(),
        None => vec![whole],
    };
    let first_ok = groups
        .first()
        .is_some_and(|g| (1..=if mark.is_some() { 3 } else { 15 }).contains(&g.len()));
    let rest_ok = groups.iter().skip(1).all(|g| g.len() == 3);
    let digits = groups.concat();
    (first_ok && rest_ok && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// `in stock`, `in_stock`, `InStock`, `out of stock`, `preorder`, `pre-order`, `backorder`.
pub fn availability(cell: &str) -> Result<Availability, String> {
    let key: String = cell
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    match key.as_str() {
        "instock" => Ok(Availability::InStock),
        "outofstock" | "soldout" => Ok(Availability::OutOfStock),
        "preorder" => Ok(Availability::Preorder),
        "backorder" => Ok(Availability::Backorder),
        "" => Err("is empty: use in stock, out of stock, preorder or backorder".into()),
        _ => Err(format!(
            "\"{}\" is not in stock, out of stock, preorder or backorder",
            cell.trim()
        )),
    }
}

/// `new` (also when empty), `used`, `refurbished`.
pub fn condition(cell: &str) -> Result<Condition, String> {
    match cell.trim().to_ascii_lowercase().as_str() {
        "" | "new" => Ok(Condition::New),
        "used" => Ok(Condition::Used),
        "refurbished" => Ok(Condition::Refurbished),
        other => Err(format!("\"{other}\" is not new, used or refurbished")),
    }
}

/// The longest address kept.
const MAX_URL: usize = 2048;

/// An absolute http(s) address, written out in ASCII (international names in punycode,
/// spaces percent-encoded) as the catalogue stores remote images.
pub fn url(cell: &str) -> Result<String, String> {
    let cell = cell.trim();
    let parsed = url::Url::parse(cell).map_err(|_| format!("\"{cell}\" is not a web address"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(format!("\"{cell}\" is not an http(s) address"));
    }
    let out = String::from(parsed);
    if out.len() > MAX_URL {
        return Err(format!("is longer than {MAX_URL} characters"));
    }
    Ok(out)
}

/// Digits only, and the GS1 check digit right.
pub fn gtin(cell: &str) -> Result<String, String> {
    let cell = cell.trim();
    catalog::gtin::check(cell)
        .map(|()| cell.to_owned())
        .map_err(|_| {
            format!("\"{cell}\" is not a GTIN of 8, 12, 13 or 14 digits with a valid check digit")
        })
}

/// A text trimmed of surrounding whitespace, at most `max` characters, with no NUL (which
/// PostgreSQL cannot store) and no other control character than tab and line breaks.
pub fn text(cell: &str, max: usize) -> Result<String, String> {
    let cell = cell.trim();
    if cell
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err("contains a control character".into());
    }
    let length = cell.chars().count();
    if length > max {
        return Err(format!(
            "has {length} characters, at most {max} are allowed"
        ));
    }
    Ok(cell.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(cents: i64) -> Result<Money, String> {
        Ok(Money {
            cents,
            currency: *b"EUR",
        })
    }

    #[test]
    fn prices_in_the_spellings_feeds_use() {
        assert_eq!(price("19.99 EUR"), eur(1999));
        assert_eq!(price("19,99 €"), eur(1999));
        assert_eq!(price("€19.99"), eur(1999));
        assert_eq!(price("19.99"), eur(1999));
        assert_eq!(price("19.9"), eur(1990));
        assert_eq!(price("19"), eur(1900));
        assert_eq!(price(" EUR 1.299,00 "), eur(129_900));
        assert_eq!(price("1,299.00 eur"), eur(129_900));
        assert_eq!(
            price("1.299"),
            eur(129_900),
            "three digits after the mark group thousands"
        );
        assert_eq!(price("0.00 EUR"), eur(0));
        assert_eq!(price("12.50 USD").map(|m| m.currency), Ok(*b"USD"));
        assert_eq!(price("£3").map(|m| m.currency), Ok(*b"GBP"));
    }

    #[test]
    fn prices_that_are_not_prices() {
        for bad in [
            "",
            "   ",
            "-5.00 EUR",
            "abc",
            "19.99 EURO",
            "1.2.3",
            "19.999.9",
            "1,29,00",
            "12 34",
            "19.99 EUR EUR",
            "9999999999999999 EUR",
        ] {
            assert!(price(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(price("-5.00 EUR").unwrap_err().contains("negative"));
    }

    #[test]
    fn availability_spellings() {
        for (cell, want) in [
            ("in stock", Availability::InStock),
            ("in_stock", Availability::InStock),
            ("InStock", Availability::InStock),
            (" IN STOCK ", Availability::InStock),
            ("out of stock", Availability::OutOfStock),
            ("out_of_stock", Availability::OutOfStock),
            ("preorder", Availability::Preorder),
            ("pre-order", Availability::Preorder),
            ("backorder", Availability::Backorder),
        ] {
            assert_eq!(availability(cell), Ok(want), "{cell}");
        }
        assert!(
            availability("maybe tomorrow")
                .unwrap_err()
                .contains("maybe tomorrow")
        );
        assert!(availability("").is_err());
    }

    #[test]
    fn conditions() {
        assert_eq!(condition(""), Ok(Condition::New));
        assert_eq!(condition("Used"), Ok(Condition::Used));
        assert_eq!(condition("refurbished"), Ok(Condition::Refurbished));
        assert!(condition("broken").is_err());
    }

    #[test]
    fn addresses_are_absolute_http_and_ascii() {
        assert_eq!(
            url(" https://images.letzshop.lu/a/0.jpg ").unwrap(),
            "https://images.letzshop.lu/a/0.jpg"
        );
        assert_eq!(
            url("https://bücher.lu/a b.jpg").unwrap(),
            "https://xn--bcher-kva.lu/a%20b.jpg"
        );
        assert!(url("htp:/broken image").is_err());
        assert!(url("ftp://x.lu/a.jpg").is_err());
        assert!(url("/relative.jpg").is_err());
        assert!(url(&format!("https://x.lu/{}", "a".repeat(3000))).is_err());
    }

    #[test]
    fn gtins_need_their_check_digit() {
        assert_eq!(gtin(" 4006381333931").unwrap(), "4006381333931");
        assert!(gtin("4006381333932").is_err());
        assert!(gtin("40063813339x1").is_err());
    }

    #[test]
    fn texts_are_trimmed_limited_and_printable() {
        assert_eq!(text("  Écharpe \t ", 10).unwrap(), "Écharpe");
        assert!(text("a\0b", 10).is_err());
        assert!(text("abcdef", 5).unwrap_err().contains("6 characters"));
        assert_eq!(text("line\nbreak", 20).unwrap(), "line\nbreak");
    }
}
