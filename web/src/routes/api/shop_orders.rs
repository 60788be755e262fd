//! A shop's cart, checkout and the signed-in customer's orders
//! (`/api/v1/public/vendors/{vendor}/...`). The cart lives under an opaque session the
//! client keeps (pages keep it in a cookie); checkout takes every price from the catalogue
//! and refuses unknown body fields, so neither a price nor a `vendor_id` can be sent.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use db::pagination::{Page, PageRequest};
use orders::{
    Buyer, CartItemInput, CartSession, CartView, CheckoutInput, CheckoutOptions, OrderSummary,
    OrderView, PaymentMethod, QuantityInput,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::public_shop::{LanguageQuery, VendorPath, open_vendor};
use crate::blocking::blocking;
use crate::card_checkout;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ShopBuyer, ShopCustomer};
use crate::state::AppState;

/// A shop's cart: the vendor's code and the cart's session.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CartPath {
    /// The vendor's code.
    #[param(
        min_length = 2,
        max_length = 40,
        pattern = "^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$"
    )]
    pub vendor: String,
    /// The cart's session: 32 to 128 of `A-Z a-z 0-9 _ -`, random.
    #[param(min_length = 32, max_length = 128, pattern = "^[A-Za-z0-9_-]{32,128}$")]
    pub session: String,
}

/// One product's line of a cart.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CartItemPath {
    /// The vendor's code.
    #[param(
        min_length = 2,
        max_length = 40,
        pattern = "^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$"
    )]
    pub vendor: String,
    /// The cart's session: 32 to 128 of `A-Z a-z 0-9 _ -`, random.
    #[param(min_length = 32, max_length = 128, pattern = "^[A-Za-z0-9_-]{32,128}$")]
    pub session: String,
    #[param(minimum = 1)]
    pub product_id: i64,
}

/// A page of a list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// From 1; out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub page: Option<i64>,
    /// 1 to 100 (default 20); out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub per_page: Option<i64>,
}

/// The shop and the parsed session of a cart path.
async fn cart_of(
    state: &AppState,
    vendor: String,
    session: &str,
) -> Result<(db::TenantScope, CartSession), ApiError> {
    let session = CartSession::parse(session).map_err(|e| {
        ApiError::field(
            "session",
            e.message.map_or_else(String::new, |m| m.to_string()),
        )
    })?;
    let shop = open_vendor(state, vendor).await?;
    Ok((shop.scope, session))
}

