//! Password hashing: bcrypt with a configurable cost, after a pre-hash, and a dummy
//! verification so a login for an unknown e-mail costs the same time as a wrong password.
//!
//! bcrypt reads at most 72 bytes, so two long passwords sharing their first 72 bytes would
//! open the same account. Every password is therefore first turned into 44 bytes —
//! base64(HMAC-SHA256 under a fixed label) — and bcrypt hashes those: every character of a
//! password of any length counts. The label makes the pre-hash Wizamart's own, so a leaked
//! table of plain SHA-256 password hashes from elsewhere cannot be tried against ours
//! ("password shucking"). Passwords are limited to [`MAX_PASSWORD_CHARS`] characters only to
//! bound the work one request can ask for; the limit is counted in characters, as the API
//! documents it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use hmac::{Hmac, Mac};
use rand::Rng;
use rand::distr::Alphanumeric;
use sha2::Sha256;

/// The longest password accepted anywhere (characters).
pub const MAX_PASSWORD_CHARS: usize = 200;

/// The pre-hash label; changing it makes every stored hash fail.
const PREHASH_LABEL: &[u8] = b"wizamart password v1";

pub struct PasswordHasher {
    cost: u32,
    /// A hash of a random password at the same cost, verified against when there is no
    /// account, to spend the same time as a real check.
    dummy_hash: String,
}

impl PasswordHasher {
    pub fn new(cost: u32) -> Result<Self, bcrypt::BcryptError> {
        let dummy_hash = bcrypt::hash(prehash(&generate_password(24)), cost)?;
        Ok(Self { cost, dummy_hash })
    }

    pub fn hash(&self, password: &str) -> Result<String, bcrypt::BcryptError> {
        bcrypt::hash(prehash(password), self.cost)
    }

    /// Verifies `password` against `hash`, or against the dummy hash when there is no
    /// account, answering false then.
    pub fn verify(&self, password: &str, hash: Option<&str>) -> bool {
        let key = prehash(password);
        match hash {
            Some(h) => bcrypt::verify(key, h).unwrap_or(false),
            None => {
                let _ = bcrypt::verify(key, &self.dummy_hash);
                false
            }
        }
    }
}

/// 44 ASCII bytes standing for the whole password (no NUL, under bcrypt's 72).
fn prehash(password: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(PREHASH_LABEL) else {
        // HMAC accepts keys of any length; this branch cannot be taken.
        return String::new();
    };
    mac.update(password.as_bytes());
    STANDARD_NO_PAD.encode(mac.finalize().into_bytes())
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
        let base = "é".repeat(36); // 72 bytes
        let hash = hasher.hash(&base).unwrap();
        assert!(hasher.verify(&base, Some(&hash)));
        assert!(
            !hasher.verify(&format!("{base}x"), Some(&hash)),
            "the 73rd byte counts"
        );
        let long = "a".repeat(MAX_PASSWORD_CHARS);
        let long_hash = hasher.hash(&long).unwrap();
        assert!(!hasher.verify(
            &format!("{}b", &long[..MAX_PASSWORD_CHARS - 1]),
            Some(&long_hash)
        ));
        assert_eq!(prehash(&long).len(), 43);
    }

    #[test]
    fn generated_passwords_are_random_alphanumerics() {
        let a = generate_password(16);
        assert_eq!(a.len(), 16);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, generate_password(16));
    }
}
