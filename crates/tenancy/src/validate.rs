//! Shape rules for vendor codes and subdomains (mirrored by CHECK constraints).

use std::sync::LazyLock;

use regex::Regex;
use validator::ValidationError;

/// Lower-case letters, digits and inner hyphens; 2 to 40 characters.
static CODE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$").ok());
/// A DNS label: lower-case letters, digits and inner hyphens; up to 63 characters.
static LABEL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$").ok());

/// Subdomains the platform keeps for itself.
const RESERVED: &[&str] = &[
    "admin", "www", "api", "static", "docs", "mail", "shop", "vendor",
];

pub fn vendor_code(code: &str) -> Result<(), ValidationError> {
    if CODE.as_ref().is_some_and(|r| r.is_match(code)) && !RESERVED.contains(&code) {
        Ok(())
    } else {
        Err(ValidationError::new("code").with_message(
            "use 2-40 lower-case letters, digits and hyphens, not starting or ending with a hyphen"
                .into(),
        ))
    }
}

pub fn subdomain(label: &str) -> Result<(), ValidationError> {
    if LABEL.as_ref().is_some_and(|r| r.is_match(label)) && !RESERVED.contains(&label) {
        Ok(())
    } else {
        Err(ValidationError::new("subdomain").with_message(
            "use lower-case letters, digits and hyphens (a DNS label, not a reserved name)".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        for ok in ["luxtech", "a1", "bakery-esch"] {
            assert!(vendor_code(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "a",
            "-ab",
            "ab-",
            "Lux",
            "lux tech",
            "admin",
            "x".repeat(41).as_str(),
        ] {
            assert!(vendor_code(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn subdomains() {
        assert!(subdomain("boutique").is_ok());
        assert!(subdomain("www").is_err());
        assert!(subdomain("a.b").is_err());
    }
}
