//! A shop's customer accounts (`/api/v1/public/vendors/{vendor}/...`): register and sign in
//! at one shop (accounts are per vendor), then the signed-in customer's own profile,
//! password and address book, and password resets by e-mailed link. Every `/customers/me` route takes a customer token of this
//! shop ([`ShopCustomer`]); another shop's token is refused.

use actix_web::{HttpResponse, delete, get, post, put, web};
use auth::{CustomerLogin, CustomerSession};
use customers::{
    AddressInput, AddressView, CustomerProfile, PasswordChange, PasswordReset, ProfileUpdate,
    Register, ResetRequest,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::public_shop::{VendorPath, open_vendor};
use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Client, ShopCustomer};
use crate::state::AppState;

/// A customer's account (after registering or resetting the password).
#[derive(Debug, Serialize, ToSchema)]
pub struct Registered {
    pub customer: CustomerProfile,
}

/// Opens a customer account at this shop (the same e-mail at another shop is another account).
#[utoipa::path(tag = "shop", params(VendorPath), request_body = Register, responses(
    (status = 201, body = Registered),
    (status = 403, description = "REGISTRATION_CLOSED: the platform takes no new accounts for now", body = ErrorBody),
    (status = 404, description = "VENDOR_NOT_FOUND", body = ErrorBody),
    (status = 409, description = "EMAIL_TAKEN", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[post("/public/vendors/{vendor}/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    path: web::Path<VendorPath>,
    body: web::Json<Register>,
) -> Result<HttpResponse, ApiError> {
    let shop = open_vendor(&state, path.into_inner().vendor).await?;
    if !state.platform_settings.current().registration_open {
        return Err(ApiError::new(
            actix_web::http::StatusCode::FORBIDDEN,
            "REGISTRATION_CLOSED",
            "new customer accounts cannot be opened at the moment; you can still order as a guest",
        ));
    }
    let customer = blocking(move || state.customers.register(&shop.scope, &body)).await?;
    Ok(HttpResponse::Created().json(Registered { customer }))
}

/// A customer signs in to this shop: a token pair for this shop only.
#[utoipa::path(tag = "shop", params(VendorPath), request_body = CustomerLogin, responses(
    (status = 200, body = CustomerSession),
    (status = 401, description = "INVALID_CREDENTIALS", body = ErrorBody),
    (status = 403, description = "ACCOUNT_INACTIVE", body = ErrorBody),
    (status = 404, description = "VENDOR_NOT_FOUND", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody),
    (status = 429, description = "RATE_LIMITED", body = ErrorBody)))]
#[post("/public/vendors/{vendor}/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    client: Client,
    path: web::Path<VendorPath>,
    body: web::Json<CustomerLogin>,
) -> Result<web::Json<CustomerSession>, ApiError> {
    let shop = open_vendor(&state, path.into_inner().vendor).await?;
    let session = blocking(move || {
        state
            .auth
            .customer_login(&shop.scope, &body, &client.info())
    })
    .await?;
    Ok(web::Json(session))
}

/// "I forgot my password": e-mails a reset link (valid one hour, once) if the shop has an
/// account with this e-mail. The answer is the same either way, so it tells nobody which
/// e-mails have accounts.
#[utoipa::path(tag = "shop", params(VendorPath), request_body = ResetRequest, responses(
    (status = 202, description = "a link is on its way if the account exists"),
    (status = 404, description = "VENDOR_NOT_FOUND", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody),
    (status = 429, description = "RATE_LIMITED", body = ErrorBody)))]
#[post("/public/vendors/{vendor}/auth/password-reset")]
pub async fn request_reset(
    state: web::Data<AppState>,
    client: Client,
    path: web::Path<VendorPath>,
    body: web::Json<ResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let shop = open_vendor(&state, path.into_inner().vendor).await?;
    blocking(move || {
        // Counted like a sign-in attempt, so nobody can flood an inbox with links.
        state
            .auth
            .count_customer_attempt(&shop.scope, &body.email, &client.info())?;
        state
            .customers
            .request_reset(&shop.scope, &body)
            .map_err(ApiError::from)
    })
    .await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Sets a new password with the token of an e-mailed reset link; every session of the
/// customer ends.
#[utoipa::path(tag = "shop", params(VendorPath), request_body = PasswordReset, responses(
    (status = 200, body = Registered),
    (status = 404, description = "VENDOR_NOT_FOUND, or RESET_LINK_INVALID: unknown, used or expired", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[post("/public/vendors/{vendor}/auth/password-reset/confirm")]
pub async fn reset_password(
    state: web::Data<AppState>,
    path: web::Path<VendorPath>,
    body: web::Json<PasswordReset>,
) -> Result<web::Json<Registered>, ApiError> {
    let shop = open_vendor(&state, path.into_inner().vendor).await?;
    let customer = blocking(move || state.customers.reset_password(&shop.scope, &body)).await?;
    Ok(web::Json(Registered { customer }))
}

/// The signed-in customer's profile.
#[utoipa::path(tag = "shop", params(VendorPath), security(("bearer" = [])), responses(
    (status = 200, body = CustomerProfile),
    (status = 401, description = "TOKEN_INVALID: no customer token of this shop", body = ErrorBody),
    (status = 403, description = "ACCOUNT_INACTIVE", body = ErrorBody)))]
