//! The auth service over PostgreSQL.

use std::sync::Arc;

use db::users::User;
use db::vendors::Vendor;
use db::{Db, TenantScope, UserId, VendorId};
use teams::{Membership, TeamService};
use validator::Validate;

use crate::refresh::{self, Holder};
use crate::{
    AdminLogin, AuthError, AuthService, Claims, ClientInfo, LoginLimiter, PasswordHasher,
    Principal, PrincipalKind, RateLimits, Session, SwitchVendor, TokenIssuer, TokenPair, UserInfo,
    VendorInfo, VendorLogin, VendorPrincipal,
};

pub struct PgAuth {
    db: Db,
    teams: Arc<dyn TeamService>,
    hasher: Arc<PasswordHasher>,
    issuer: TokenIssuer,
    limiter: LoginLimiter,
    refresh_ttl: chrono::Duration,
}

impl PgAuth {
    pub fn new(
        db: Db,
        teams: Arc<dyn TeamService>,
        hasher: Arc<PasswordHasher>,
        issuer: TokenIssuer,
        limits: RateLimits,
        refresh_ttl: chrono::Duration,
    ) -> Self {
        Self {
            db,
            teams,
            hasher,
            issuer,
            limiter: LoginLimiter::new(limits),
            refresh_ttl,
        }
    }

    /// The user with this e-mail and password. Always runs one bcrypt verification, so unknown
    /// e-mails and wrong passwords cost the same time and get the same error.
    fn check_password(&self, email: &str, password: &str) -> Result<User, AuthError> {
        let user = self
            .db
            .unscoped(|c| db::users::find_by_email(c, email.trim()))?;
        let ok = self
            .hasher
            .verify(password, user.as_ref().map(|u| u.password_hash.as_str()));
        match user {
            Some(user) if ok => Ok(user),
            _ => Err(AuthError::InvalidCredentials),
        }
    }

    fn live_vendor(&self, id: VendorId) -> Result<Vendor, AuthError> {
        let vendor = self
            .db
            .unscoped(|c| db::vendors::find(c, id))?
            .ok_or(AuthError::TokenInvalid)?;
        if !vendor.is_active {
            return Err(AuthError::VendorInactive);
        }
        Ok(vendor)
    }

    fn active_user(&self, id: UserId) -> Result<User, AuthError> {
        let user = self
            .db
            .unscoped(|c| db::users::find(c, id))?
            .ok_or(AuthError::TokenInvalid)?;
        if !user.is_active {
            return Err(AuthError::AccountInactive);
        }
        Ok(user)
    }

    fn active_membership(&self, vendor: &Vendor, user: UserId) -> Result<Membership, AuthError> {
        match self
            .teams
            .membership(&TenantScope::trusted(vendor.id), user)?
        {
            Some(m) if m.is_active => Ok(m),
            _ => Err(AuthError::NotAMember),
        }
    }

    /// Issues the token pair of a fresh sign-in (a new refresh-token family).
    fn sign_in(
        &self,
        user: User,
        vendor: Option<(Vendor, Membership)>,
    ) -> Result<Session, AuthError> {
        let kind = if vendor.is_some() {
            PrincipalKind::Vendor
        } else {
            PrincipalKind::Admin
        };
        let vendor_id = vendor.as_ref().map(|(v, _)| v.id);
        let holder = Holder {
            kind,
            user_id: Some(user.id),
            customer_id: None,
            vendor_id,
        };
        let tokens = self.pair(holder, None)?;
        self.db.unscoped(|c| db::users::record_login(c, user.id))?;
        let (vendor, role, permissions) = match vendor {
            Some((v, m)) => (Some(vendor_info(v)), Some(m.role), Some(m.permissions)),
            None => (None, None, None),
        };
        Ok(Session {
            tokens,
            user: user.into(),
            vendor,
            role,
            permissions,
        })
    }

    /// A token pair for `holder`: a new access token and the given refresh token.
    fn pair_with(&self, holder: Holder, refresh_token: String) -> Result<TokenPair, AuthError> {
        let access_token = self.issuer.issue(
            holder.kind,
            holder.subject()?,
            holder.vendor_id.map(|v| v.0),
        )?;
        Ok(TokenPair {
            access_token,
            refresh_token,
            token_type: "bearer",
            expires_in: self.issuer.ttl_secs(),
        })
    }

    fn pair(&self, holder: Holder, family: Option<uuid::Uuid>) -> Result<TokenPair, AuthError> {
        let (refresh_token, _) = self
            .db
            .unscoped(|c| refresh::issue(c, holder, family, self.refresh_ttl))?;
        self.pair_with(holder, refresh_token)
    }

    /// Re-checks that a refresh token's holder may still have a session.
    fn check_holder(&self, holder: &Holder) -> Result<(), AuthError> {
        let user_id = holder.user_id.ok_or(AuthError::TokenInvalid)?;
        let user = self.active_user(user_id)?;
        match (holder.kind, holder.vendor_id) {
            (PrincipalKind::Admin, None) if user.is_platform_admin => Ok(()),
            (PrincipalKind::Vendor, Some(vendor_id)) => {
                let vendor = self.live_vendor(vendor_id)?;
                self.active_membership(&vendor, user.id).map(|_| ())
            }
            _ => Err(AuthError::TokenInvalid),
        }
    }
}

fn vendor_info(v: Vendor) -> VendorInfo {
    VendorInfo {
        id: v.id,
        code: v.code,
        name: v.name,
    }
}

