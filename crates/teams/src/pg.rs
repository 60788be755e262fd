//! The team service over PostgreSQL.

use db::roles::{NewRole, Role};
use db::{Db, TenantScope, TenantTx, UserId};

use crate::{
    ActiveMember, Member, MemberUser, Permission, Standing, TeamError, TeamService, VendorRef,
    check_standing, default_roles,
};

pub struct PgTeams {
    db: Db,
}

impl PgTeams {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

impl TeamService for PgTeams {
    fn active_member(
        &self,
        scope: &TenantScope,
        user_id: UserId,
    ) -> Result<ActiveMember, TeamError> {
        let found = self
            .db
            .tenant(scope, |tx| db::vendor_users::find_member(tx, user_id))
            .map_err(db::Error::from)?;
        let (member, role, user, vendor) = found.ok_or(TeamError::NotAMember)?;
        check_standing(Standing {
            vendor_deleted: vendor.deleted_at.is_some(),
            vendor_active: vendor.is_active,
            account_active: user.is_active,
            membership_active: member.is_active,
        })?;
        Ok(ActiveMember {
            user: MemberUser {
                id: user.id,
                email: user.email,
                first_name: user.first_name,
                last_name: user.last_name,
            },
            vendor: VendorRef {
                id: vendor.id,
                code: vendor.code,
                name: vendor.name,
            },
            permissions: parse_permissions(&role),
            role: role.name,
        })
    }

    fn members(&self, scope: &TenantScope) -> Result<Vec<Member>, TeamError> {
        self.db.tenant(scope, |tx| {
            let rows = db::vendor_users::list_with_users(tx)?;
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

    fn provision(&self, tx: &mut TenantTx<'_>, owner: UserId) -> Result<(), TeamError> {
        let defaults = default_roles();
        let new_roles: Vec<NewRole<'_>> = defaults
            .iter()
            .map(|(name, perms)| NewRole {
                name,
                permissions: perms.iter().map(|p| Some(p.as_str().to_owned())).collect(),
            })
            .collect();
        let roles = db::roles::insert_many(tx, &new_roles)?;
        let owner_role = roles
            .iter()
            .find(|r| r.name == "Owner")
            .ok_or(db::diesel_error::Error::NotFound)?;
        db::vendor_users::insert(tx, owner, owner_role.id, None)?;
        Ok(())
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
