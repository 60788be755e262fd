//! Refuses input PostgreSQL cannot store before any handler sees it: a NUL character in the
//! path (404: no such resource), the query string or a JSON body (422). Without this a NUL
//! travels through validation (it is a valid character) and fails in the database as a 500.
//! Multipart uploads are checked where they are parsed (CSV rows), and
//! [`crate::error::ApiError::storage`] answers 422 for any NUL that still reaches a query.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, ResponseError, web};

use crate::error::ApiError;

pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if has_encoded_nul(req.path()) {
        let response = if req.path().starts_with("/api/") {
            ApiError::not_found("resource").error_response()
        } else {
            let state = req.app_data::<web::Data<crate::state::AppState>>().cloned();
            match state {
                Some(state) => crate::routes::pages::not_found_page(req.request(), &state),
                None => ApiError::not_found("page").error_response(),
            }
        };
        return Ok(req.into_response(response));
    }
    if has_encoded_nul(req.query_string()) {
        let error = ApiError::invalid("INVALID_QUERY", "the query string holds a NUL character");
        return Ok(req.into_response(error.error_response()));
    }
    if is_json(&req) {
        let body = match req.extract::<web::Bytes>().await {
            Ok(body) => body,
            Err(_) => {
                let error = ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "PAYLOAD_TOO_LARGE",
                    "the request body is too large",
                );
                return Ok(req.into_response(error.error_response()));
            }
        };
        if !is_object(&body) {
            let error = ApiError::invalid("INVALID_JSON", "the body must be a JSON object ({...})");
            return Ok(req.into_response(error.error_response()));
        }
        if has_escaped_nul(&body) {
            let error = ApiError::invalid(
                "INVALID_JSON",
                "a string in the body holds a NUL character (\\u0000)",
            );
            return Ok(req.into_response(error.error_response()));
        }
        let body = integral_numbers(&body).unwrap_or(body);
        req.set_payload(Payload::from(body));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// JSON Schema's `integer` includes `5.0` (a number is an integer when its fraction is zero),
/// so a client may send one where the API documents an integer; serde would refuse it. The
/// body is rewritten with such numbers as integers, when it has any (else left untouched).
fn integral_numbers(body: &web::Bytes) -> Option<web::Bytes> {
    fn fix(value: &mut serde_json::Value) -> bool {
        match value {
            serde_json::Value::Number(n) if n.is_f64() => {
                match n.as_f64().and_then(db::whole_number::exact) {
                    Some(whole) => {
                        *value = serde_json::Value::from(whole);
                        true
                    }
                    None => false,
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().fold(false, |c, v| fix(v) | c),
            serde_json::Value::Object(map) => map.values_mut().fold(false, |c, v| fix(v) | c),
            _ => false,
        }
    }
    // Cheap test first: a float has a digit followed by '.', 'e' or 'E' (strings may too).
    let maybe_float = body
        .windows(2)
        .any(|w| w[0].is_ascii_digit() && matches!(w[1], b'.' | b'e' | b'E'));
    if !maybe_float {
        return None;
    }
    let mut value: serde_json::Value = serde_json::from_slice(body).ok()?;
    if !fix(&mut value) {
        return None;
    }
    serde_json::to_vec(&value).ok().map(web::Bytes::from)
}

/// Every JSON body the API takes is an object. serde would also read a struct from an array
/// of its fields in order (`[null, null]`), which no client means: refused here for all.
/// An empty body is left to the handler (which says what it expected).
fn is_object(body: &[u8]) -> bool {
    body.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_none_or(|b| *b == b'{')
}

fn is_json(req: &ServiceRequest) -> bool {
    let mime = req.content_type();
    mime == "application/json" || mime.ends_with("+json")
}

/// `%00` anywhere in a raw (still percent-encoded) path or query.
fn has_encoded_nul(raw: &str) -> bool {
    raw.as_bytes().windows(3).any(|w| w == b"%00") || raw.contains('\0')
}

/// A `\u0000` escape in JSON text: a `\u0000` preceded by an odd run of backslashes (an even
/// run is escaped backslashes followed by the letters `u0000`).
fn has_escaped_nul(body: &[u8]) -> bool {
    body.contains(&0)
        || body.windows(6).enumerate().any(|(i, w)| {
            w == b"\\u0000" && body[..i].iter().rev().take_while(|b| **b == b'\\').count() % 2 == 0
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nul_escapes_but_not_escaped_backslashes() {
        assert!(has_escaped_nul(br#"{"name":"a\u0000b"}"#));
        assert!(has_escaped_nul(br#"{"name":"\\\u0000"}"#));
        assert!(
            !has_escaped_nul(br#"{"name":"\\u0000"}"#),
            "a backslash, then text"
        );
        assert!(!has_escaped_nul(br#"{"name":"a\u0001b"}"#));
        assert!(is_object(b" {\"a\": 1}") && is_object(b""));
        assert!(!is_object(b"[null, null]") && !is_object(b"null") && !is_object(b"\"x\""));
        assert!(has_encoded_nul("/vendor/a%00b/login"));
        assert!(!has_encoded_nul("q=100%25"));
    }

    #[test]
    fn integral_floats_become_integers_and_nothing_else_changes() {
        let fixed = integral_numbers(&web::Bytes::from_static(
            br#"{"price_cents":1999.0,"ids":[1e2,2,-2251799813685247.0],"ratio":0.5,"note":"1.0"}"#,
        ))
        .unwrap();
        let value: serde_json::Value = serde_json::from_slice(&fixed).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"price_cents": 1999, "ids": [100, 2, -2_251_799_813_685_247_i64], "ratio": 0.5, "note": "1.0"})
        );
        assert!(value["price_cents"].is_i64());
        for untouched in [
            &br#"{"a":1,"b":"x.y"}"#[..],
            br#"{"ratio":0.5}"#,
            b"not json.",
        ] {
            assert_eq!(
                integral_numbers(&web::Bytes::copy_from_slice(untouched)),
                None
            );
        }
    }
}
