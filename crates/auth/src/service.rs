use db::TenantScope;

use crate::{
    AdminLogin, AdminPrincipal, AuthError, Claims, ClientInfo, CustomerLogin, CustomerPrincipal,
    CustomerSession, Principal, Session, SwitchVendor, TokenPair, VendorLogin, VendorPrincipal,
};

/// Signs principals in and out and tells who a token belongs to.
pub trait AuthService: Send + Sync {
    /// A platform administrator signs in.
    fn admin_login(&self, input: &AdminLogin, client: &ClientInfo) -> Result<Session, AuthError>;

    /// A vendor team member signs in to one vendor.
    fn vendor_login(&self, input: &VendorLogin, client: &ClientInfo) -> Result<Session, AuthError>;

    /// Accepts a team invitation: an existing account proves its password, an address
    /// without one gets a new account; either joins the team and is signed in to it.
    fn accept_invitation(
        &self,
        token: &teams::InvitationToken,
        input: &crate::AcceptInvitation,
        client: &ClientInfo,
    ) -> Result<Session, AuthError>;

    /// The vendors the signed-in member may act for (their own active memberships of open
    /// vendors), by name.
    fn member_vendors(&self, claims: &Claims) -> Result<Vec<crate::MemberVendor>, AuthError>;

    /// A member signed in to one vendor moves to another vendor they belong to.
    fn switch_vendor(&self, claims: &Claims, input: &SwitchVendor) -> Result<Session, AuthError>;

    /// A customer signs in to the shop of `scope`'s vendor (the only shop their account is
    /// in).
    fn customer_login(
        &self,
        scope: &TenantScope,
        input: &CustomerLogin,
        client: &ClientInfo,
    ) -> Result<CustomerSession, AuthError>;

    /// Counts an attempt at a customer account that is not a sign-in (a password-reset
    /// request) against the same limits, so neither can be used to flood an account.
    fn count_customer_attempt(
        &self,
        scope: &TenantScope,
        email: &str,
        client: &ClientInfo,
    ) -> Result<(), AuthError>;

    /// Spends a refresh token for a new pair.
    /// Opens a support session as a vendor's team member or customer (never an admin), for
    /// the access token's lifetime, audited with the admin's reason.
    fn login_as(
        &self,
        admin: &crate::AdminPrincipal,
        input: &crate::LoginAs,
        client: &ClientInfo,
    ) -> Result<crate::SupportSession, AuthError>;

    fn refresh(&self, refresh_token: &str) -> Result<TokenPair, AuthError>;

    /// Ends the session the refresh token belongs to.
    fn logout(&self, refresh_token: &str) -> Result<(), AuthError>;

    /// Checks an access token's signature and expiry.
    fn verify(&self, access_token: &str) -> Result<Claims, AuthError>;

    /// The active platform admin an admin token names, with the platform scope that only
    /// this check hands out.
    fn admin(&self, claims: &Claims) -> Result<AdminPrincipal, AuthError>;

    /// The active member of an active vendor a vendor token names.
    fn vendor_member(&self, claims: &Claims) -> Result<VendorPrincipal, AuthError>;

    /// The active customer a customer token names, in their vendor's scope.
    fn customer(&self, claims: &Claims) -> Result<CustomerPrincipal, AuthError>;

    /// Who the token belongs to, for `/auth/me`.
    fn principal(&self, claims: &Claims) -> Result<Principal, AuthError>;
}
