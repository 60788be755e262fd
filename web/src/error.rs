//! The one JSON error shape (API.md) and how each domain error maps onto it.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use auth::AuthError;
use catalog::CatalogError;
use inventory::InventoryError;
use serde::Serialize;
use teams::TeamError;
use tenancy::TenancyError;
use utoipa::ToSchema;

use crate::request_id;

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub detail: String,
    pub error_code: &'static str,
    pub status_code: u16,
    pub timestamp: String,
    pub request_id: String,
    /// For 422 validation errors: messages per field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, Vec<String>>>,
    /// For 409 `INSUFFICIENT_INVENTORY` at checkout: each product short, with what was asked
    /// and what is available.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shortages: Option<Vec<orders::Shortage>>,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub detail: String,
    pub fields: Option<BTreeMap<String, Vec<String>>>,
    pub shortages: Option<Vec<orders::Shortage>>,
    pub retry_after_secs: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status,
            code,
            detail: detail.into(),
            fields: None,
            shortages: None,
            retry_after_secs: None,
        }
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("{what} not found"),
        )
    }

    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "TOKEN_INVALID",
            "sign in to continue",
        )
    }

    pub fn permission_denied(permission: teams::Permission) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "PERMISSION_DENIED",
            format!("you need the '{permission}' permission"),
        )
    }

    pub fn invalid(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, detail)
    }

    /// Any failure whose details must not reach the client: logged here with the request id.
    pub fn internal(error: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %error, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "something went wrong on our side",
        )
    }

    /// A storage failure: 503 while no connection can be had (the database is down or the
    /// pool exhausted, worth retrying), else an internal error.
    pub fn storage(error: &db::Error) -> Self {
        if error.is_nul_refusal() {
            return Self::invalid(
                "INVALID_INPUT",
                "a value holds a NUL character, which cannot be stored",
            );
        }
        match error {
            db::Error::Pool(_) => {
                tracing::error!(error = %error, "database unavailable");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "SERVICE_UNAVAILABLE",
                    "the service is briefly unavailable; try again",
                )
            }
            other => Self::internal(other),
        }
    }

    /// A multipart upload that could not be read.
    pub fn upload(error: &actix_web::Error) -> Self {
        use actix_multipart::MultipartError as M;
        match error.as_error::<M>() {
            Some(M::Payload(actix_web::error::PayloadError::Overflow)) => Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "PAYLOAD_TOO_LARGE",
                "the upload is too large",
            ),
            Some(M::ContentTypeMissing | M::ContentTypeParse | M::ContentTypeIncompatible) => {
                Self::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "UNSUPPORTED_MEDIA_TYPE",
                    "send the upload as multipart/form-data",
                )
            }
            // A field's own limit is reported wrapped in the field's name.
            Some(M::Field { source, .. }) => Self::upload(source),
            Some(M::MissingField(field)) => Self::invalid(
                "INVALID_UPLOAD",
                format!("the upload needs the field '{field}'"),
            ),
            _ => Self::invalid(
                "INVALID_UPLOAD",
                format!("the upload is not valid: {error}"),
            ),
        }
    }

    pub fn validation(errors: &validator::ValidationErrors) -> Self {
        let mut fields = BTreeMap::new();
        collect_fields("", errors, &mut fields);
        Self {
            fields: Some(fields),
            ..Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "VALIDATION_ERROR",
                "some fields are not valid",
            )
        }
    }

    /// A 422 `VALIDATION_ERROR` about one field.
    pub fn field(name: &str, message: impl Into<String>) -> Self {
        Self {
            fields: Some(BTreeMap::from([(name.to_owned(), vec![message.into()])])),
            ..Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "VALIDATION_ERROR",
                "some fields are not valid",
            )
        }
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            detail: self.detail.clone(),
            error_code: self.code,
            status_code: self.status.as_u16(),
            timestamp: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            request_id: request_id::current(),
            fields: self.fields.clone(),
            shortages: self.shortages.clone(),
        }
    }
}

