//! Changing a team against a real database: custom roles (the defaults stay as they are),
//! nobody granting what they do not hold, the last active Owner kept (also against two
//! concurrent changes), sessions ended on a change, ownership transfer, audit rows, and
//! another vendor's roles and members out of reach.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use std::sync::Arc;

use db::audit::Actor;
use db::test_support::TestDb;
use db::{RoleId, TenantScope, UserId, VendorId};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use teams::{ChangeError, Permission, PgTeams, RoleInput, TeamService};

const ALPHA: TenantScope = TenantScope::trusted(VendorId(10));
const BETA: TenantScope = TenantScope::trusted(VendorId(20));
const OWNER: UserId = UserId(1);
const MANAGER: UserId = UserId(3);
const EDITOR: UserId = UserId(4);
const SECOND_OWNER: UserId = UserId(5);

fn actor(user: UserId) -> Actor {
    Actor {
        user_id: user,
        ip: None,
        request_id: None,
        on_behalf: None,
    }
}

/// Alpha: Owner 1, Manager 3, Editor 4, and user 5 (made a second Owner where a test wants
/// one); beta: Owner 2. Every member has a live session for their vendor.
fn team() -> (TestDb, PgTeams) {
    let test = TestDb::new();
    test.owner_conn()
        .batch_execute(
            "INSERT INTO users (id, email, password_hash) VALUES (1, 'a@x.lu', 'h'), (2, 'b@x.lu', 'h'),
               (3, 'm@x.lu', 'h'), (4, 'e@x.lu', 'h'), (5, 'o@x.lu', 'h');
             INSERT INTO vendors (id, code, name, subdomain, owner_user_id) VALUES (10, 'alpha', 'A', 'alpha', 1), (20, 'beta', 'B', 'beta', 2);",
        )
        .unwrap();
    let teams = PgTeams::new(test.db());
    for (scope, owner) in [(ALPHA, OWNER), (BETA, UserId(2))] {
        test.db()
            .tenant(&scope, |tx| teams.provision(tx, owner))
            .unwrap();
    }
    test.owner_conn()
        .batch_execute(
            "INSERT INTO vendor_users (vendor_id, user_id, role_id)
               SELECT 10, 3, id FROM roles WHERE vendor_id = 10 AND name = 'Manager';
             INSERT INTO vendor_users (vendor_id, user_id, role_id)
               SELECT 10, 4, id FROM roles WHERE vendor_id = 10 AND name = 'Editor';
             INSERT INTO vendor_users (vendor_id, user_id, role_id)
               SELECT 10, 5, id FROM roles WHERE vendor_id = 10 AND name = 'Viewer';
             INSERT INTO refresh_tokens (token_hash, family, principal_kind, user_id, vendor_id, expires_at)
               SELECT 'h' || u, gen_random_uuid(), 'vendor', u, CASE WHEN u = 2 THEN 20 ELSE 10 END, now() + interval '1 day'
               FROM generate_series(1, 5) AS u;",
        )
        .unwrap();
    (test, teams)
}

fn role_id(test: &TestDb, vendor: i64, name: &str) -> RoleId {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    let row: Row = diesel::sql_query(format!(
        "SELECT id FROM roles WHERE vendor_id = {vendor} AND name = '{name}'"
    ))
    .get_result(&mut test.owner_conn())
    .unwrap();
    RoleId(row.id)
}

/// Whether the user's session for their vendor is still live.
fn signed_in(test: &TestDb, user: UserId) -> bool {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    diesel::sql_query(format!(
        "SELECT count(*)::bigint AS n FROM refresh_tokens WHERE user_id = {} AND revoked_at IS NULL",
        user.0
    ))
    .get_result::<Row>(&mut test.owner_conn())
    .unwrap()
    .n > 0
}

fn input(name: &str, permissions: &[Permission]) -> RoleInput {
    RoleInput {
        name: name.into(),
        permissions: permissions.to_vec(),
    }
}

fn role_of(teams: &PgTeams, user: UserId) -> String {
    let members = teams.members(&ALPHA).unwrap();
    members
        .into_iter()
        .find(|m| m.user_id == user)
        .unwrap()
        .role
}

