//! Access tokens: short-lived HS256 JWTs naming the principal, its kind and its vendor.

use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, errors::ErrorKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AuthError;

/// The longest an access token may live (ARCHITECTURE.md §4).
pub const MAX_ACCESS_TTL_SECS: i64 = 30 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PrincipalKind {
    Admin,
    Vendor,
    Customer,
}

impl PrincipalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::Admin => "admin",
            PrincipalKind::Vendor => "vendor",
            PrincipalKind::Customer => "customer",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user id (admin, vendor) or customer id, as a string per RFC 7519.
    pub sub: String,
    pub kind: PrincipalKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_id: Option<i64>,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
    /// A support session: the platform admin acting as this principal (RFC 8693's `act`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub act: Option<Acting>,
}

/// Who acts in a support session: the admin's user id and e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acting {
    pub sub: String,
    pub email: String,
}

impl Acting {
    pub fn admin_id(&self) -> Result<i64, AuthError> {
        self.sub.parse().map_err(|_| AuthError::TokenInvalid)
    }
}

impl Claims {
    pub fn subject_id(&self) -> Result<i64, AuthError> {
        self.sub.parse().map_err(|_| AuthError::TokenInvalid)
    }
}

pub struct TokenIssuer {
    secret: Vec<u8>,
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl_secs: i64,
}

impl TokenIssuer {
    /// `ttl_secs` is capped at thirty minutes.
    pub fn new(secret: &[u8], ttl_secs: i64) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "iat", "sub"]);
        Self {
            secret: secret.to_vec(),
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl_secs: ttl_secs.clamp(60, MAX_ACCESS_TTL_SECS),
        }
    }

    pub fn ttl_secs(&self) -> i64 {
        self.ttl_secs
    }

    /// A key for another purpose derived from the signing secret (HMAC of `label`), so one
    /// configured secret serves both without either revealing the other.
    pub fn derive_key(&self, label: &str) -> Vec<u8> {
        use hmac::{Hmac, Mac};
        match Hmac::<sha2::Sha256>::new_from_slice(&self.secret) {
            Ok(mut mac) => {
                mac.update(label.as_bytes());
                mac.finalize().into_bytes().to_vec()
            }
            // HMAC takes keys of any length; kept total rather than unwrapped.
            Err(_) => self.secret.clone(),
        }
    }

    pub fn issue(
        &self,
        kind: PrincipalKind,
        subject: i64,
        vendor_id: Option<i64>,
    ) -> Result<String, AuthError> {
        self.sign(kind, subject, vendor_id, None)
    }

    /// A support session's token: the principal, with the acting admin in `act`. It lives as
    /// long as any access token and comes without a refresh token, so the session ends then.
    pub fn issue_for_support(
        &self,
        kind: PrincipalKind,
        subject: i64,
        vendor_id: i64,
        acting: Acting,
    ) -> Result<String, AuthError> {
        self.sign(kind, subject, Some(vendor_id), Some(acting))
    }

    fn sign(
        &self,
        kind: PrincipalKind,
        subject: i64,
        vendor_id: Option<i64>,
        act: Option<Acting>,
    ) -> Result<String, AuthError> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: subject.to_string(),
            kind,
            vendor_id,
            iat: now,
            exp: now + self.ttl_secs,
            jti: uuid::Uuid::new_v4().to_string(),
            act,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|_| AuthError::TokenInvalid)
    }

    /// Checks signature, algorithm (HS256 only: `none` and others are refused), expiry, and
    /// that the token claims no longer a life than this issuer gives (a token signed with a
    /// leaked key for a year is refused all the same).
    pub fn verify(&self, token: &str) -> Result<Claims, AuthError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => AuthError::TokenExpired,
                _ => AuthError::TokenInvalid,
            })?;
        let claims = data.claims;
        // A vendor or customer token without its vendor is malformed, as is an admin token with one.
        let vendor_ok = match claims.kind {
            PrincipalKind::Admin => claims.vendor_id.is_none(),
            PrincipalKind::Vendor | PrincipalKind::Customer => claims.vendor_id.is_some(),
        };
        if !vendor_ok || claims.exp - claims.iat > self.ttl_secs {
            return Err(AuthError::TokenInvalid);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn issuer() -> TokenIssuer {
        TokenIssuer::new(b"test-secret-test-secret-test-secret", 900)
    }

    #[test]
    fn issued_tokens_verify_with_their_claims() {
        let t = issuer().issue(PrincipalKind::Vendor, 7, Some(3)).unwrap();
        let c = issuer().verify(&t).unwrap();
        assert_eq!(
            (c.kind, c.sub.as_str(), c.vendor_id),
            (PrincipalKind::Vendor, "7", Some(3))
        );
        assert!(c.exp - c.iat <= MAX_ACCESS_TTL_SECS);
    }

    #[test]
    fn ttl_is_capped_at_thirty_minutes() {
        assert_eq!(
            TokenIssuer::new(b"s", 24 * 3600).ttl_secs(),
            MAX_ACCESS_TTL_SECS
        );
    }

    #[test]
    fn tampered_foreign_and_unsigned_tokens_are_refused() {
        let t = issuer().issue(PrincipalKind::Admin, 1, None).unwrap();
        let other = TokenIssuer::new(b"another-secret", 900);
        assert!(matches!(other.verify(&t), Err(AuthError::TokenInvalid)));

        let parts: Vec<&str> = t.split('.').collect();
        let payload = URL_SAFE_NO_PAD
            .encode(br#"{"sub":"2","kind":"admin","iat":1,"exp":9999999999,"jti":"x"}"#);
        let tampered = format!("{}.{}.{}", parts[0], payload, parts[2]);
        assert!(matches!(
            issuer().verify(&tampered),
            Err(AuthError::TokenInvalid)
        ));

        let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let unsigned = format!("{none_header}.{payload}.");
        assert!(matches!(
            issuer().verify(&unsigned),
            Err(AuthError::TokenInvalid)
        ));
    }

    /// An admin token issued at `iat` and expiring at `exp`, signed with the test secret (as
    /// anyone holding the key could).
    fn signed(iat: i64, exp: i64) -> String {
        let claims = Claims {
            sub: "1".into(),
            kind: PrincipalKind::Admin,
            vendor_id: None,
            iat,
            exp,
            jti: "j".into(),
            act: None,
        };
        let key = EncodingKey::from_secret(b"test-secret-test-secret-test-secret");
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &key).unwrap()
    }

    #[test]
    fn expired_tokens_say_so() {
        let now = Utc::now().timestamp();
        let t = signed(now - 4000, now - 3000);
        assert!(matches!(issuer().verify(&t), Err(AuthError::TokenExpired)));
    }

    #[test]
    fn a_token_living_longer_than_the_configured_lifetime_is_refused() {
        let now = Utc::now().timestamp();
        let too_long = signed(now, now + 901);
        assert!(matches!(
            issuer().verify(&too_long),
            Err(AuthError::TokenInvalid)
        ));
        assert!(issuer().verify(&signed(now, now + 900)).is_ok());
    }

    #[test]
    fn a_vendor_token_needs_its_vendor() {
        let t = issuer().issue(PrincipalKind::Vendor, 1, None).unwrap();
        assert!(matches!(issuer().verify(&t), Err(AuthError::TokenInvalid)));
    }
}