fn collect_fields(
    prefix: &str,
    errors: &validator::ValidationErrors,
    out: &mut BTreeMap<String, Vec<String>>,
) {
    use validator::ValidationErrorsKind;
    for (field, kind) in errors.errors() {
        let name = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                let messages = list.iter().map(|e| {
                    e.message
                        .as_ref()
                        .map_or_else(|| format!("is not valid ({})", e.code), |m| m.to_string())
                });
                out.entry(name).or_default().extend(messages);
            }
            ValidationErrorsKind::Struct(inner) => collect_fields(&name, inner, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect_fields(&format!("{name}[{index}]"), inner, out);
                }
            }
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.detail)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        if let Some(secs) = self.retry_after_secs {
            response.insert_header((header::RETRY_AFTER, HeaderValue::from(secs)));
        }
        response.json(self.body())
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        use StatusCode as S;
        match e {
            AuthError::InvalidCredentials => {
                Self::new(S::UNAUTHORIZED, "INVALID_CREDENTIALS", e.to_string())
            }
            AuthError::AccountInactive => {
                Self::new(S::FORBIDDEN, "ACCOUNT_INACTIVE", e.to_string())
            }
            AuthError::VendorInactive => Self::new(S::FORBIDDEN, "VENDOR_INACTIVE", e.to_string()),
            AuthError::NotAMember => Self::new(S::FORBIDDEN, "NOT_A_MEMBER", e.to_string()),
            AuthError::TokenInvalid => Self::new(S::UNAUTHORIZED, "TOKEN_INVALID", e.to_string()),
            AuthError::TokenExpired => Self::new(S::UNAUTHORIZED, "TOKEN_EXPIRED", e.to_string()),
            AuthError::RateLimited { retry_after } => Self {
                retry_after_secs: Some(retry_after.as_secs().max(1)),
                ..Self::new(S::TOO_MANY_REQUESTS, "RATE_LIMITED", e.to_string())
            },
            AuthError::CannotImpersonateAdmin => {
                Self::new(S::FORBIDDEN, "CANNOT_IMPERSONATE_ADMIN", e.to_string())
            }
            AuthError::SupportTargetNotFound => {
                Self::new(S::NOT_FOUND, "TARGET_NOT_FOUND", e.to_string())
            }
            AuthError::SupportSession => Self::new(S::FORBIDDEN, "SUPPORT_SESSION", e.to_string()),
            AuthError::Invitation(c) => Self::from(c),
            AuthError::Validation(v) => Self::validation(&v),
            AuthError::Storage(s) => Self::storage(&s),
            AuthError::Hashing(_) => Self::internal(&e),
        }
    }
}

impl From<TenancyError> for ApiError {
    fn from(e: TenancyError) -> Self {
        use StatusCode as S;
        match e {
            TenancyError::NotFound => Self::new(S::NOT_FOUND, "VENDOR_NOT_FOUND", e.to_string()),
            TenancyError::CodeTaken(_) => {
                Self::new(S::CONFLICT, "VENDOR_CODE_TAKEN", e.to_string())
            }
            TenancyError::SubdomainTaken(_) => {
                Self::new(S::CONFLICT, "SUBDOMAIN_TAKEN", e.to_string())
            }
            TenancyError::OwnerIsAdmin(_) => {
                Self::new(S::CONFLICT, "OWNER_IS_PLATFORM_ADMIN", e.to_string())
            }
            TenancyError::OwnerExists(_) => Self::new(S::CONFLICT, "OWNER_EXISTS", e.to_string()),
            TenancyError::BulkImportNotFound => {
                Self::new(S::NOT_FOUND, "BULK_IMPORT_NOT_FOUND", e.to_string())
            }
            TenancyError::InvalidFile(_) => Self::invalid("INVALID_FILE", e.to_string()),
            TenancyError::DomainTaken(_) => Self::new(S::CONFLICT, "DOMAIN_TAKEN", e.to_string()),
            TenancyError::DomainNotFound => {
                Self::new(S::NOT_FOUND, "DOMAIN_NOT_FOUND", e.to_string())
            }
            TenancyError::Validation(v) => Self::validation(&v),
            TenancyError::Storage(s) => Self::storage(&s),
            TenancyError::Team(t) => Self::from(t),
            TenancyError::Inventory(i) => Self::from(i),
            TenancyError::Hashing(_) => Self::internal(&e),
        }
    }
}

