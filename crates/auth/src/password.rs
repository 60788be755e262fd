//! bcrypt hashing with a configurable cost, and a dummy verification so a login for an
//! unknown e-mail costs the same time as one with a wrong password.
//!
//! bcrypt reads at most 72 bytes of a password. Rather than let two passwords that share
//! their first 72 bytes open the same account, longer passwords are refused everywhere: by
//! [`check_length`] in every input that carries one (a 422), and here, where a longer password
//! is never hashed and never matches.

use rand::Rng;
use rand::distr::Alphanumeric;
use validator::ValidationError;

/// The most bytes bcrypt reads.
pub const MAX_PASSWORD_BYTES: usize = 72;

pub struct PasswordHasher {
    cost: u32,
    /// A hash of a random password at the same cost, verified against when there is no
    /// account, to spend the same time as a real check.
    dummy_hash: String,
}

impl PasswordHasher {
    pub fn new(cost: u32) -> Result<Self, bcrypt::BcryptError> {
        let dummy_hash = bcrypt::hash(generate_password(24), cost)?;
        Ok(Self { cost, dummy_hash })
    }

    /// Fails with `BcryptError::Truncation` for a password over 72 bytes.
    pub fn hash(&self, password: &str) -> Result<String, bcrypt::BcryptError> {
        if password.len() > MAX_PASSWORD_BYTES {
            return Err(bcrypt::BcryptError::Truncation(password.len()));
        }
        bcrypt::hash(password, self.cost)
    }

    /// Verifies `password` against `hash`, or against the dummy hash when there is no
    /// account, answering false then. A password over 72 bytes never matches.
    pub fn verify(&self, password: &str, hash: Option<&str>) -> bool {
        let fits = password.len() <= MAX_PASSWORD_BYTES;
        match hash {
            Some(h) => bcrypt::verify(password, h).unwrap_or(false) && fits,
            None => {
                let _ = bcrypt::verify(password, &self.dummy_hash);
                false
            }
        }
    }
}

/// The validator for every password field: 1 to 72 bytes (not characters: "é" is two).
pub fn check_length(password: &str) -> Result<(), ValidationError> {
    if password.is_empty() {
        return Err(ValidationError::new("length").with_message("enter your password".into()));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(ValidationError::new("length").with_message(
            format!("a password may have at most {MAX_PASSWORD_BYTES} bytes (accented letters and emoji count 2 to 4)")
                .into(),
        ));
    }
    Ok(())
}

/// A random password of `len` letters and digits (temporary passwords, seeds).
pub fn generate_password(len: usize) -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_only_the_right_password() {
        let hasher = PasswordHasher::new(4).unwrap();
        let hash = hasher.hash("correct horse").unwrap();
        assert!(hasher.verify("correct horse", Some(&hash)));
        assert!(!hasher.verify("wrong horse", Some(&hash)));
        assert!(!hasher.verify("correct horse", None));
        assert!(!hasher.verify("x", Some("not a bcrypt hash")));
    }

    #[test]
    fn passwords_sharing_their_first_72_bytes_are_not_interchangeable() {
        let hasher = PasswordHasher::new(4).unwrap();
        let base = "é".repeat(36); // 72 bytes, 36 characters
        let hash = hasher.hash(&base).unwrap();
        let longer = format!("{base}x");
        assert!(hasher.verify(&base, Some(&hash)));
        assert!(!hasher.verify(&longer, Some(&hash)), "the 73rd byte counts");
        assert!(hasher.hash(&longer).is_err(), "never stored truncated");
        assert!(check_length(&base).is_ok());
        assert!(check_length(&longer).is_err());
        assert!(check_length(&"a".repeat(40)).is_ok());
    }

    #[test]
    fn generated_passwords_are_random_alphanumerics() {
        let a = generate_password(16);
        assert_eq!(a.len(), 16);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, generate_password(16));
    }
}
