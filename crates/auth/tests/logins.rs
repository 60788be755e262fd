//! Logins, token rotation and revocation against a real database.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use std::sync::Arc;

use auth::{
    AdminLogin, AuthError, AuthService, ClientInfo, PasswordHasher, PgAuth, PrincipalKind,
    RateLimits, SwitchVendor, TokenIssuer, VendorLogin,
};
use db::test_support::TestDb;
use db::users::NewUser;
use db::vendors::NewVendor;
use db::{Db, Email, PlatformScope, UserId, VendorId};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use teams::{PgTeams, TeamService};

const PASSWORD: &str = "correct horse battery";

struct Fixture {
    test: TestDb,
    auth: PgAuth,
    alpha: VendorId,
    beta: VendorId,
    owner_a: UserId,
}

fn user(db: &Db, email: &str, admin: bool) -> UserId {
    let hash = PasswordHasher::new(4).unwrap().hash(PASSWORD).unwrap();
    db.unscoped(|tx| {
        db::users::insert(
            tx,
            &NewUser {
                email: &Email::new(email),
                password_hash: &hash,
                first_name: "Ana",
                last_name: "Muller",
                is_platform_admin: admin,
            },
        )
    })
    .unwrap()
    .id
}

fn vendor(db: &Db, code: &str, owner: UserId) -> VendorId {
    db.platform(
        &PlatformScope::trusted(),
        |tx| -> Result<_, teams::TeamError> {
            let v = db::vendors::insert(
                tx,
                &NewVendor {
                    code,
                    name: &format!("Vendor {code}"),
                    subdomain: code,
                    description: "",
                    business_email: None,
                    business_phone: None,
                    business_address: None,
                    owner_user_id: owner,
                },
            )?;
            PgTeams::new(db.clone()).provision(&mut tx.vendor(v.id)?, owner)?;
            Ok(v.id)
        },
    )
    .unwrap()
}

fn fixture_with(limits: RateLimits) -> Fixture {
    let test = TestDb::new();
    let db = test.db();
    user(&db, "admin@wizamart.lu", true);
    let owner_a = user(&db, "owner@alpha.lu", false);
    let owner_b = user(&db, "owner@beta.lu", false);
    let alpha = vendor(&db, "alpha", owner_a);
    let beta = vendor(&db, "beta", owner_b);
    let auth = PgAuth::new(
        db.clone(),
        Arc::new(PgTeams::new(db)),
        Arc::new(PasswordHasher::new(4).unwrap()),
        TokenIssuer::new(b"test-secret", 900),
        limits,
        chrono::Duration::days(1),
    );
    Fixture {
        test,
        auth,
        alpha,
        beta,
        owner_a,
    }
}

fn fixture() -> Fixture {
    fixture_with(RateLimits {
        per_ip_per_minute: 1000,
        per_account_per_minute: 1000,
    })
}

fn client() -> ClientInfo {
    ClientInfo {
        ip: Some("192.0.2.1".parse().unwrap()),
        request_id: None,
    }
}

fn vendor_login(email: &str, password: &str, code: &str) -> VendorLogin {
    VendorLogin {
        email: email.into(),
        password: password.into(),
        vendor_code: code.into(),
    }
}

/// Signs in the owner of vendor alpha.
fn alpha_owner(f: &Fixture) -> auth::Session {
    f.auth
        .vendor_login(
            &vendor_login("owner@alpha.lu", PASSWORD, "alpha"),
            &client(),
        )
        .unwrap()
}

/// Signs in the platform admin.
fn admin(f: &Fixture) -> auth::Session {
    let login = AdminLogin {
        email: "admin@wizamart.lu".into(),
        password: PASSWORD.into(),
    };
    f.auth.admin_login(&login, &client()).unwrap()
}