impl From<auth::UserAdminError> for ApiError {
    fn from(e: auth::UserAdminError) -> Self {
        use auth::UserAdminError as U;
        match e {
            U::NotFound => Self::new(StatusCode::NOT_FOUND, "USER_NOT_FOUND", e.to_string()),
            U::LastAdmin => Self::new(StatusCode::CONFLICT, "LAST_ADMIN", e.to_string()),
            U::TeamMember => Self::new(StatusCode::CONFLICT, "TEAM_MEMBER", e.to_string()),
            U::Validation(v) => Self::validation(&v),
            U::Storage(s) => Self::storage(&s),
            U::Hashing(_) => Self::internal(&e),
        }
    }
}

impl From<platform::PlatformError> for ApiError {
    fn from(e: platform::PlatformError) -> Self {
        use platform::PlatformError as P;
        match e {
            P::UnknownSetting(_) => {
                Self::new(StatusCode::NOT_FOUND, "SETTING_NOT_FOUND", e.to_string())
            }
            P::InvalidSetting {
                ref key,
                ref message,
            } => Self::field(key, message.clone()),
            P::InvalidCursor => Self::field("after", e.to_string()),
            P::MassActionNotFound => Self::new(
                StatusCode::NOT_FOUND,
                "MASS_ACTION_NOT_FOUND",
                e.to_string(),
            ),
            P::NothingToDo => Self::invalid("NOTHING_TO_DO", e.to_string()),
            P::TooManyVendors(_) => Self::field("vendor_ids", e.to_string()),
            P::Validation(v) => Self::validation(&v),
            P::Storage(s) => Self::storage(&s),
        }
    }
}

impl From<customers::CustomerError> for ApiError {
    fn from(e: customers::CustomerError) -> Self {
        use StatusCode as S;
        use customers::CustomerError as C;
        match e {
            C::NotFound => Self::new(S::NOT_FOUND, "CUSTOMER_NOT_FOUND", e.to_string()),
            C::AddressNotFound => Self::new(S::NOT_FOUND, "ADDRESS_NOT_FOUND", e.to_string()),
            C::EmailTaken => Self::new(S::CONFLICT, "EMAIL_TAKEN", e.to_string()),
            // Authenticated, but not allowed to change it without the right current password.
            C::WrongPassword => Self {
                status: S::FORBIDDEN,
                code: "WRONG_PASSWORD",
                detail: e.to_string(),
                ..Self::field("current_password", e.to_string())
            },
            C::ResetLinkInvalid => Self::new(S::NOT_FOUND, "RESET_LINK_INVALID", e.to_string()),
            C::Erased => Self::new(S::CONFLICT, "CUSTOMER_ERASED", e.to_string()),
            C::TooManyAddresses(_) => Self::new(S::CONFLICT, "TOO_MANY_ADDRESSES", e.to_string()),
            C::Validation(v) => Self::validation(&v),
            C::Storage(s) => Self::storage(&s),
            C::Hashing(_) => Self::internal(&e),
        }
    }
}