#[test]
fn custom_roles_come_and_go_and_the_defaults_stay() {
    let (test, teams) = team();
    let roles = teams.roles(&ALPHA).unwrap();
    let defaults: Vec<(&str, bool, i64)> = roles
        .iter()
        .map(|r| (r.name.as_str(), r.is_default, r.members))
        .collect();
    assert_eq!(
        defaults,
        [
            ("Owner", true, 1),
            ("Manager", true, 1),
            ("Editor", true, 1),
            ("Viewer", true, 1)
        ]
    );
    use Permission::*;
    let packer = teams
        .create_role(
            &ALPHA,
            &actor(OWNER),
            &input("Packer", &[OrdersView, OrdersEdit]),
        )
        .unwrap();
    assert!(!packer.is_default);
    assert!(matches!(
        teams.create_role(&ALPHA, &actor(OWNER), &input("Packer", &[OrdersView])),
        Err(ChangeError::RoleNameTaken)
    ));
    assert!(matches!(
        teams.create_role(&ALPHA, &actor(OWNER), &input(" ", &[OrdersView])),
        Err(ChangeError::Validation(_))
    ));
    assert!(
        matches!(
            teams.create_role(&ALPHA, &actor(MANAGER), &input("Admin", &[SettingsEdit])),
            Err(ChangeError::BeyondOwnPermissions("settings.edit"))
        ),
        "a Manager cannot make a role with more than they hold"
    );
    let manager = role_id(&test, 10, "Manager");
    for refused in [
        teams
            .update_role(
                &ALPHA,
                &actor(OWNER),
                manager,
                &input("Boss", &[OrdersView]),
            )
            .map(|_| ()),
        teams.delete_role(&ALPHA, &actor(OWNER), manager),
    ] {
        assert!(
            matches!(refused, Err(ChangeError::DefaultRole)),
            "{refused:?}"
        );
    }

    // Editor 4 packs; losing a permission ends their session.
    teams
        .change_member_role(&ALPHA, &actor(OWNER), EDITOR, packer.id)
        .unwrap();
    test.owner_conn()
        .batch_execute("INSERT INTO refresh_tokens (token_hash, family, principal_kind, user_id, vendor_id, expires_at) VALUES ('again', gen_random_uuid(), 'vendor', 4, 10, now() + interval '1 day')")
        .unwrap();
    let renamed = teams
        .update_role(
            &ALPHA,
            &actor(OWNER),
            packer.id,
            &input("Shipping", &[OrdersView]),
        )
        .unwrap();
    assert_eq!((renamed.name.as_str(), renamed.members), ("Shipping", 1));
    assert_eq!(renamed.permissions, [OrdersView]);
    assert!(
        !signed_in(&test, EDITOR),
        "a permission taken away ends their sessions"
    );
    assert!(matches!(
        teams.delete_role(&ALPHA, &actor(OWNER), packer.id),
        Err(ChangeError::RoleInUse)
    ));
    assert!(matches!(
        teams.update_role(&BETA, &actor(UserId(2)), packer.id, &input("Mine", &[])),
        Err(ChangeError::RoleNotFound)
    ));
    teams
        .change_member_role(&ALPHA, &actor(OWNER), EDITOR, role_id(&test, 10, "Editor"))
        .unwrap();
    teams.delete_role(&ALPHA, &actor(OWNER), packer.id).unwrap();
    assert_eq!(teams.roles(&ALPHA).unwrap().len(), 4);
}