impl AuthService for PgAuth {
    fn admin_login(&self, input: &AdminLogin, client: &ClientInfo) -> Result<Session, AuthError> {
        input.validate()?;
        self.limiter.check(client.ip, &input.email)?;
        let user = self.check_password(&input.email, &input.password)?;
        if !user.is_platform_admin {
            return Err(AuthError::InvalidCredentials);
        }
        if !user.is_active {
            return Err(AuthError::AccountInactive);
        }
        self.sign_in(user, None)
    }

    fn vendor_login(&self, input: &VendorLogin, client: &ClientInfo) -> Result<Session, AuthError> {
        input.validate()?;
        self.limiter.check(client.ip, &input.email)?;
        let vendor = self
            .db
            .unscoped(|c| db::vendors::find_by_code(c, input.vendor_code.trim()))?;
        let user = self.check_password(&input.email, &input.password)?;
        // Only someone who knows the password learns anything about the account or vendor.
        let vendor = vendor.ok_or(AuthError::InvalidCredentials)?;
        if !user.is_active {
            return Err(AuthError::AccountInactive);
        }
        if !vendor.is_active {
            return Err(AuthError::VendorInactive);
        }
        let membership = self.active_membership(&vendor, user.id)?;
        self.sign_in(user, Some((vendor, membership)))
    }

    fn switch_vendor(&self, claims: &Claims, input: &SwitchVendor) -> Result<Session, AuthError> {
        input.validate()?;
        let current = self.vendor_member(claims)?;
        let user = self.active_user(current.user.id)?;
        let vendor = self
            .db
            .unscoped(|c| db::vendors::find_by_code(c, input.vendor_code.trim()))?
            .ok_or(AuthError::NotAMember)?;
        let membership = self.active_membership(&vendor, user.id)?;
        if !vendor.is_active {
            return Err(AuthError::VendorInactive);
        }
        self.sign_in(user, Some((vendor, membership)))
    }

    fn refresh(&self, refresh_token: &str) -> Result<TokenPair, AuthError> {
        let hash = refresh::hash(refresh_token);
        let peeked = self
            .db
            .unscoped(|c| db::refresh_tokens::find(c, &hash))?
            .ok_or(AuthError::TokenInvalid)?;
        if peeked.revoked_at.is_some() {
            // A spent token presented again: one of its two holders is a thief, so the whole
            // session ends. Committed on its own, as the refusal below rolls back.
            if peeked.replaced_by.is_some() {
                self.db
                    .unscoped(|c| db::refresh_tokens::revoke_family(c, peeked.family))?;
            }
            return Err(AuthError::TokenInvalid);
        }
        self.check_holder(&Holder::of(&peeked)?)?;
        self.db.unscoped(|conn| {
            let old = refresh::spend(conn, refresh_token)?;
            let holder = Holder::of(&old)?;
            let (token, new) = refresh::issue(conn, holder, Some(old.family), self.refresh_ttl)?;
            refresh::link(conn, &old, &new)?;
            self.pair_with(holder, token)
        })
    }

    fn logout(&self, refresh_token: &str) -> Result<(), AuthError> {
        self.db
            .unscoped(|c| refresh::revoke(c, refresh_token))
            .map(|_| ())
    }

    fn verify(&self, access_token: &str) -> Result<Claims, AuthError> {
        self.issuer.verify(access_token)
    }

    fn admin(&self, claims: &Claims) -> Result<UserInfo, AuthError> {
        if claims.kind != PrincipalKind::Admin {
            return Err(AuthError::TokenInvalid);
        }
        let user = self.active_user(UserId(claims.subject_id()?))?;
        if !user.is_platform_admin {
            return Err(AuthError::TokenInvalid);
        }
        Ok(user.into())
    }

    fn vendor_member(&self, claims: &Claims) -> Result<VendorPrincipal, AuthError> {
        let (PrincipalKind::Vendor, Some(vendor_id)) = (claims.kind, claims.vendor_id) else {
            return Err(AuthError::TokenInvalid);
        };
        // The vendor comes from a verified token; one query then re-checks everything the
        // token's age may have changed.
        let scope = TenantScope::trusted(VendorId(vendor_id));
        let found = self.teams.member(&scope, UserId(claims.subject_id()?))?;
        let teams::TeamMember {
            membership,
            user,
            vendor,
        } = found.ok_or(AuthError::NotAMember)?;
        if vendor.deleted_at.is_some() {
            return Err(AuthError::TokenInvalid);
        }
        if !vendor.is_active {
            return Err(AuthError::VendorInactive);
        }
        if !user.is_active {
            return Err(AuthError::AccountInactive);
        }
        if !membership.is_active {
            return Err(AuthError::NotAMember);
        }
        Ok(VendorPrincipal {
            scope,
            user: user.into(),
            vendor: vendor_info(vendor),
            role: membership.role,
            permissions: membership.permissions,
        })
    }

    fn principal(&self, claims: &Claims) -> Result<Principal, AuthError> {
        match claims.kind {
            PrincipalKind::Admin => Ok(Principal {
                kind: PrincipalKind::Admin,
                user: self.admin(claims)?,
                vendor: None,
                role: None,
                permissions: Vec::new(),
            }),
            PrincipalKind::Vendor => {
                let member = self.vendor_member(claims)?;
                Ok(Principal {
                    kind: PrincipalKind::Vendor,
                    user: member.user,
                    vendor: Some(member.vendor),
                    role: Some(member.role),
                    permissions: member.permissions,
                })
            }
            // Customer accounts arrive with the customers slice.
            PrincipalKind::Customer => Err(AuthError::TokenInvalid),
        }
    }
}