#[test]
fn an_admin_signs_in_and_the_token_names_them() {
    let f = fixture();
    let session = f
        .auth
        .admin_login(
            &AdminLogin {
                email: " Admin@Wizamart.lu".into(),
                password: PASSWORD.into(),
            },
            &client(),
        )
        .unwrap();
    assert_eq!(session.tokens.token_type, "bearer");
    assert!(session.tokens.expires_in <= 30 * 60);
    let claims = f.auth.verify(&session.tokens.access_token).unwrap();
    assert_eq!(
        (claims.kind, claims.vendor_id),
        (PrincipalKind::Admin, None)
    );
    let me = f.auth.principal(&claims).unwrap();
    assert_eq!(me.user.expect("a user").email, "admin@wizamart.lu");
    let last_login: Option<chrono::DateTime<chrono::Utc>> = db::schema::users::table
        .filter(db::schema::users::email.eq("admin@wizamart.lu"))
        .select(db::schema::users::last_login_at)
        .first(&mut f.test.owner_conn())
        .unwrap();
    assert!(last_login.is_some(), "the login is recorded");
}

#[test]
fn unknown_email_wrong_password_and_non_admin_get_the_same_error() {
    let f = fixture();
    for (email, password) in [
        ("nobody@x.lu", PASSWORD),
        ("admin@wizamart.lu", "wrong"),
        ("owner@alpha.lu", PASSWORD),
    ] {
        let result = f.auth.admin_login(
            &AdminLogin {
                email: email.into(),
                password: password.into(),
            },
            &client(),
        );
        assert!(
            matches!(result, Err(AuthError::InvalidCredentials)),
            "{email}: {result:?}"
        );
    }
}

#[test]
fn a_vendor_owner_signs_in_with_role_and_permissions() {
    let f = fixture();
    let session = f
        .auth
        .vendor_login(
            &vendor_login("owner@alpha.lu", PASSWORD, "ALPHA"),
            &client(),
        )
        .unwrap();
    assert_eq!(
        session.vendor.as_ref().map(|v| v.code.as_str()),
        Some("alpha")
    );
    assert_eq!(session.role.as_deref(), Some("Owner"));
    assert_eq!(
        session.permissions.as_ref().map(Vec::len),
        Some(teams::Permission::ALL.len())
    );
    let claims = f.auth.verify(&session.tokens.access_token).unwrap();
    assert_eq!(
        (claims.kind, claims.vendor_id),
        (PrincipalKind::Vendor, Some(f.alpha.0))
    );
    let member = f.auth.vendor_member(&claims).unwrap();
    assert_eq!(member.scope.vendor_id(), f.alpha);
}

#[test]
fn vendor_login_refusals() {
    let f = fixture();
    let refuse = |email: &str, password: &str, code: &str| {
        f.auth
            .vendor_login(&vendor_login(email, password, code), &client())
            .expect_err("refused")
    };
    assert!(matches!(
        refuse("owner@alpha.lu", PASSWORD, "beta"),
        AuthError::NotAMember
    ));
    assert!(matches!(
        refuse("owner@alpha.lu", PASSWORD, "nosuch"),
        AuthError::InvalidCredentials
    ));
    assert!(matches!(
        refuse("owner@alpha.lu", "wrong", "alpha"),
        AuthError::InvalidCredentials
    ));
    assert!(matches!(
        refuse("ghost@alpha.lu", PASSWORD, "alpha"),
        AuthError::InvalidCredentials
    ));

    let mut conn = f.test.owner_conn();
    conn.batch_execute(&format!(
        "UPDATE vendors SET is_active = false WHERE id = {}",
        f.beta
    ))
    .unwrap();
    assert!(matches!(
        refuse("owner@beta.lu", PASSWORD, "beta"),
        AuthError::VendorInactive
    ));
    conn.batch_execute(&format!(
        "UPDATE vendor_users SET is_active = false WHERE user_id = {}",
        f.owner_a
    ))
    .unwrap();
    assert!(matches!(
        refuse("owner@alpha.lu", PASSWORD, "alpha"),
        AuthError::NotAMember
    ));
    conn.batch_execute("UPDATE users SET is_active = false WHERE email = 'owner@alpha.lu'")
        .unwrap();
    assert!(matches!(
        refuse("owner@alpha.lu", PASSWORD, "alpha"),
        AuthError::AccountInactive
    ));
    assert!(matches!(
        f.auth.vendor_login(&vendor_login("", "", ""), &client()),
        Err(AuthError::Validation(_))
    ));
}