/// The cart (empty when the session has none yet); `lang` picks the titles.
#[utoipa::path(tag = "shop", params(CartPath, LanguageQuery), responses(
    (status = 200, body = CartView),
    (status = 404, description = "VENDOR_NOT_FOUND", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR: not a cart session", body = ErrorBody)))]
#[get("/public/vendors/{vendor}/cart/{session}")]
pub async fn cart(
    state: web::Data<AppState>,
    path: web::Path<CartPath>,
    query: web::Query<LanguageQuery>,
) -> Result<web::Json<CartView>, ApiError> {
    let path = path.into_inner();
    let (scope, session) = cart_of(&state, path.vendor, &path.session).await?;
    let view = blocking(move || state.carts.cart(&scope, &session, query.lang)).await?;
    Ok(web::Json(view))
}

/// Adds units of a product on sale (the cart is made on first use).
#[utoipa::path(tag = "shop", params(CartPath, LanguageQuery), request_body = CartItemInput,
    responses((status = 200, body = CartView),
    (status = 404, description = "VENDOR_NOT_FOUND or PRODUCT_NOT_FOUND", body = ErrorBody),
    (status = 409, description = "INSUFFICIENT_INVENTORY, or QUANTITY_LIMIT: more than 999 in the cart", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[post("/public/vendors/{vendor}/cart/{session}/items")]
pub async fn add_item(
    state: web::Data<AppState>,
    path: web::Path<CartPath>,
    query: web::Query<LanguageQuery>,
    body: web::Json<CartItemInput>,
) -> Result<web::Json<CartView>, ApiError> {
    let path = path.into_inner();
    let (scope, session) = cart_of(&state, path.vendor, &path.session).await?;
    let view = blocking(move || state.carts.add(&scope, &session, &body, query.lang)).await?;
    Ok(web::Json(view))
}

/// Sets the quantity of a product in the cart.
#[utoipa::path(tag = "shop", params(CartItemPath, LanguageQuery), request_body = QuantityInput,
    responses((status = 200, body = CartView),
    (status = 404, description = "VENDOR_NOT_FOUND, PRODUCT_NOT_FOUND or NOT_IN_CART", body = ErrorBody),
    (status = 409, description = "INSUFFICIENT_INVENTORY", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[put("/public/vendors/{vendor}/cart/{session}/items/{product_id}")]
pub async fn set_quantity(
    state: web::Data<AppState>,
    path: web::Path<CartItemPath>,
    query: web::Query<LanguageQuery>,
    body: web::Json<QuantityInput>,
) -> Result<web::Json<CartView>, ApiError> {
    let path = path.into_inner();
    let product = db::ProductId(path.product_id);
    let (scope, session) = cart_of(&state, path.vendor, &path.session).await?;
    let view = blocking(move || {
        state
            .carts
            .set_quantity(&scope, &session, product, &body, query.lang)
    })
    .await?;
    Ok(web::Json(view))
}

/// Takes a product out of the cart.
#[utoipa::path(tag = "shop", params(CartItemPath, LanguageQuery), responses(
    (status = 200, body = CartView),
    (status = 404, description = "VENDOR_NOT_FOUND or NOT_IN_CART", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR: not a cart session", body = ErrorBody)))]
#[delete("/public/vendors/{vendor}/cart/{session}/items/{product_id}")]
pub async fn remove_item(
    state: web::Data<AppState>,
    path: web::Path<CartItemPath>,
    query: web::Query<LanguageQuery>,
) -> Result<web::Json<CartView>, ApiError> {
    let path = path.into_inner();
    let product = db::ProductId(path.product_id);
    let (scope, session) = cart_of(&state, path.vendor, &path.session).await?;
    let view = blocking(move || state.carts.remove(&scope, &session, product, query.lang)).await?;
    Ok(web::Json(view))
}

/// Empties the cart.
#[utoipa::path(tag = "shop", params(CartPath), responses(
    (status = 204, description = "emptied"),
    (status = 404, description = "VENDOR_NOT_FOUND", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR: not a cart session", body = ErrorBody)))]
#[delete("/public/vendors/{vendor}/cart/{session}")]
pub async fn clear(
    state: web::Data<AppState>,
    path: web::Path<CartPath>,
) -> Result<HttpResponse, ApiError> {
    let path = path.into_inner();
    let (scope, session) = cart_of(&state, path.vendor, &path.session).await?;
    blocking(move || state.carts.clear(&scope, &session)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// What claiming a cart takes: its path and the language of the answer.
type ClaimInput = (web::Path<CartPath>, web::Query<LanguageQuery>);

/// Makes the session's cart the signed-in customer's, merging in the cart they already had
/// (call it right after signing in).
#[utoipa::path(tag = "shop", params(CartPath, LanguageQuery), security(("bearer" = [])),
    responses((status = 200, body = CartView),
    (status = 401, description = "TOKEN_INVALID: no customer token of this shop", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR: not a cart session", body = ErrorBody)))]
#[post("/public/vendors/{vendor}/cart/{session}/claim")]
pub async fn claim(
    state: web::Data<AppState>,
    customer: ShopCustomer<ClaimInput>,
) -> Result<web::Json<CartView>, ApiError> {
    let (path, query) = customer.input;
    let path = path.into_inner();
    let (scope, session) = cart_of(&state, path.vendor, &path.session).await?;
    let id = customer.customer.id;
    let view = blocking(move || state.carts.claim(&scope, &session, id, query.lang)).await?;
    Ok(web::Json(view))
}

/// What the shop's checkout offers: shipping methods and prices, payment methods, VAT rate.
#[utoipa::path(tag = "shop", params(VendorPath), responses(
    (status = 200, body = CheckoutOptions),
    (status = 404, description = "VENDOR_NOT_FOUND", body = ErrorBody)))]
#[get("/public/vendors/{vendor}/checkout")]
pub async fn options(
    state: web::Data<AppState>,
    path: web::Path<VendorPath>,
) -> Result<web::Json<CheckoutOptions>, ApiError> {
    let shop = open_vendor(&state, path.into_inner().vendor).await?;
    let options = blocking(move || state.orders.options(&shop.scope)).await?;
    Ok(web::Json(options))
}

/// The `Idempotency-Key` header: 1 to 100 visible ASCII characters.
fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get("idempotency-key") else {
        return Ok(None);
    };
    match value.to_str() {
        Ok(key) if (1..=100).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()) => {
            Ok(Some(key.to_owned()))
        }
        _ => Err(ApiError::field(
            "Idempotency-Key",
            "1 to 100 visible ASCII characters",
        )),
    }
}

/// What a checkout takes: the shop's path and the order.
type CheckoutBody = (web::Path<VendorPath>, web::Json<CheckoutInput>);

/// Turns the cart into an order, as the signed-in customer (a customer token of this shop)
/// or as a guest (with `email`). Inventory is reserved in the same transaction; prices come
/// from the catalogue. Retrying with the same `Idempotency-Key` answers the first order (200).
#[utoipa::path(tag = "shop", params(VendorPath,
    ("Idempotency-Key" = Option<String>, Header, min_length = 1, max_length = 100,
        pattern = "^[!-~]{1,100}$", description = "makes retries safe: one order per key")),
    security((), ("bearer" = [])), request_body = CheckoutInput,
    responses((status = 201, description = "placed (a card order with the address to pay at)", body = PlacedOrder),
    (status = 200, description = "placed earlier with this Idempotency-Key", body = PlacedOrder),
    (status = 401, description = "TOKEN_INVALID: a token that is not a customer's of this shop", body = ErrorBody),
    (status = 404, description = "VENDOR_NOT_FOUND", body = ErrorBody),
    (status = 409, description = "INSUFFICIENT_INVENTORY (with `shortages`), CART_EMPTY, MIXED_CURRENCIES, or METHOD_UNAVAILABLE: a shipping or payment method the shop does not offer (`fields` names it)", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[post("/public/vendors/{vendor}/orders")]
pub async fn checkout(
    state: web::Data<AppState>,
    req: HttpRequest,
    buyer: ShopBuyer<CheckoutBody>,
) -> Result<HttpResponse, ApiError> {
    let key = idempotency_key(&req)?;
    let (path, body) = buyer.input;
    let shop = open_vendor(&state, path.into_inner().vendor).await?;
    let who = match buyer.customer {
        Some(c) => Buyer::Customer(c.id),
        None => Buyer::Guest,
    };
    let orders = state.orders.clone();
    let (order, placed) =
        blocking(move || orders.checkout(&shop.scope, who, &body, key.as_deref())).await?;
    let mut answer = PlacedOrder {
        order,
        payment_url: None,
        payment_error: None,
    };
    let waits_for_card = answer.order.payment_method == PaymentMethod::Card.as_str()
        && answer.order.payment_status == "unpaid";
    if waits_for_card {
        let customer = matches!(who, Buyer::Customer(_));
        match card_checkout::open(&state, shop.scope, &shop.code, &answer.order, customer).await {
            Ok(url) => answer.payment_url = Some(url),
            // The order stands (its units are held): the buyer may try again.
            Err(e) => answer.payment_error = Some(e.detail),
        }
    }
    Ok(if placed {
        HttpResponse::Created().json(answer)
    } else {
        HttpResponse::Ok().json(answer)
    })
}

/// A placed order; a card order comes with the Stripe Checkout address to pay at.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacedOrder {
    #[serde(flatten)]
    pub order: OrderView,
    /// Where to send the buyer to pay by card (card orders only).
    pub payment_url: Option<String>,
    /// Why the card payment could not start (the order stands; try again from the order).
    pub payment_error: Option<String>,
}

/// Where to pay a card order by card.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentLink {
    pub payment_url: String,
}

/// Opens (again) the card payment of one of the signed-in customer's card orders that waits
/// for its money: the Stripe Checkout address to pay at.
#[utoipa::path(tag = "shop", params(VendorPath,
    ("order_number" = String, Path, min_length = 1, max_length = 40)),
    security(("bearer" = [])), responses((status = 200, body = PaymentLink),
    (status = 401, description = "TOKEN_INVALID", body = ErrorBody),
    (status = 404, description = "ORDER_NOT_FOUND: not the customer's, not a card order, or paid already", body = ErrorBody),
    (status = 409, description = "METHOD_UNAVAILABLE: the shop no longer takes cards", body = ErrorBody),
    (status = 502, description = "PAYMENT_PROVIDER_ERROR", body = ErrorBody)))]
#[post("/public/vendors/{vendor}/customers/me/orders/{order_number}/card-payment")]
pub async fn pay_by_card(
    state: web::Data<AppState>,
    customer: ShopCustomer<web::Path<(String, String)>>,
) -> Result<web::Json<PaymentLink>, ApiError> {
    let (scope, id) = (customer.scope, customer.customer.id);
    let (code, number) = customer.input.into_inner();
    let (orders, cards) = (state.orders.clone(), state.card_payments.clone());
    let order = blocking(move || {
        orders.customer_order(&scope, id, &number)?;
        cards.card_order(&scope, &number)
    })
    .await?;
    let payment_url = card_checkout::open(&state, scope, &code, &order, true).await?;
    Ok(web::Json(PaymentLink { payment_url }))
}

/// What listing orders takes: the shop's path and the page.
type OrdersQuery = (web::Path<VendorPath>, web::Query<PageQuery>);

/// The signed-in customer's orders, newest first.
#[utoipa::path(tag = "shop", params(VendorPath, PageQuery), security(("bearer" = [])), responses(
    (status = 200, body = Page<OrderSummary>),
    (status = 401, description = "TOKEN_INVALID", body = ErrorBody)))]
