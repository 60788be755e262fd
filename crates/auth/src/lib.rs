//! Authentication: password hashing, access tokens (JWT), refresh tokens with rotation and
//! reuse detection, logins for admins and vendor team members, and their rate limits; the
//! platform admin's management of team accounts.

mod error;
mod limiter;
mod model;
pub mod password;
mod pg;
mod refresh;
mod service;
mod tokens;
mod user_admin;

pub use error::AuthError;
pub use limiter::{LoginLimiter, RateLimits};
pub use model::{
    AcceptInvitation, AdminLogin, AdminPrincipal, ClientInfo, CustomerInfo, CustomerLogin,
    CustomerPrincipal, CustomerSession, LoginAs, MemberVendor, Principal, Session, SupportSession,
    SupportTarget, SwitchVendor, TokenPair, UserInfo, VendorLogin, VendorPrincipal,
};
pub use password::{PasswordHasher, generate_password};
pub use pg::PgAuth;
pub use service::AuthService;
pub use tokens::{Acting, Claims, PrincipalKind, TokenIssuer};
pub use user_admin::{
    AccountView, MembershipView, PgUserAdmin, TemporaryPassword, UserAdmin, UserAdminError,
    UserQuery,
};