#[test]
fn refresh_rotates_and_reuse_of_a_spent_token_ends_the_family() {
    let f = fixture();
    let first = alpha_owner(&f).tokens;
    let second = f.auth.refresh(&first.refresh_token).unwrap();
    assert_ne!(second.refresh_token, first.refresh_token);
    let claims = f.auth.verify(&second.access_token).unwrap();
    assert_eq!(
        claims.vendor_id,
        Some(f.alpha.0),
        "the renewed token keeps its vendor"
    );

    // Within the grace (parallel page loads) the spent token answers the same successor.
    let again = f.auth.refresh(&first.refresh_token).unwrap();
    assert_eq!(again.refresh_token, second.refresh_token);

    // After it, presenting the spent token is theft, and kills the whole family.
    f.test
        .owner_conn()
        .batch_execute("UPDATE refresh_tokens SET revoked_at = now() - interval '11 seconds' WHERE revoked_at IS NOT NULL")
        .unwrap();
    assert!(matches!(
        f.auth.refresh(&first.refresh_token),
        Err(AuthError::TokenInvalid)
    ));
    assert!(matches!(
        f.auth.refresh(&second.refresh_token),
        Err(AuthError::TokenInvalid)
    ));

    let stored: Vec<String> = db::schema::refresh_tokens::table
        .select(db::schema::refresh_tokens::token_hash)
        .load(&mut f.test.owner_conn())
        .unwrap();
    assert!(
        stored
            .iter()
            .all(|h| h.len() == 64 && *h != first.refresh_token),
        "only hashes are stored"
    );
}

#[test]
fn parallel_refreshes_with_one_token_all_get_the_same_successor_and_keep_the_session() {
    let f = fixture();
    let first = alpha_owner(&f).tokens.refresh_token;
    let answers: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..5).map(|_| s.spawn(|| f.auth.refresh(&first))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let successors: Vec<String> = answers
        .into_iter()
        .map(|a| a.expect("every parallel refresh succeeds").refresh_token)
        .collect();
    assert!(
        successors.iter().all(|t| *t == successors[0]),
        "{successors:?}"
    );
    let next = f
        .auth
        .refresh(&successors[0])
        .expect("the session keeps working");
    assert_ne!(next.refresh_token, successors[0]);
    let live: i64 = db::schema::refresh_tokens::table
        .filter(db::schema::refresh_tokens::revoked_at.is_null())
        .count()
        .get_result(&mut f.test.owner_conn())
        .unwrap();
    assert_eq!(live, 1, "one live token per session");
}

#[test]
fn logout_revokes_and_expired_tokens_are_refused() {
    let f = fixture();
    let pair = admin(&f).tokens;
    f.auth.logout(&pair.refresh_token).unwrap();
    assert!(matches!(
        f.auth.refresh(&pair.refresh_token),
        Err(AuthError::TokenInvalid)
    ));
    f.auth
        .logout("never-issued")
        .expect("logging out an unknown token is harmless");

    let other = admin(&f).tokens;
    f.test.owner_conn().batch_execute("UPDATE refresh_tokens SET expires_at = now() - interval '1 minute' WHERE revoked_at IS NULL").unwrap();
    assert!(matches!(
        f.auth.refresh(&other.refresh_token),
        Err(AuthError::TokenExpired)
    ));
    assert!(matches!(
        f.auth.refresh("garbage"),
        Err(AuthError::TokenInvalid)
    ));
}

