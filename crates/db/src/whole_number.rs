//! For integer query parameters: JSON Schema counts `5.0` as an integer, so a client generated
//! from the OpenAPI document may send `?page=5.0`; it is read as 5. Anything else that is not a
//! whole number is still refused. Use with
//! `#[serde(default, deserialize_with = "db::whole_number::option")]` on an `Option<T>`.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

pub fn option<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: From<i64>,
{
    let Some(text) = Option::<String>::deserialize(d)? else {
        return Ok(None);
    };
    parse(&text)
        .map(|n| Some(T::from(n)))
        .ok_or_else(|| D::Error::custom(format!("'{text}' is not a whole number")))
}

fn parse(text: &str) -> Option<i64> {
    text.parse::<i64>()
        .ok()
        .or_else(|| exact(text.parse().ok()?))
}

/// The integer `f` is, if it is one exactly (within ±2^53 every integer is exact in an f64).
pub fn exact(f: f64) -> Option<i64> {
    (f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0).then_some(f as i64)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn whole_numbers_in_any_spelling_and_nothing_else() {
        for (text, n) in [
            ("5", 5),
            ("-3", -3),
            ("5.0", 5),
            ("1e3", 1000),
            ("1562.00", 1562),
        ] {
            assert_eq!(parse(text), Some(n), "{text}");
        }
        for text in ["5.5", "", "abc", "NaN", "inf", "1e300"] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}
