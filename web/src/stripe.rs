//! Stripe, for shops that take cards: their keys sealed at rest with the platform's
//! `PAYMENT_SECRETS_KEY`, a Checkout Session opened per order over Stripe's HTTP API (base
//! address configurable, so tests talk to a local server that answers as Stripe documents),
//! and webhook signatures checked as Stripe signs them: `Stripe-Signature: t=<unix
//! time>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the endpoint's secret>`, refused when
//! older than five minutes (a replay).

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::{Hmac, Mac};
use orders::OrderView;
use rand::RngCore;
use serde::Deserialize;
use sha2::Sha256;

/// How old a signed webhook may be (Stripe's own default tolerance).
pub const SIGNATURE_TOLERANCE_SECS: i64 = 300;
/// GCM's nonce length.
const NONCE_BYTES: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum StripeError {
    #[error("a stored payment key could not be unsealed (was PAYMENT_SECRETS_KEY changed?)")]
    Unseal,
    #[error("Stripe could not be reached: {0}")]
    Unreachable(String),
    #[error("Stripe refused: {0}")]
    Refused(String),
}

/// Seals and unseals secrets with one 32-byte key.
pub struct Sealer {
    cipher: Aes256Gcm,
}

impl Sealer {
    pub fn new(key: &[u8; 32]) -> Self {
        Self {
            cipher: Aes256Gcm::new(key.into()),
        }
    }

    /// A random nonce followed by the ciphertext and its tag.
    pub fn seal(&self, secret: &str) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), secret.as_bytes())
            .unwrap_or_default();
        [nonce.as_slice(), &sealed].concat()
    }

    pub fn unseal(&self, sealed: &[u8]) -> Result<String, StripeError> {
        if sealed.len() <= NONCE_BYTES {
            return Err(StripeError::Unseal);
        }
        let (nonce, body) = sealed.split_at(NONCE_BYTES);
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), body)
            .map_err(|_| StripeError::Unseal)?;
        String::from_utf8(plain).map_err(|_| StripeError::Unseal)
    }
}

/// Why a webhook's signature is refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the Stripe-Signature header is missing or malformed")]
    Malformed,
    #[error("the signature does not match the payload")]
    Mismatch,
    #[error("the signature is too old (a replayed event)")]
    Expired,
}

/// Checks a webhook body against its `Stripe-Signature` header at time `now` (Unix seconds).
pub fn verify_signature(
    header: &str,
    body: &[u8],
    secret: &str,
    now: i64,
) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", v)) => signatures.extend(hex::decode(v).ok()),
            _ => {}
        }
    }
    let Some(timestamp) = timestamp else {
        return Err(SignatureError::Malformed);
    };
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    let matches = signatures.iter().any(|signature| {
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()) else {
            return false;
        };
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac.verify_slice(signature).is_ok()
    });
    if !matches {
        return Err(SignatureError::Mismatch);
    }
    if (now - timestamp).abs() > SIGNATURE_TOLERANCE_SECS {
        return Err(SignatureError::Expired);
    }
    Ok(())
}

/// A Checkout Session, as Stripe answers its creation.
#[derive(Debug, Deserialize)]
pub struct Session {
    pub id: String,
    pub url: String,
}

#[derive(Debug, Deserialize)]
struct StripeErrorBody {
    error: StripeErrorDetail,
}

#[derive(Debug, Deserialize)]
struct StripeErrorDetail {
    message: String,
}

/// Stripe's HTTP API.
pub struct StripeClient {
    base: String,
    http: reqwest::Client,
}

impl StripeClient {
    pub fn new(base: &str) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(5))
            .timeout(std::time::Duration::from_secs(15))
            .build()
            .unwrap_or_default();
        Self {
            base: base.trim_end_matches('/').to_owned(),
            http,
        }
    }

    /// Opens a Checkout Session for the whole order (one line: its total, VAT included),
    /// under the shop's own secret key.
    pub async fn open_session(
        &self,
        secret_key: &str,
        order: &OrderView,
        success_url: &str,
        cancel_url: &str,
    ) -> Result<Session, StripeError> {
        let amount = order.total_cents.to_string();
        let name = format!("Order {}", order.order_number);
        let currency = order.currency.to_lowercase();
        let form = [
            ("mode", "payment"),
            ("client_reference_id", order.order_number.as_str()),
            ("customer_email", order.email.as_str()),
            ("success_url", success_url),
            ("cancel_url", cancel_url),
            ("metadata[order_number]", order.order_number.as_str()),
            ("line_items[0][quantity]", "1"),
            ("line_items[0][price_data][currency]", currency.as_str()),
            ("line_items[0][price_data][unit_amount]", amount.as_str()),
            (
                "line_items[0][price_data][product_data][name]",
                name.as_str(),
            ),
        ];
        let response = self
            .http
            .post(format!("{}/v1/checkout/sessions", self.base))
            .bearer_auth(secret_key)
            // One session per order and attempt key: a retried request opens no second one.
            .header(
                "Idempotency-Key",
                format!("wizamart-{}", order.order_number),
            )
            .form(&form)
            .send()
            .await
            .map_err(|e| StripeError::Unreachable(e.to_string()))?;
        if !response.status().is_success() {
            let message = response
                .json::<StripeErrorBody>()
                .await
                .map(|b| b.error.message)
                .unwrap_or_else(|e| e.to_string());
            return Err(StripeError::Refused(message));
        }
        response
            .json::<Session>()
            .await
            .map_err(|e| StripeError::Refused(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(secret: &str, t: i64, body: &[u8]) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
            .unwrap_or_else(|_| unreachable!());
        mac.update(format!("{t}.").as_bytes());
        mac.update(body);
        format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
    }

    #[test]
    fn a_signature_must_match_the_body_and_be_recent() {
        let body = br#"{"id":"evt_1"}"#;
        let header = sign("whsec_abc", 1_000_000, body);
        assert_eq!(
            verify_signature(&header, body, "whsec_abc", 1_000_100),
            Ok(())
        );
        assert_eq!(
            verify_signature(&header, b"{\"id\":\"evt_2\"}", "whsec_abc", 1_000_100),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify_signature(&header, body, "whsec_other", 1_000_100),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify_signature(
                &header,
                body,
                "whsec_abc",
                1_000_000 + SIGNATURE_TOLERANCE_SECS + 1
            ),
            Err(SignatureError::Expired)
        );
        // Stripe may list several signatures (secret rotation): any one matching will do.
        let rotated = format!("{},v1=00ff,v0=abc", header);
        assert_eq!(
            verify_signature(&rotated, body, "whsec_abc", 1_000_000),
            Ok(())
        );
        for bad in ["", "t=1", "v1=00", "t=x,v1=00"] {
            assert_eq!(
                verify_signature(bad, body, "whsec_abc", 1),
                Err(SignatureError::Malformed),
                "{bad}"
            );
        }
    }

    #[test]
    fn sealed_secrets_open_with_their_key_only() {
        let sealer = Sealer::new(&[7; 32]);
        let sealed = sealer.seal("sk_test_123");
        assert!(
            !sealed.windows(11).any(|w| w == b"sk_test_123"),
            "not in the clear"
        );
        assert_ne!(
            sealed,
            sealer.seal("sk_test_123"),
            "a fresh nonce each time"
        );
        assert_eq!(sealer.unseal(&sealed).ok().as_deref(), Some("sk_test_123"));
        assert!(Sealer::new(&[8; 32]).unseal(&sealed).is_err());
        assert!(sealer.unseal(&sealed[..5]).is_err());
    }
}
