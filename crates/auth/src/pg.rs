//! The auth service over PostgreSQL.

use std::sync::Arc;

use db::customers::Customer;
use db::users::User;
use db::vendors::Vendor;
use db::{CustomerId, Db, Email, PlatformScope, TenantScope, UserId, VendorId};
use teams::{ActiveMember, TeamService};
use validator::Validate;

use crate::refresh::{self, Holder, Rotation, SuccessorKey};
use crate::{
    Acting, AdminLogin, AdminPrincipal, AuthError, AuthService, Claims, ClientInfo, CustomerLogin,
    CustomerPrincipal, CustomerSession, LoginAs, LoginLimiter, PasswordHasher, Principal,
    PrincipalKind, RateLimits, Session, SupportSession, SupportTarget, SwitchVendor, TokenIssuer,
    TokenPair, UserInfo, VendorLogin, VendorPrincipal,
};

pub struct PgAuth {
    db: Db,
    teams: Arc<dyn TeamService>,
    hasher: Arc<PasswordHasher>,
    issuer: TokenIssuer,
    successors: SuccessorKey,
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
            successors: SuccessorKey::new(issuer.derive_key("refresh-token-successor")),
            issuer,
            limiter: LoginLimiter::new(limits),
            refresh_ttl,
        }
    }

    /// The account of an e-mail, if there is one.
    fn find_user(&self, email: &Email) -> Result<Option<User>, AuthError> {
        Ok(self.db.unscoped(|tx| db::users::find_by_email(tx, email))?)
    }

    /// `user` (the account of the e-mail given, if any) if `password` is its password. Always
    /// runs one bcrypt verification, so unknown e-mails and wrong passwords cost the same time
    /// and get the same error.
    fn check_password(&self, user: Option<User>, password: &str) -> Result<User, AuthError> {
        let ok = self
            .hasher
            .verify(password, user.as_ref().map(|u| u.password_hash.as_str()));
        match user {
            Some(user) if ok => Ok(user),
            _ => Err(AuthError::InvalidCredentials),
        }
    }

    fn active_user(&self, id: UserId) -> Result<User, AuthError> {
        let user = self
            .db
            .unscoped(|tx| db::users::find(tx, id))?
            .ok_or(AuthError::TokenInvalid)?;
        if !user.is_active {
            return Err(AuthError::AccountInactive);
        }
        Ok(user)
    }

    /// The user as an active member of `vendor` (the one standing rule, in teams).
    fn member_of(&self, vendor: VendorId, user: UserId) -> Result<VendorPrincipal, AuthError> {
        let scope = TenantScope::trusted(vendor);
        let member = self.teams.active_member(&scope, user)?;
        Ok(VendorPrincipal { scope, member })
    }

    fn find_vendor(&self, code: &str) -> Result<Option<Vendor>, AuthError> {
        Ok(self
            .db
            .unscoped(|tx| db::vendors::find_by_code(tx, code.trim()))?)
    }

    /// Issues the token pair of a fresh sign-in (a new refresh-token family).
    fn sign_in(&self, user: User, member: Option<ActiveMember>) -> Result<Session, AuthError> {
        let holder = Holder {
            kind: if member.is_some() {
                PrincipalKind::Vendor
            } else {
                PrincipalKind::Admin
            },
            user_id: Some(user.id),
            customer_id: None,
            vendor_id: member.as_ref().map(|m| m.vendor.id),
        };
        let refresh_token = self.db.unscoped(|tx| {
            db::users::record_login(tx, user.id)?;
            refresh::issue(tx, holder, self.refresh_ttl)
        })?;
        let tokens = self.pair_with(holder, refresh_token)?;
        let (vendor, role, permissions) = match member {
            Some(m) => (Some(m.vendor), Some(m.role), Some(m.permissions)),
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

    /// Re-checks that a refresh token's holder may still have a session.
    fn check_holder(&self, holder: &Holder) -> Result<(), AuthError> {
        match (
            holder.kind,
            holder.vendor_id,
            holder.user_id,
            holder.customer_id,
        ) {
            (PrincipalKind::Admin, None, Some(user), None) => self.platform_admin(user).map(|_| ()),
            (PrincipalKind::Vendor, Some(vendor), Some(user), None) => {
                self.member_of(vendor, user).map(|_| ())
            }
            (PrincipalKind::Customer, Some(vendor), None, Some(customer)) => {
                self.active_customer(vendor, customer).map(|_| ())
            }
            _ => Err(AuthError::TokenInvalid),
        }
    }

    /// The active customer `id` of the open vendor `vendor`: a closed or deleted shop ends
    /// its customers' sessions as a disabled account does.
    fn active_customer(
        &self,
        vendor: VendorId,
        id: CustomerId,
    ) -> Result<CustomerPrincipal, AuthError> {
        let scope = TenantScope::trusted(vendor);
        let (shop, customer) = self.db.tenant(&scope, |tx| {
            let shop = db::vendors::find(tx, vendor)?;
            let customer = db::customers::find(tx, id)?;
            Ok::<_, db::Error>((shop, customer))
        })?;
        match shop {
            Some(v) if v.deleted_at.is_none() && v.is_active => {}
            Some(v) if v.deleted_at.is_none() => return Err(AuthError::VendorInactive),
            _ => return Err(AuthError::TokenInvalid),
        }
        let customer = customer.ok_or(AuthError::TokenInvalid)?;
        if !customer.is_active {
            return Err(AuthError::AccountInactive);
        }
        Ok(CustomerPrincipal {
            scope,
            customer: customer.into(),
        })
    }

    /// The customer of `scope`'s shop with this e-mail and password; one bcrypt verification
    /// whatever the outcome, as for team members.
    fn check_customer_password(
        &self,
        scope: &TenantScope,
        email: &Email,
        password: &str,
    ) -> Result<Customer, AuthError> {
        let customer = self
            .db
            .tenant(scope, |tx| db::customers::find_by_email(tx, email))?;
        let ok = self.hasher.verify(
            password,
            customer.as_ref().map(|c| c.password_hash.as_str()),
        );
        match customer {
            Some(customer) if ok => Ok(customer),
            _ => Err(AuthError::InvalidCredentials),
        }
    }

    /// Writes a team sign-in or failed sign-in into the audit log (`user`: the account of the
    /// e-mail, if known, whatever went wrong), then answers the attempt's outcome. A refusal by
    /// the rate limiter is not written: it costs no database work, under attack too.
    fn record_attempt(
        &self,
        (email, user): (&Email, Option<UserId>),
        vendor: Option<VendorId>,
        portal: &str,
        client: &ClientInfo,
        attempt: Result<Session, AuthError>,
    ) -> Result<Session, AuthError> {
        let details = match &attempt {
            Ok(_) => serde_json::json!({ "portal": portal }),
            Err(AuthError::Storage(_)) => return attempt,
            Err(e) => serde_json::json!({ "portal": portal, "reason": e.to_string() }),
        };
        self.db.unscoped(|tx| {
            db::audit::record_sign_in(
                tx,
                db::audit::SignIn {
                    succeeded: attempt.is_ok(),
                    user,
                    vendor,
                    email: email.as_str(),
                    details,
                    ip: client.ip.map(|ip| ip.to_string()),
                    request_id: client.request_id.clone(),
                },
            )
        })?;
        attempt
    }

    /// A support session holds only while its admin is still an active platform admin.
    fn check_acting(&self, claims: &Claims) -> Result<(), AuthError> {
        match &claims.act {
            Some(acting) => self.platform_admin(UserId(acting.admin_id()?)).map(|_| ()),
            None => Ok(()),
        }
    }

    /// The code of the live vendor `id`.
    fn find_vendor_by_id(&self, id: VendorId) -> Result<Option<String>, AuthError> {
        let vendor = self.db.unscoped(|tx| db::vendors::find(tx, id))?;
        Ok(vendor.filter(|v| v.deleted_at.is_none()).map(|v| v.code))
    }

    fn platform_admin(&self, id: UserId) -> Result<User, AuthError> {
        let user = self.active_user(id)?;
        if !user.is_platform_admin {
            return Err(AuthError::TokenInvalid);
        }
        Ok(user)
    }
}

impl AuthService for PgAuth {
    fn admin_login(&self, input: &AdminLogin, client: &ClientInfo) -> Result<Session, AuthError> {
        input.validate()?;
        let email = Email::new(&input.email);
        self.limiter.check(client.ip, &email)?;
        let user = self.find_user(&email)?;
        let known = user.as_ref().map(|u| u.id);
        let attempt = self.check_password(user, &input.password).and_then(|user| {
            if !user.is_platform_admin {
                return Err(AuthError::InvalidCredentials);
            }
            if !user.is_active {
                return Err(AuthError::AccountInactive);
            }
            self.sign_in(user, None)
        });
        self.record_attempt((&email, known), None, "admin", client, attempt)
    }

    fn vendor_login(&self, input: &VendorLogin, client: &ClientInfo) -> Result<Session, AuthError> {
        input.validate()?;
        let email = Email::new(&input.email);
        self.limiter.check(client.ip, &email)?;
        let vendor = self.find_vendor(&input.vendor_code)?;
        let user = self.find_user(&email)?;
        let known = user.as_ref().map(|u| u.id);
        let attempt = self.check_password(user, &input.password).and_then(|user| {
            // Only someone who knows the password learns anything about the account or vendor.
            let vendor = vendor.as_ref().ok_or(AuthError::InvalidCredentials)?;
            let principal = self.member_of(vendor.id, user.id)?;
            self.sign_in(user, Some(principal.member))
        });
        self.record_attempt(
            (&email, known),
            vendor.map(|v| v.id),
            "vendor",
            client,
            attempt,
        )
    }

    fn accept_invitation(
        &self,
        token: &teams::InvitationToken,
        input: &crate::AcceptInvitation,
        client: &ClientInfo,
    ) -> Result<Session, AuthError> {
        input.validate()?;
        // A dead link is refused before any account is made.
        let preview = self.teams.invitation_preview(token)?;
        let email = Email::new(&preview.email);
        let user = match preview.has_account {
            true => {
                self.limiter.check(client.ip, &email)?;
                self.check_password(self.find_user(&email)?, &input.password)?
            }
            false => {
                let (Some(first), Some(last)) = (&input.first_name, &input.last_name) else {
                    let mut errors = validator::ValidationErrors::new();
                    errors.add(
                        "first_name",
                        validator::ValidationError::new("required")
                            .with_message("enter your first and last name".into()),
                    );
                    return Err(errors.into());
                };
                let hash = self.hasher.hash(&input.password)?;
                self.db.unscoped(|tx| {
                    db::users::insert(
                        tx,
                        &db::users::NewUser {
                            email: &email,
                            password_hash: &hash,
                            first_name: first.trim(),
                            last_name: last.trim(),
                            is_platform_admin: false,
                        },
                    )
                })?
            }
        };
        if !user.is_active {
            return Err(AuthError::AccountInactive);
        }
        self.teams
            .join_by_invitation(token, user.id, email.as_str())?;
        let principal = self.member_of(token.vendor, user.id)?;
        self.sign_in(user, Some(principal.member))
    }

    fn member_vendors(&self, claims: &Claims) -> Result<Vec<crate::MemberVendor>, AuthError> {
        if claims.kind != PrincipalKind::Vendor {
            return Err(AuthError::TokenInvalid);
        }
        let user = self.active_user(UserId(claims.subject_id()?))?;
        let rows = self
            .db
            .unscoped(|tx| db::vendor_users::member_vendors(tx, user.id))?;
        Ok(rows
            .into_iter()
            .map(|v| crate::MemberVendor {
                code: v.code,
                name: v.name,
                role: v.role,
            })
            .collect())
    }

    fn switch_vendor(&self, claims: &Claims, input: &SwitchVendor) -> Result<Session, AuthError> {
        input.validate()?;
        if claims.act.is_some() {
            // A switch would open a full session of the member's own.
            return Err(AuthError::SupportSession);
        }
        let current = self.vendor_member(claims)?;
        let vendor = self
            .find_vendor(&input.vendor_code)?
            .ok_or(AuthError::NotAMember)?;
        let principal = self.member_of(vendor.id, current.member.user.id)?;
        let user = self.active_user(current.member.user.id)?;
        self.sign_in(user, Some(principal.member))
    }

    fn customer_login(
        &self,
        scope: &TenantScope,
        input: &CustomerLogin,
        client: &ClientInfo,
    ) -> Result<CustomerSession, AuthError> {
        input.validate()?;
        let email = Email::new(&input.email);
        self.limiter
            .check_customer(client.ip, scope.vendor_id(), &email)?;
        let customer = self.check_customer_password(scope, &email, &input.password)?;
        if !customer.is_active {
            return Err(AuthError::AccountInactive);
        }
        let holder = Holder {
            kind: PrincipalKind::Customer,
            user_id: None,
            customer_id: Some(customer.id),
            vendor_id: Some(scope.vendor_id()),
        };
        let refresh_token = self.db.tenant(scope, |tx| {
            db::customers::record_login(tx, customer.id)?;
            refresh::issue(tx, holder, self.refresh_ttl)
        })?;
        Ok(CustomerSession {
            tokens: self.pair_with(holder, refresh_token)?,
            customer: customer.into(),
        })
    }

    fn count_customer_attempt(
        &self,
        scope: &TenantScope,
        email: &str,
        client: &ClientInfo,
    ) -> Result<(), AuthError> {
        self.limiter
            .check_customer(client.ip, scope.vendor_id(), &Email::new(email))
    }

    fn login_as(
        &self,
        admin: &AdminPrincipal,
        input: &LoginAs,
        client: &ClientInfo,
    ) -> Result<SupportSession, AuthError> {
        input.validate()?;
        let vendor = VendorId(input.vendor_id);
        let address = Email::new(&input.email);
        let (kind, subject, email, code) = match input.kind {
            SupportTarget::Member => {
                let user = self
                    .db
                    .unscoped(|tx| db::users::find_by_email(tx, &address))?
                    .ok_or(AuthError::SupportTargetNotFound)?;
                if user.is_platform_admin {
                    return Err(AuthError::CannotImpersonateAdmin);
                }
                let member = self.member_of(vendor, user.id)?.member;
                (
                    PrincipalKind::Vendor,
                    user.id.0,
                    user.email,
                    member.vendor.code,
                )
            }
            SupportTarget::Customer => {
                let code = self
                    .find_vendor_by_id(vendor)?
                    .ok_or(AuthError::SupportTargetNotFound)?;
                let scope = TenantScope::trusted(vendor);
                let id = self
                    .db
                    .tenant(&scope, |tx| db::customers::find_by_email(tx, &address))?
                    .ok_or(AuthError::SupportTargetNotFound)?
                    .id;
                let customer = self.active_customer(vendor, id)?.customer;
                (PrincipalKind::Customer, customer.id.0, customer.email, code)
            }
        };
        let acting = Acting {
            sub: admin.user.id.0.to_string(),
            email: admin.user.email.clone(),
        };
        let access_token = self
            .issuer
            .issue_for_support(kind, subject, vendor.0, acting)?;
        let actor = db::audit::Actor {
            user_id: admin.user.id,
            ip: client.ip.map(|ip| ip.to_string()),
            request_id: client.request_id.clone(),
            on_behalf: None,
        };
        self.db.platform(&admin.scope, |tx| {
            db::audit::record_platform(
                tx,
                &actor,
                Some(vendor),
                db::audit::Event {
                    action: "admin.login_as",
                    target_type: match kind {
                        PrincipalKind::Customer => "customer",
                        _ => "user",
                    },
                    target_id: subject.to_string(),
                    details: serde_json::json!({
                        "email": email,
                        "reason": input.reason.trim(),
                        "minutes": self.issuer.ttl_secs() / 60,
                    }),
                },
            )
        })?;
        Ok(SupportSession {
            access_token,
            token_type: "bearer",
            expires_in: self.issuer.ttl_secs(),
            kind,
            vendor_code: code,
            email,
        })
    }

    fn refresh(&self, refresh_token: &str) -> Result<TokenPair, AuthError> {
        let peeked = self
            .db
            .unscoped(|tx| db::refresh_tokens::find(tx, &refresh::hash(refresh_token)))?
            .ok_or(AuthError::TokenInvalid)?;
        let holder = Holder::of(&peeked)?;
        self.check_holder(&holder)?;
        let rotation = self.db.unscoped(|tx| {
            refresh::rotate(tx, refresh_token, &self.successors, self.refresh_ttl)
        })?;
        match rotation {
            Rotation::Next(token) => self.pair_with(holder, token),
            Rotation::Reused(family) => {
                // One of the token's two holders is a thief: the whole session ends.
                self.db
                    .unscoped(|tx| db::refresh_tokens::revoke_family(tx, family))?;
                Err(AuthError::TokenInvalid)
            }
        }
    }

    fn logout(&self, refresh_token: &str) -> Result<(), AuthError> {
        self.db
            .unscoped(|tx| refresh::revoke(tx, refresh_token))
            .map(|_| ())
    }

    fn verify(&self, access_token: &str) -> Result<Claims, AuthError> {
        self.issuer.verify(access_token)
    }

    fn admin(&self, claims: &Claims) -> Result<AdminPrincipal, AuthError> {
        if claims.kind != PrincipalKind::Admin {
            return Err(AuthError::TokenInvalid);
        }
        let user = self.platform_admin(UserId(claims.subject_id()?))?;
        Ok(AdminPrincipal {
            user: user.into(),
            scope: PlatformScope::trusted(),
        })
    }

    fn vendor_member(&self, claims: &Claims) -> Result<VendorPrincipal, AuthError> {
        let (PrincipalKind::Vendor, Some(vendor_id)) = (claims.kind, claims.vendor_id) else {
            return Err(AuthError::TokenInvalid);
        };
        self.check_acting(claims)?;
        // The vendor comes from a verified token; one query then re-checks everything the
        // token's age may have changed.
        self.member_of(VendorId(vendor_id), UserId(claims.subject_id()?))
    }

    fn customer(&self, claims: &Claims) -> Result<CustomerPrincipal, AuthError> {
        let (PrincipalKind::Customer, Some(vendor_id)) = (claims.kind, claims.vendor_id) else {
            return Err(AuthError::TokenInvalid);
        };
        self.check_acting(claims)?;
        self.active_customer(VendorId(vendor_id), CustomerId(claims.subject_id()?))
    }

    fn principal(&self, claims: &Claims) -> Result<Principal, AuthError> {
        match claims.kind {
            PrincipalKind::Admin => Ok(Principal {
                kind: PrincipalKind::Admin,
                user: Some(self.admin(claims)?.user),
                customer: None,
                vendor: None,
                role: None,
                permissions: Vec::new(),
            }),
            PrincipalKind::Vendor => {
                let m = self.vendor_member(claims)?.member;
                Ok(Principal {
                    kind: PrincipalKind::Vendor,
                    user: Some(UserInfo::from(m.user)),
                    customer: None,
                    vendor: Some(m.vendor),
                    role: Some(m.role),
                    permissions: m.permissions,
                })
            }
            PrincipalKind::Customer => {
                let c = self.customer(claims)?;
                let vendor = self.db.tenant(&c.scope, |tx| {
                    let id = tx.vendor_id();
                    db::vendors::find(tx, id)
                })?;
                Ok(Principal {
                    kind: PrincipalKind::Customer,
                    user: None,
                    customer: Some(c.customer),
                    vendor: vendor.map(|v| teams::VendorRef {
                        id: v.id,
                        code: v.code,
                        name: v.name,
                    }),
                    role: None,
                    permissions: Vec::new(),
                })
            }
        }
    }
}