#[test]
fn refresh_is_refused_once_the_membership_ends() {
    let f = fixture();
    let pair = alpha_owner(&f).tokens;
    f.test
        .owner_conn()
        .batch_execute("UPDATE vendor_users SET is_active = false")
        .unwrap();
    assert!(matches!(
        f.auth.refresh(&pair.refresh_token),
        Err(AuthError::NotAMember)
    ));
    let claims = f.auth.verify(&pair.access_token).unwrap();
    assert!(
        matches!(f.auth.vendor_member(&claims), Err(AuthError::NotAMember)),
        "and the access token stops working"
    );
}

#[test]
fn a_member_of_two_vendors_switches_between_them() {
    let f = fixture();
    let mut conn = f.test.owner_conn();
    conn.batch_execute(&format!(
        "INSERT INTO vendor_users (vendor_id, user_id, role_id) SELECT {beta}, {user}, id FROM roles WHERE vendor_id = {beta} AND name = 'Viewer'",
        beta = f.beta,
        user = f.owner_a
    ))
    .unwrap();
    let session = alpha_owner(&f);
    let claims = f.auth.verify(&session.tokens.access_token).unwrap();
    let switched = f
        .auth
        .switch_vendor(
            &claims,
            &SwitchVendor {
                vendor_code: "beta".into(),
            },
        )
        .unwrap();
    assert_eq!(switched.role.as_deref(), Some("Viewer"));
    let beta_claims = f.auth.verify(&switched.tokens.access_token).unwrap();
    assert_eq!(beta_claims.vendor_id, Some(f.beta.0));
    let nowhere = f.auth.switch_vendor(
        &claims,
        &SwitchVendor {
            vendor_code: "nosuch".into(),
        },
    );
    assert!(matches!(nowhere, Err(AuthError::NotAMember)));
}

#[test]
fn the_sixth_rapid_login_for_an_account_is_rate_limited() {
    let f = fixture_with(RateLimits {
        per_ip_per_minute: 100,
        per_account_per_minute: 5,
    });
    let attempt = || {
        f.auth.admin_login(
            &AdminLogin {
                email: "admin@wizamart.lu".into(),
                password: "wrong".into(),
            },
            &client(),
        )
    };
    for _ in 0..5 {
        assert!(matches!(attempt(), Err(AuthError::InvalidCredentials)));
    }
    match attempt() {
        Err(AuthError::RateLimited { retry_after }) => assert!(retry_after.as_secs() >= 1),
        other => panic!("expected a rate limit, got {other:?}"),
    }
}

#[test]
fn a_vendor_token_stops_working_when_its_vendor_closes_or_goes() {
    let f = fixture();
    let pair = alpha_owner(&f).tokens;
    let claims = f.auth.verify(&pair.access_token).unwrap();
    assert_eq!(f.auth.vendor_member(&claims).unwrap().member.role, "Owner");
    let mut conn = f.test.owner_conn();
    conn.batch_execute("UPDATE users SET is_active = false WHERE email = 'owner@alpha.lu'")
        .unwrap();
    assert!(matches!(
        f.auth.vendor_member(&claims),
        Err(AuthError::AccountInactive)
    ));
    conn.batch_execute("UPDATE users SET is_active = true")
        .unwrap();
    conn.batch_execute(&format!(
        "UPDATE vendors SET is_active = false WHERE id = {}",
        f.alpha
    ))
    .unwrap();
    assert!(matches!(
        f.auth.vendor_member(&claims),
        Err(AuthError::VendorInactive)
    ));
    conn.batch_execute(&format!(
        "UPDATE vendors SET deleted_at = now() WHERE id = {}",
        f.alpha
    ))
    .unwrap();
    assert!(matches!(
        f.auth.vendor_member(&claims),
        Err(AuthError::TokenInvalid)
    ));
    let forged_vendor = auth::Claims {
        vendor_id: Some(f.beta.0),
        ..claims
    };
    assert!(
        matches!(
            f.auth.vendor_member(&forged_vendor),
            Err(AuthError::NotAMember)
        ),
        "a (hypothetically re-signed) claim for another vendor finds no membership"
    );
}