impl From<orders::OrderError> for ApiError {
    fn from(e: orders::OrderError) -> Self {
        use StatusCode as S;
        use orders::OrderError as O;
        match e {
            O::ProductNotFound => Self::new(S::NOT_FOUND, "PRODUCT_NOT_FOUND", e.to_string()),
            O::NotInCart => Self::new(S::NOT_FOUND, "NOT_IN_CART", e.to_string()),
            O::NotFound => Self::new(S::NOT_FOUND, "ORDER_NOT_FOUND", e.to_string()),
            O::InvalidTransition { .. } => {
                Self::new(S::CONFLICT, "INVALID_ORDER_STATUS", e.to_string())
            }
            O::ShipmentRequired => Self::new(S::CONFLICT, "SHIPMENT_REQUIRED", e.to_string()),
            O::PaymentClosed { .. } => Self::new(S::CONFLICT, "PAYMENT_CLOSED", e.to_string()),
            O::NotRefundable { .. } => Self::new(S::CONFLICT, "NOT_REFUNDABLE", e.to_string()),
            O::Insufficient(ref shortages) => Self {
                shortages: Some(shortages.clone()),
                ..Self::new(S::CONFLICT, "INSUFFICIENT_INVENTORY", e.to_string())
            },
            O::CartEmpty => Self::new(S::CONFLICT, "CART_EMPTY", e.to_string()),
            O::MixedCurrencies => Self::new(S::CONFLICT, "MIXED_CURRENCIES", e.to_string()),
            // Valid input that the cart or the shop's settings cannot take: a conflict.
            O::TooMany(_) => Self {
                status: S::CONFLICT,
                code: "QUANTITY_LIMIT",
                detail: e.to_string(),
                ..Self::field("quantity", e.to_string())
            },
            O::MethodUnavailable(field, ref message) => Self {
                status: S::CONFLICT,
                code: "METHOD_UNAVAILABLE",
                detail: message.clone(),
                ..Self::field(field, message.clone())
            },
            O::Validation(v) => Self::validation(&v),
            O::Catalog(c) => Self::from(c),
            O::Inventory(i) => Self::from(i),
            O::Storage(s) => Self::storage(&s),
        }
    }
}

impl From<TeamError> for ApiError {
    fn from(e: TeamError) -> Self {
        match e {
            TeamError::Storage(s) => Self::storage(&s),
            // The standing refusals reach clients through AuthError; met here they are ours.
            other => Self::from(AuthError::from(other)),
        }
    }
}

impl From<teams::ChangeError> for ApiError {
    fn from(e: teams::ChangeError) -> Self {
        use StatusCode as S;
        use teams::ChangeError as C;
        match e {
            C::Storage(s) => Self::storage(&s),
            C::Validation(v) => Self::validation(&v),
            C::NotAMember => Self::from(AuthError::NotAMember),
            C::RoleNotFound => Self::new(S::NOT_FOUND, "ROLE_NOT_FOUND", e.to_string()),
            C::MemberNotFound => Self::new(S::NOT_FOUND, "MEMBER_NOT_FOUND", e.to_string()),
            C::RoleNameTaken => Self::new(S::CONFLICT, "ROLE_NAME_TAKEN", e.to_string()),
            C::DefaultRole => Self::new(S::CONFLICT, "DEFAULT_ROLE", e.to_string()),
            C::RoleInUse => Self::new(S::CONFLICT, "ROLE_IN_USE", e.to_string()),
            C::LastOwner => Self::new(S::CONFLICT, "LAST_OWNER", e.to_string()),
            C::BeyondOwnPermissions(_) => {
                Self::new(S::FORBIDDEN, "BEYOND_OWN_PERMISSIONS", e.to_string())
            }
            C::AlreadyMember => Self::new(S::CONFLICT, "ALREADY_MEMBER", e.to_string()),
            C::InvitationPending => Self::new(S::CONFLICT, "INVITATION_PENDING", e.to_string()),
            C::InvitationNotFound => Self::new(S::NOT_FOUND, "INVITATION_NOT_FOUND", e.to_string()),
            C::InvitationExpired => Self::new(S::GONE, "INVITATION_EXPIRED", e.to_string()),
            C::InvitationRevoked => Self::new(S::GONE, "INVITATION_REVOKED", e.to_string()),
            C::InvitationUsed => Self::new(S::GONE, "INVITATION_USED", e.to_string()),
            C::InvitationForAnotherEmail => {
                Self::new(S::FORBIDDEN, "INVITATION_FOR_ANOTHER_EMAIL", e.to_string())
            }
        }
    }
}

