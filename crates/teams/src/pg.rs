use db::roles::{NewRole, Role};
use db::vendor_users::VendorUser;
use db::{Db, PgConnection, TenantScope, UserId, VendorId};

use crate::{Member, Membership, Permission, TeamError, TeamMember, TeamService, default_roles};

pub struct PgTeams {
    db: Db,
}

impl PgTeams {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

impl TeamService for PgTeams {
    fn membership(
        &self,
        scope: &TenantScope,
        user_id: UserId,
    ) -> Result<Option<Membership>, TeamError> {
        self.db.tenant(scope, |conn| {
            let found = db::vendor_users::find_with_role(conn, scope.vendor_id(), user_id)?;
            Ok(found.map(|(member, role)| membership(member, &role)))
        })
    }

    fn member(
        &self,
        scope: &TenantScope,
        user_id: UserId,
    ) -> Result<Option<TeamMember>, TeamError> {
        self.db.tenant(scope, |conn| {
            let found = db::vendor_users::find_member(conn, scope.vendor_id(), user_id)?;
            Ok(found.map(|(member, role, user, vendor)| TeamMember {
                membership: membership(member, &role),
                user,
                vendor,
            }))
        })
    }

    fn members(&self, scope: &TenantScope) -> Result<Vec<Member>, TeamError> {
        self.db.tenant(scope, |conn| {
            let rows = db::vendor_users::list_with_users(conn, scope.vendor_id())?;
            Ok(rows
                .into_iter()
                .map(|(member, user, role)| Member {
                    user_id: user.id,
                    email: user.email,
                    first_name: user.first_name,
                    last_name: user.last_name,
                    role: role.name,
                    is_active: member.is_active,
                    joined_at: member.created_at,
                })
                .collect())
        })
    }
}

fn membership(member: VendorUser, role: &Role) -> Membership {
    Membership {
        vendor_id: member.vendor_id,
        user_id: member.user_id,
        permissions: parse_permissions(role),
        role: role.name.clone(),
        is_active: member.is_active,
    }
}

/// Stored permission strings that no longer exist are ignored rather than trusted.
fn parse_permissions(role: &Role) -> Vec<Permission> {
    role.permissions
        .iter()
        .flatten()
        .filter_map(|p| Permission::parse(p))
        .collect()
}

/// Gives a new vendor its default roles and makes `owner` its Owner. Runs inside the
/// caller's transaction (platform scope, or the new vendor's tenant scope) so a vendor never
/// exists without its team.
pub fn provision_vendor(
    conn: &mut PgConnection,
    vendor_id: VendorId,
    owner: UserId,
) -> Result<(), db::Error> {
    let defaults = default_roles();
    let new_roles: Vec<NewRole<'_>> = defaults
        .iter()
        .map(|(name, perms)| NewRole {
            vendor_id,
            name,
            permissions: perms.iter().map(|p| Some(p.as_str().to_owned())).collect(),
        })
        .collect();
    let roles = db::roles::insert_many(conn, &new_roles)?;
    let owner_role = roles
        .iter()
        .find(|r| r.name == "Owner")
        .ok_or(db::diesel_error::Error::NotFound)?;
    db::vendor_users::insert(conn, vendor_id, owner, owner_role.id, None)?;
    Ok(())
}
