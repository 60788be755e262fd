//! Card payments: the vendor connects its Stripe account (the keys are sealed before they are
//! stored, and never shown again), and Stripe tells the platform of payments through the
//! vendor's webhook address, each event signed with the vendor's endpoint secret.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use orders::{CardAccountView, CardEvent, CardOutcome, NewCardAccount};
use serde::{Deserialize, Serialize};
use teams::needs::SettingsEdit;
use utoipa::ToSchema;
use validator::Validate;

use super::public_shop::open_vendor;
use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Client, Member};
use crate::state::AppState;
use crate::stripe::{SignatureError, verify_signature};

/// The shop's Stripe keys, from its Stripe dashboard: the secret API key and the signing
/// secret of the webhook endpoint pointed at `webhook_url`.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CardAccountInput {
    #[validate(length(min = 16, max = 255), custom(function = "secret_key"))]
    #[schema(
        min_length = 16,
        max_length = 255,
        pattern = "^sk_(test|live)_[A-Za-z0-9]{8,246}$"
    )]
    pub secret_key: String,
    #[validate(length(min = 16, max = 255), custom(function = "webhook_secret"))]
    #[schema(
        min_length = 16,
        max_length = 255,
        pattern = "^whsec_[A-Za-z0-9]{10,249}$"
    )]
    pub webhook_secret: String,
}

fn alphanumeric_after(value: &str, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|p| {
        value
            .strip_prefix(p)
            .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
    })
}

fn secret_key(value: &str) -> Result<(), validator::ValidationError> {
    if alphanumeric_after(value, &["sk_test_", "sk_live_"]) {
        return Ok(());
    }
    Err(validator::ValidationError::new("secret_key").with_message(
        "paste the secret key from your Stripe dashboard (sk_live_… or sk_test_…)".into(),
    ))
}

fn webhook_secret(value: &str) -> Result<(), validator::ValidationError> {
    if alphanumeric_after(value, &["whsec_"]) {
        return Ok(());
    }
    Err(validator::ValidationError::new("webhook_secret")
        .with_message("paste the webhook signing secret (whsec_…)".into()))
}

/// The connected account as the dashboard shows it, with the address to give Stripe.
#[derive(Debug, Serialize, ToSchema)]
pub struct CardAccountSettings {
    #[serde(flatten)]
    pub account: CardAccountView,
    /// The webhook endpoint to create in Stripe (events: `checkout.session.completed`,
    /// `checkout.session.async_payment_succeeded`).
    pub webhook_url: String,
}

fn settings(state: &AppState, code: &str, account: CardAccountView) -> CardAccountSettings {
    CardAccountSettings {
        account,
        webhook_url: format!(
            "{}/api/v1/webhooks/stripe/{code}",
            state.config.public_base_url
        ),
    }
}

/// Whether the shop has a Stripe account connected, and its webhook address
/// [settings.edit].
#[utoipa::path(tag = "vendor", security(("bearer" = ["settings.edit"])),
    responses((status = 200, body = CardAccountSettings)))]
#[get("/vendor/settings/card-payments")]
pub async fn show(
    state: web::Data<AppState>,
    member: Member<SettingsEdit>,
) -> Result<web::Json<CardAccountSettings>, ApiError> {
    let (scope, code) = (member.scope(), member.principal.member.vendor.code.clone());
    let cards = state.card_payments.clone();
    let view = blocking(move || cards.card_account_view(&scope)).await?;
    Ok(web::Json(settings(&state, &code, view)))
}

/// Connects the shop's Stripe account (replacing one connected before); the keys are sealed
/// at rest and never answered. Add `card` to the checkout's payment methods to offer it
/// (audited) [settings.edit].
#[utoipa::path(tag = "vendor", request_body = CardAccountInput, security(("bearer" = ["settings.edit"])),
    responses((status = 200, body = CardAccountSettings),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[put("/vendor/settings/card-payments")]
pub async fn connect(
    state: web::Data<AppState>,
    client: Client,
    member: Member<SettingsEdit, web::Json<CardAccountInput>>,
) -> Result<web::Json<CardAccountSettings>, ApiError> {
    let (scope, actor, code) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
        member.principal.member.vendor.code.clone(),
    );
    let input = member.input.into_inner();
    input.validate().map_err(|e| ApiError::validation(&e))?;
    let secret_key_sealed = state.sealer.seal(&input.secret_key);
    let webhook_secret_sealed = state.sealer.seal(&input.webhook_secret);
    let hint: String = input
        .secret_key
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let live_mode = input.secret_key.starts_with("sk_live_");
    let cards = state.card_payments.clone();
    let view = blocking(move || {
        cards.connect_card_account(
            &scope,
            &actor,
            &NewCardAccount {
                secret_key_sealed: &secret_key_sealed,
                webhook_secret_sealed: &webhook_secret_sealed,
                key_hint: &hint,
                live_mode,
            },
        )
    })
    .await?;
    Ok(web::Json(settings(&state, &code, view)))
}

