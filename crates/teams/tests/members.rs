//! Team reads are scoped to one vendor.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use db::test_support::TestDb;
use db::{TenantScope, UserId, VendorId};
use diesel::connection::SimpleConnection;
use teams::{Permission, PgTeams, TeamService};

fn setup(test: &TestDb) -> (VendorId, VendorId) {
    let mut conn = test.owner_conn();
    conn.batch_execute(
        "INSERT INTO users (id, email, password_hash, first_name) VALUES (1, 'a@x.lu', 'h', 'Ann'), (2, 'b@x.lu', 'h', 'Ben'), (3, 'c@x.lu', 'h', 'Cy');
         INSERT INTO vendors (id, code, name, subdomain, owner_user_id) VALUES (10, 'alpha', 'A', 'alpha', 1), (20, 'beta', 'B', 'beta', 2);",
    )
    .unwrap();
    teams::provision_vendor(&mut conn, VendorId(10), UserId(1)).unwrap();
    teams::provision_vendor(&mut conn, VendorId(20), UserId(2)).unwrap();
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
        .membership(&TenantScope::trusted(alpha), UserId(3))
        .unwrap()
        .expect("a member");
    assert!(viewer.has(Permission::ProductsView) && !viewer.has(Permission::ProductsEdit));
    assert!(
        teams
            .membership(&TenantScope::trusted(beta), UserId(3))
            .unwrap()
            .is_none()
    );
    assert!(
        teams
            .membership(&TenantScope::trusted(beta), UserId(1))
            .unwrap()
            .is_none(),
        "alpha's owner is nobody at beta"
    );
}