#[test]
fn the_last_active_owner_stays_and_nobody_grants_what_they_lack() {
    let (test, teams) = team();
    let owner_role = role_id(&test, 10, "Owner");
    let viewer_role = role_id(&test, 10, "Viewer");
    let me = actor(OWNER);
    for refused in [
        teams
            .change_member_role(&ALPHA, &me, OWNER, viewer_role)
            .map(|_| ()),
        teams
            .set_member_active(&ALPHA, &me, OWNER, false)
            .map(|_| ()),
        teams.remove_member(&ALPHA, &me, OWNER),
    ] {
        assert!(
            matches!(refused, Err(ChangeError::LastOwner)),
            "{refused:?}"
        );
    }
    let manager = actor(MANAGER);
    assert!(
        matches!(
            teams.change_member_role(&ALPHA, &manager, EDITOR, owner_role),
            Err(ChangeError::BeyondOwnPermissions(_))
        ),
        "a Manager cannot make an Owner"
    );
    assert!(
        matches!(
            teams.set_member_active(&ALPHA, &manager, OWNER, false),
            Err(ChangeError::BeyondOwnPermissions(_))
        ),
        "nor switch one off"
    );
    assert!(
        matches!(
            teams.remove_member(&BETA, &actor(UserId(2)), EDITOR),
            Err(ChangeError::MemberNotFound)
        ),
        "another vendor's member is out of reach"
    );

    // With a second Owner, the first may step down; switching off ends the session.
    teams
        .change_member_role(&ALPHA, &me, SECOND_OWNER, owner_role)
        .unwrap();
    let off = teams.set_member_active(&ALPHA, &me, EDITOR, false).unwrap();
    assert!(!off.is_active);
    assert!(!signed_in(&test, EDITOR));
    assert!(signed_in(&test, MANAGER), "nobody else is signed out");
    teams
        .change_member_role(&ALPHA, &me, OWNER, role_id(&test, 10, "Manager"))
        .unwrap();
    assert_eq!(role_of(&teams, OWNER), "Manager");
    assert!(matches!(
        teams.remove_member(&ALPHA, &actor(SECOND_OWNER), SECOND_OWNER),
        Err(ChangeError::LastOwner)
    ));
    teams
        .remove_member(&ALPHA, &actor(SECOND_OWNER), EDITOR)
        .unwrap();
    assert_eq!(teams.members(&ALPHA).unwrap().len(), 3);
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let audited = diesel::sql_query(
        "SELECT count(*)::bigint AS n FROM audit_logs WHERE vendor_id = 10 AND action LIKE 'team.%'",
    )
    .get_result::<Row>(&mut test.owner_conn())
    .unwrap()
    .n;
    assert_eq!(audited, 4, "each change that happened, once");
}

#[test]
fn two_owners_switching_each_other_off_at_once_leave_one() {
    let (test, teams) = team();
    let owner_role = role_id(&test, 10, "Owner");
    teams
        .change_member_role(&ALPHA, &actor(OWNER), SECOND_OWNER, owner_role)
        .unwrap();
    let teams = Arc::new(teams);
    let outcomes: Vec<Result<(), String>> = std::thread::scope(|s| {
        let handles: Vec<_> = [(OWNER, SECOND_OWNER), (SECOND_OWNER, OWNER)]
            .into_iter()
            .map(|(by, whom)| {
                let teams = teams.clone();
                s.spawn(move || {
                    teams
                        .set_member_active(&ALPHA, &actor(by), whom, false)
                        .map(|_| ())
                        .map_err(|e| format!("{e:?}"))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let won = outcomes.iter().filter(|o| o.is_ok()).count();
    assert_eq!(won, 1, "{outcomes:?}");
    assert!(
        outcomes.iter().any(|o| o
            .as_ref()
            .is_err_and(|e| e.contains("LastOwner") || e.contains("NotAMember"))),
        "{outcomes:?}"
    );
    let active_owners = teams
        .members(&ALPHA)
        .unwrap()
        .into_iter()
        .filter(|m| m.role == "Owner" && m.is_active)
        .count();
    assert_eq!(active_owners, 1);
}

#[test]
fn an_owner_hands_the_vendor_over_and_stays_as_manager() {
    let (test, teams) = team();
    assert!(matches!(
        teams.transfer_ownership(&ALPHA, &actor(MANAGER), EDITOR),
        Err(ChangeError::BeyondOwnPermissions("ownership"))
    ));
    assert!(
        matches!(
            teams.transfer_ownership(&ALPHA, &actor(OWNER), UserId(2)),
            Err(ChangeError::MemberNotFound)
        ),
        "beta's owner is no member of alpha"
    );
    let team = teams
        .transfer_ownership(&ALPHA, &actor(OWNER), EDITOR)
        .unwrap();
    let roles: Vec<(i64, &str)> = team
        .iter()
        .map(|m| (m.user_id.0, m.role.as_str()))
        .collect();
    assert_eq!(
        roles,
        [(1, "Manager"), (3, "Manager"), (4, "Owner"), (5, "Viewer")]
    );
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        owner_user_id: i64,
    }
    let row: Row = diesel::sql_query("SELECT owner_user_id FROM vendors WHERE id = 10")
        .get_result(&mut test.owner_conn())
        .unwrap();
    assert_eq!(row.owner_user_id, 4, "the owner of record");
}