/// A customer of `vendor`'s shop with the test password.
fn customer(db: &Db, vendor: VendorId, email: &str) -> db::CustomerId {
    let hash = PasswordHasher::new(4).unwrap().hash(PASSWORD).unwrap();
    db.tenant(&db::TenantScope::trusted(vendor), |tx| {
        db::customers::insert(
            tx,
            &db::customers::NewCustomer {
                email: &Email::new(email),
                password_hash: &hash,
                first_name: "Léa",
                last_name: "Schmit",
                phone: None,
            },
        )
    })
    .unwrap()
    .id
}

fn customer_login(email: &str, password: &str) -> auth::CustomerLogin {
    auth::CustomerLogin {
        email: email.into(),
        password: password.into(),
    }
}

#[test]
fn a_customer_signs_in_at_their_own_shop_only() {
    let f = fixture();
    let db = f.test.db();
    let id = customer(&db, f.alpha, "lea@example.lu");
    let alpha = db::TenantScope::trusted(f.alpha);
    let beta = db::TenantScope::trusted(f.beta);

    let session = f
        .auth
        .customer_login(
            &alpha,
            &customer_login("LEA@example.lu", PASSWORD),
            &client(),
        )
        .unwrap();
    assert_eq!(session.customer.id, id);
    let claims = f.auth.verify(&session.tokens.access_token).unwrap();
    assert_eq!(
        (claims.kind, claims.vendor_id),
        (PrincipalKind::Customer, Some(f.alpha.0))
    );
    let me = f.auth.principal(&claims).unwrap();
    assert_eq!(me.customer.expect("a customer").email, "lea@example.lu");
    assert_eq!(me.vendor.expect("the shop").code, "alpha");
    // A customer token is no member's and no admin's.
    assert!(f.auth.vendor_member(&claims).is_err());
    assert!(f.auth.admin(&claims).is_err());

    // Beta's shop has no such account; the answer is the one for a wrong password.
    assert!(matches!(
        f.auth.customer_login(
            &beta,
            &customer_login("lea@example.lu", PASSWORD),
            &client()
        ),
        Err(AuthError::InvalidCredentials)
    ));
    assert!(matches!(
        f.auth.customer_login(
            &alpha,
            &customer_login("lea@example.lu", "wrong one"),
            &client()
        ),
        Err(AuthError::InvalidCredentials)
    ));

    // Refresh rotates; a disabled account can neither refresh nor use its token.
    let pair = f.auth.refresh(&session.tokens.refresh_token).unwrap();
    assert_ne!(pair.refresh_token, session.tokens.refresh_token);
    f.test
        .owner_conn()
        .batch_execute(&format!(
            "UPDATE customers SET is_active = false WHERE id = {id}"
        ))
        .unwrap();
    assert!(matches!(
        f.auth.customer(&claims),
        Err(AuthError::AccountInactive)
    ));
    assert!(matches!(
        f.auth.refresh(&pair.refresh_token),
        Err(AuthError::AccountInactive)
    ));
}

#[test]
fn customer_logins_are_limited_per_shop_account() {
    let f = fixture_with(RateLimits {
        per_ip_per_minute: 1000,
        per_account_per_minute: 2,
    });
    let alpha = db::TenantScope::trusted(f.alpha);
    let beta = db::TenantScope::trusted(f.beta);
    let attempt = customer_login("x@example.lu", "guess guess");
    for _ in 0..2 {
        assert!(matches!(
            f.auth.customer_login(&alpha, &attempt, &client()),
            Err(AuthError::InvalidCredentials)
        ));
    }
    assert!(matches!(
        f.auth.customer_login(&alpha, &attempt, &client()),
        Err(AuthError::RateLimited { .. })
    ));
    // The same e-mail at another shop is another account.
    assert!(matches!(
        f.auth.customer_login(&beta, &attempt, &client()),
        Err(AuthError::InvalidCredentials)
    ));
}
