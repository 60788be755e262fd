//! The one e-mail normaliser: every address is stored and looked up trimmed and lower-cased
//! (the `users` table's CHECK refuses anything else), so "Marie@LuxTech.lu " and
//! "marie@luxtech.lu" are one account everywhere.

use std::fmt;

/// A normalised e-mail address. Whether it is a valid address is the caller's validation;
/// this type only guarantees the one spelling.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn new(raw: &str) -> Self {
        Self(raw.trim().to_lowercase())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn one_spelling() {
        assert_eq!(
            Email::new("  Marie@LuxTech.LU ").as_str(),
            "marie@luxtech.lu"
        );
        assert_eq!(Email::new("A@b.lu"), Email::new("a@B.LU"));
    }
}