#[get("/public/vendors/{vendor}/customers/me")]
pub async fn me(
    state: web::Data<AppState>,
    customer: ShopCustomer,
) -> Result<web::Json<CustomerProfile>, ApiError> {
    let (scope, id) = (customer.scope, customer.customer.id);
    let profile = blocking(move || state.customers.profile(&scope, id)).await?;
    Ok(web::Json(profile))
}

/// Changes the profile: absent fields stay, `phone: null` clears the phone.
#[utoipa::path(tag = "shop", params(VendorPath), security(("bearer" = [])), request_body = ProfileUpdate,
    responses((status = 200, body = CustomerProfile),
    (status = 401, description = "TOKEN_INVALID", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[put("/public/vendors/{vendor}/customers/me")]
pub async fn update_me(
    state: web::Data<AppState>,
    customer: ShopCustomer<web::Json<ProfileUpdate>>,
) -> Result<web::Json<CustomerProfile>, ApiError> {
    let (scope, id, body) = (customer.scope, customer.customer.id, customer.input);
    let profile = blocking(move || state.customers.update_profile(&scope, id, &body)).await?;
    Ok(web::Json(profile))
}

/// Changes the password (the current one is asked); every session of the customer ends.
#[utoipa::path(tag = "shop", params(VendorPath), security(("bearer" = [])), request_body = PasswordChange,
    responses((status = 204, description = "changed; sign in again"),
    (status = 401, description = "TOKEN_INVALID", body = ErrorBody),
    (status = 403, description = "WRONG_PASSWORD: the current password is not right", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[post("/public/vendors/{vendor}/customers/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    customer: ShopCustomer<web::Json<PasswordChange>>,
) -> Result<HttpResponse, ApiError> {
    let (scope, id, body) = (customer.scope, customer.customer.id, customer.input);
    blocking(move || state.customers.change_password(&scope, id, &body)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The address book.
#[utoipa::path(tag = "shop", params(VendorPath), security(("bearer" = [])), responses(
    (status = 200, body = Vec<AddressView>),
    (status = 401, description = "TOKEN_INVALID", body = ErrorBody)))]
#[get("/public/vendors/{vendor}/customers/me/addresses")]
pub async fn addresses(
    state: web::Data<AppState>,
    customer: ShopCustomer,
) -> Result<web::Json<Vec<AddressView>>, ApiError> {
    let (scope, id) = (customer.scope, customer.customer.id);
    let book = blocking(move || state.customers.addresses(&scope, id)).await?;
    Ok(web::Json(book))
}

/// Adds an address (the first one becomes the default for shipping and billing).
#[utoipa::path(tag = "shop", params(VendorPath), security(("bearer" = [])), request_body = AddressInput,
    responses((status = 201, body = AddressView),
    (status = 401, description = "TOKEN_INVALID", body = ErrorBody),
    (status = 409, description = "TOO_MANY_ADDRESSES", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[post("/public/vendors/{vendor}/customers/me/addresses")]
pub async fn add_address(
    state: web::Data<AppState>,
    customer: ShopCustomer<web::Json<AddressInput>>,
) -> Result<HttpResponse, ApiError> {
    let (scope, id, body) = (customer.scope, customer.customer.id, customer.input);
    let address = blocking(move || state.customers.add_address(&scope, id, &body)).await?;
    Ok(HttpResponse::Created().json(address))
}

/// What replacing an address takes: its path and the new address.
type AddressEdit = (web::Path<(String, i64)>, web::Json<AddressInput>);

/// Replaces an address of the customer's own book.
#[utoipa::path(tag = "shop", params(VendorPath, ("id" = i64, Path, minimum = 1)),
    security(("bearer" = [])), request_body = AddressInput,
    responses((status = 200, body = AddressView),
    (status = 401, description = "TOKEN_INVALID", body = ErrorBody),
    (status = 404, description = "ADDRESS_NOT_FOUND", body = ErrorBody),
    (status = 422, description = "VALIDATION_ERROR", body = ErrorBody)))]
#[put("/public/vendors/{vendor}/customers/me/addresses/{id}")]
pub async fn replace_address(
    state: web::Data<AppState>,
    customer: ShopCustomer<AddressEdit>,
) -> Result<web::Json<AddressView>, ApiError> {
    let (scope, id) = (customer.scope, customer.customer.id);
    let (path, body) = customer.input;
    let address = db::AddressId(path.1);
    let view =
        blocking(move || state.customers.replace_address(&scope, id, address, &body)).await?;
    Ok(web::Json(view))
}

/// Deletes an address of the customer's own book.
#[utoipa::path(tag = "shop", params(VendorPath, ("id" = i64, Path, minimum = 1)),
    security(("bearer" = [])), responses((status = 204, description = "deleted"),
    (status = 401, description = "TOKEN_INVALID", body = ErrorBody),
    (status = 404, description = "ADDRESS_NOT_FOUND", body = ErrorBody)))]
#[delete("/public/vendors/{vendor}/customers/me/addresses/{id}")]
pub async fn delete_address(
    state: web::Data<AppState>,
    customer: ShopCustomer<web::Path<(String, i64)>>,
) -> Result<HttpResponse, ApiError> {
    let (scope, id) = (customer.scope, customer.customer.id);
    let address = db::AddressId(customer.input.1);
    blocking(move || state.customers.delete_address(&scope, id, address)).await?;
    Ok(HttpResponse::NoContent().finish())
}