impl From<CatalogError> for ApiError {
    fn from(e: CatalogError) -> Self {
        use StatusCode as S;
        match e {
            CatalogError::NotFound => Self::new(S::NOT_FOUND, "PRODUCT_NOT_FOUND", e.to_string()),
            CatalogError::ImageNotFound => {
                Self::new(S::NOT_FOUND, "IMAGE_NOT_FOUND", e.to_string())
            }
            CatalogError::ImagesChanged => Self::new(S::CONFLICT, "IMAGES_CHANGED", e.to_string()),
            CatalogError::TooManyImages(_) => {
                Self::new(S::CONFLICT, "TOO_MANY_IMAGES", e.to_string())
            }
            CatalogError::SkuTaken(_) => Self::new(S::CONFLICT, "SKU_TAKEN", e.to_string()),
            CatalogError::VersionConflict { .. } => {
                Self::new(S::CONFLICT, "VERSION_CONFLICT", e.to_string())
            }
            CatalogError::Validation(v) => Self::validation(&v),
            CatalogError::Inventory(i) => Self::from(i),
            CatalogError::Storage(s) => Self::storage(&s),
        }
    }
}

impl From<marketplace::MarketplaceError> for ApiError {
    fn from(e: marketplace::MarketplaceError) -> Self {
        use marketplace::MarketplaceError as M;
        match e {
            M::ImportNotFound => {
                Self::new(StatusCode::NOT_FOUND, "IMPORT_NOT_FOUND", e.to_string())
            }
            M::StagedNotFound => Self::new(
                StatusCode::NOT_FOUND,
                "STAGED_PRODUCT_NOT_FOUND",
                e.to_string(),
            ),
            M::NoFeedConfigured => {
                Self::new(StatusCode::CONFLICT, "NO_FEED_CONFIGURED", e.to_string())
            }
            M::NotPublished => Self::new(StatusCode::CONFLICT, "NOT_PUBLISHED", e.to_string()),
            M::Catalog(c) => c.into(),
            M::Validation(v) => Self::validation(&v),
            M::Jobs(s) | M::Storage(s) => Self::storage(&s),
        }
    }
}

impl From<jobs::BoardError> for ApiError {
    fn from(e: jobs::BoardError) -> Self {
        match e {
            jobs::BoardError::Validation(v) => Self::validation(&v),
            jobs::BoardError::Storage(s) => Self::storage(&s),
        }
    }
}

impl From<InventoryError> for ApiError {
    fn from(e: InventoryError) -> Self {
        use StatusCode as S;
        match e {
            InventoryError::ProductNotFound => {
                Self::new(S::NOT_FOUND, "PRODUCT_NOT_FOUND", e.to_string())
            }
            InventoryError::LocationNotFound => {
                Self::new(S::NOT_FOUND, "LOCATION_NOT_FOUND", e.to_string())
            }
            InventoryError::LocationTaken(_) => {
                Self::new(S::CONFLICT, "LOCATION_CODE_TAKEN", e.to_string())
            }
            InventoryError::Insufficient { .. } => {
                Self::new(S::CONFLICT, "INSUFFICIENT_INVENTORY", e.to_string())
            }
            InventoryError::Validation(v) => Self::validation(&v),
            InventoryError::Storage(s) => Self::storage(&s),
        }
    }
}

impl From<media::ImageError> for ApiError {
    fn from(e: media::ImageError) -> Self {
        use media::ImageError as I;
        let code = match e {
            I::NotAnImage => "NOT_AN_IMAGE",
            I::TooLarge => "IMAGE_TOO_LARGE",
            I::Damaged(_) => "IMAGE_DAMAGED",
            I::Encoding(_) => "IMAGE_NOT_PROCESSED",
        };
        Self::invalid(code, e.to_string())
    }
}

/// The file storage failed: the request may succeed later (details go to the log).
impl From<media::MediaError> for ApiError {
    fn from(e: media::MediaError) -> Self {
        tracing::error!(error = %e, "media storage");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "STORAGE_UNAVAILABLE",
            "the file storage is briefly unavailable; try again",
        )
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        Self::internal(&e)
    }
}