/// Disconnects the shop's Stripe account: checkout stops offering cards (audited)
/// [settings.edit].
#[utoipa::path(tag = "vendor", security(("bearer" = ["settings.edit"])),
    responses((status = 204, description = "disconnected")))]
#[delete("/vendor/settings/card-payments")]
pub async fn disconnect(
    state: web::Data<AppState>,
    client: Client,
    member: Member<SettingsEdit>,
) -> Result<HttpResponse, ApiError> {
    let (scope, actor) = (
        member.scope(),
        client.acting(member.principal.member.user.id),
    );
    let cards = state.card_payments.clone();
    blocking(move || cards.disconnect_card_account(&scope, &actor)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A Stripe event, as much of it as settling a payment needs.
#[derive(Debug, Deserialize)]
struct StripeEvent {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: StripeEventData,
}

#[derive(Debug, Deserialize)]
struct StripeEventData {
    object: serde_json::Value,
}

impl StripeEvent {
    fn card_event(&self) -> CardEvent {
        let object = &self.data.object;
        let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
        let is_session = object["object"] == "checkout.session";
        CardEvent {
            id: self.id.clone(),
            kind: self.kind.clone(),
            session_id: is_session.then(|| text(&object["id"])).flatten(),
            paid: object["payment_status"] == "paid",
            order_number: text(&object["metadata"]["order_number"])
                .or_else(|| text(&object["client_reference_id"])),
        }
    }
}

/// What the webhook did with an event.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookAnswer {
    pub outcome: CardOutcome,
}

/// A webhook that cannot prove it comes from the shop's Stripe account is not authenticated.
fn unsigned(code: &'static str, detail: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, code, detail)
}

/// Stripe's events for one shop, signed with the shop's endpoint secret
/// (`Stripe-Signature`). A paid `checkout.session.completed` (or
/// `checkout.session.async_payment_succeeded`) marks the order it was opened for paid and
/// confirmed; each event counts once however often it is delivered; other events are
/// acknowledged and ignored.
#[utoipa::path(tag = "shop",
    params(("vendor" = String, Path, min_length = 2, max_length = 40, pattern = "^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$"),
        ("Stripe-Signature" = String, Header, min_length = 1, description = "t=<unix time>,v1=<hex HMAC-SHA256>")),
    request_body(content = Object, description = "a Stripe event", content_type = "application/json"),
    responses((status = 200, body = WebhookAnswer),
    (status = 400, description = "EVENT_INVALID: a correctly signed body that is not a Stripe event", body = ErrorBody),
    (status = 401, description = "SIGNATURE_INVALID (missing, malformed or not the shop's) or SIGNATURE_EXPIRED (older than five minutes)", body = ErrorBody),
    (status = 404, description = "VENDOR_NOT_FOUND or CARD_ACCOUNT_NOT_FOUND", body = ErrorBody)))]
#[post("/webhooks/stripe/{vendor}")]
pub async fn webhook(
    state: web::Data<AppState>,
    req: HttpRequest,
    vendor: web::Path<String>,
    body: web::Bytes,
) -> Result<web::Json<WebhookAnswer>, ApiError> {
    let header = req
        .headers()
        .get("Stripe-Signature")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            unsigned(
                "SIGNATURE_INVALID",
                "the Stripe-Signature header is missing",
            )
        })?
        .to_owned();
    let shop = open_vendor(&state, vendor.into_inner()).await?;
    let scope = shop.scope;
    let cards = state.card_payments.clone();
    let account = blocking(move || cards.card_account(&scope))
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "CARD_ACCOUNT_NOT_FOUND",
                "this shop has no card account connected",
            )
        })?;
    let secret = state
        .sealer
        .unseal(&account.webhook_secret)
        .map_err(|e| ApiError::internal(&e))?;
    verify_signature(&header, &body, &secret, chrono::Utc::now().timestamp()).map_err(
        |e| match e {
            SignatureError::Expired => unsigned("SIGNATURE_EXPIRED", e.to_string()),
            SignatureError::Malformed | SignatureError::Mismatch => {
                unsigned("SIGNATURE_INVALID", e.to_string())
            }
        },
    )?;
    let event: StripeEvent = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "EVENT_INVALID",
            format!("not a Stripe event: {e}"),
        )
    })?;
    let event = event.card_event();
    let cards = state.card_payments.clone();
    let outcome = blocking(move || cards.settle_card_event(&scope, &event)).await?;
    Ok(web::Json(WebhookAnswer { outcome }))
}
