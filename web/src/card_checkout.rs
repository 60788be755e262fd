//! Sending a card order to the shop's Stripe Checkout: the shop's secret key unsealed, a
//! session opened for the order's total, its id kept on the order (the webhook settles only an
//! order sent to that very session), and the page the buyer pays on.

use actix_web::http::StatusCode;
use db::TenantScope;
use orders::OrderView;

use crate::blocking::blocking;
use crate::error::ApiError;
use crate::state::AppState;
use crate::stripe::StripeError;

/// Where a buyer comes back to from Stripe: a signed-in customer to the order's page, a
/// guest to the shop.
fn return_url(state: &AppState, code: &str, order: &OrderView, customer: bool) -> String {
    let shop = format!("{}/shop/{code}", state.config.public_base_url);
    match customer {
        true => format!("{shop}/account/orders/{}", order.order_number),
        false => format!("{shop}/"),
    }
}

/// Opens the Checkout Session for a card order that waits for its money; answers the
/// address the buyer pays at.
pub async fn open(
    state: &AppState,
    scope: TenantScope,
    code: &str,
    order: &OrderView,
    customer: bool,
) -> Result<String, ApiError> {
    let cards = state.card_payments.clone();
    let account = blocking(move || cards.card_account(&scope))
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::CONFLICT,
                "METHOD_UNAVAILABLE",
                "this shop no longer takes cards",
            )
        })?;
    let secret = state.sealer.unseal(&account.secret_key).map_err(provider)?;
    let back = return_url(state, code, order, customer);
    let session = state
        .stripe
        .open_session(&secret, order, &back, &back)
        .await
        .map_err(provider)?;
    let (cards, number, id) = (
        state.card_payments.clone(),
        order.order_number.clone(),
        session.id.clone(),
    );
    blocking(move || cards.attach_card_session(&scope, &number, &id)).await?;
    Ok(session.url)
}

/// A payment provider's failure, as the buyer's answer says it.
pub fn provider(e: StripeError) -> ApiError {
    tracing::warn!(error = %e, "card payment could not start");
    ApiError::new(
        StatusCode::BAD_GATEWAY,
        "PAYMENT_PROVIDER_ERROR",
        format!("the card payment could not start: {e}"),
    )
}