#[get("/public/vendors/{vendor}/customers/me/orders")]
pub async fn my_orders(
    state: web::Data<AppState>,
    customer: ShopCustomer<OrdersQuery>,
) -> Result<web::Json<Page<OrderSummary>>, ApiError> {
    let (scope, id) = (customer.scope, customer.customer.id);
    let query = customer.input.1;
    let page = PageRequest::new(query.page, query.per_page);
    let list = blocking(move || state.orders.customer_orders(&scope, id, page)).await?;
    Ok(web::Json(list))
}

/// One of the signed-in customer's orders, with items and status history.
#[utoipa::path(tag = "shop", params(VendorPath,
    ("order_number" = String, Path, min_length = 1, max_length = 40)),
    security(("bearer" = [])), responses((status = 200, body = OrderView),
    (status = 401, description = "TOKEN_INVALID", body = ErrorBody),
    (status = 404, description = "ORDER_NOT_FOUND", body = ErrorBody)))]
#[get("/public/vendors/{vendor}/customers/me/orders/{order_number}")]
pub async fn my_order(
    state: web::Data<AppState>,
    customer: ShopCustomer<web::Path<(String, String)>>,
) -> Result<web::Json<OrderView>, ApiError> {
    let (scope, id) = (customer.scope, customer.customer.id);
    let number = customer.input.into_inner().1;
    let order = blocking(move || state.orders.customer_order(&scope, id, &number)).await?;
    Ok(web::Json(order))
}
