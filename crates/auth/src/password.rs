//! bcrypt hashing with a configurable cost, and a dummy verification so a login for an
//! unknown e-mail costs the same time as one with a wrong password.

use rand::Rng;
use rand::distr::Alphanumeric;

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

    pub fn hash(&self, password: &str) -> Result<String, bcrypt::BcryptError> {
        bcrypt::hash(password, self.cost)
    }

    /// Verifies `password` against `hash`, or against the dummy hash when there is no
    /// account, answering false then.
    pub fn verify(&self, password: &str, hash: Option<&str>) -> bool {
        match hash {
            Some(h) => bcrypt::verify(password, h).unwrap_or(false),
            None => {
                let _ = bcrypt::verify(password, &self.dummy_hash);
                false
            }
        }
    }
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
    fn generated_passwords_are_random_alphanumerics() {
        let a = generate_password(16);
        assert_eq!(a.len(), 16);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, generate_password(16));
    }
}
