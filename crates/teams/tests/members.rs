//! Team reads are scoped to one vendor.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use db::test_support::TestDb;
use db::{TenantScope, UserId, VendorId};
use diesel::connection::SimpleConnection;
use teams::{Permission, PgTeams, TeamError, TeamService};

fn setup(test: &TestDb) -> (VendorId, VendorId) {
    let mut conn = test.owner_conn();
    conn.batch_execute(
        "INSERT INTO users (id, email, password_hash, first_name) VALUES (1, 'a@x.lu', 'h', 'Ann'), (2, 'b@x.lu', 'h', 'Ben'), (3, 'c@x.lu', 'h', 'Cy');
         INSERT INTO vendors (id, code, name, subdomain, owner_user_id) VALUES (10, 'alpha', 'A', 'alpha', 1), (20, 'beta', 'B', 'beta', 2);",
    )
    .unwrap();
    let teams = PgTeams::new(test.db());
    for (vendor, owner) in [(10, 1), (20, 2)] {
        test.db()
            .tenant(&TenantScope::trusted(VendorId(vendor)), |tx| {
                teams.provision(tx, UserId(owner))
            })
            .unwrap();
    }
    conn.batch_execute(
        "INSERT INTO vendor_users (vendor_id, user_id, role_id) SELECT 10, 3, id FROM roles WHERE vendor_id = 10 AND name = 'Viewer'",
    )
    .unwrap();
    (VendorId(10), VendorId(20))
}

#[test]
fn members_lists_only_the_scoped_vendors_team_with_roles() {
    let test = TestDb::new();
    let (alpha, beta) = setup(&test);
    let teams = PgTeams::new(test.db());
    let members = teams.members(&TenantScope::trusted(alpha)).unwrap();
    let seen: Vec<(&str, &str)> = members
        .iter()
        .map(|m| (m.email.as_str(), m.role.as_str()))
        .collect();
    assert_eq!(seen, [("a@x.lu", "Owner"), ("c@x.lu", "Viewer")]);
    let other = teams.members(&TenantScope::trusted(beta)).unwrap();
    assert_eq!(
        other.iter().map(|m| m.email.as_str()).collect::<Vec<_>>(),
        ["b@x.lu"]
    );
}

#[test]
fn a_membership_is_looked_up_within_its_vendor_only() {
    let test = TestDb::new();
    let (alpha, beta) = setup(&test);
    let teams = PgTeams::new(test.db());
    let viewer = teams
        .active_member(&TenantScope::trusted(alpha), UserId(3))
        .expect("a member");
    assert!(viewer.has(Permission::ProductsView) && !viewer.has(Permission::ProductsEdit));
    assert_eq!(
        (viewer.vendor.code.as_str(), viewer.role.as_str()),
        ("alpha", "Viewer")
    );
    assert!(matches!(
        teams.active_member(&TenantScope::trusted(beta), UserId(3)),
        Err(TeamError::NotAMember)
    ));
    assert!(
        matches!(
            teams.active_member(&TenantScope::trusted(beta), UserId(1)),
            Err(TeamError::NotAMember)
        ),
        "alpha's owner is nobody at beta"
    );
}

#[test]
fn the_standing_rule_refuses_closed_vendors_disabled_accounts_and_switched_off_members() {
    let test = TestDb::new();
    let (alpha, _) = setup(&test);
    let teams = PgTeams::new(test.db());
    let mut owner = test.owner_conn();
    let check = || teams.active_member(&TenantScope::trusted(alpha), UserId(3));
    owner
        .batch_execute("UPDATE vendor_users SET is_active = false WHERE user_id = 3")
        .unwrap();
    assert!(matches!(check(), Err(TeamError::NotAMember)));
    owner
        .batch_execute("UPDATE users SET is_active = false WHERE id = 3")
        .unwrap();
    assert!(matches!(check(), Err(TeamError::AccountInactive)));
    owner
        .batch_execute("UPDATE vendors SET is_active = false WHERE id = 10")
        .unwrap();
    assert!(matches!(check(), Err(TeamError::VendorInactive)));
    owner
        .batch_execute("UPDATE vendors SET deleted_at = now() WHERE id = 10")
        .unwrap();
    assert!(matches!(check(), Err(TeamError::VendorGone)));
}
