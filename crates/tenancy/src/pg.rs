//! Vendor management over PostgreSQL, in platform scope.

use std::sync::Arc;

use auth::{PasswordHasher, generate_password};
use db::audit::{Actor, Event};
use db::pagination::{Page, PageRequest};
use db::users::NewUser;
use db::vendors::{NewVendor, VendorChanges, VendorFilter};
use db::{Db, Email, PlatformScope, PlatformTx, VendorId};
use inventory::InventoryService;
use serde_json::json;
use teams::TeamService;
use validator::Validate;

use crate::bulk::{self, BulkAnswer, BulkCreated, BulkFailure, BulkImportView, BulkReport};
use crate::{
    CreateVendor, CreatedVendor, OwnerInfo, TenancyError, UpdateVendor, VendorDetail,
    VendorListQuery, VendorService, VendorView, model::VendorCounts,
};

impl PgVendors {
    /// Creates the vendors of parsed lines, each on its own: a bad or refused row is reported
    /// with its line and the others are still created.
    pub(crate) fn create_rows(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        lines: impl IntoIterator<Item = bulk::ParsedLine>,
    ) -> BulkReport {
        let mut report = BulkReport::default();
        for (row, parsed) in lines {
            let outcome = parsed.and_then(|r| {
                let owner = match r.initial_password {
                    Some(password) => NewOwner::Password(password),
                    None => NewOwner::TemporaryPassword,
                };
                self.create_vendor(scope, actor, &r.vendor, &owner, &r.letzshop_csv_urls)
                    .map_err(|e| bulk::describe(&e))
            });
            match outcome {
                Ok(created) => report.created.push(BulkCreated { row, created }),
                Err(error) => report.failed.push(BulkFailure { row, error }),
            }
        }
        report
    }
}

/// How a new owner account gets its password.
enum NewOwner {
    /// A random one, answered once.
    TemporaryPassword,
    /// One the admin chose (bulk import's `initial_password`); not answered back.
    Password(String),
}

/// A new owner's password as the insert needs it: its hash, and whether the admin chose it.
struct PlannedOwner<'a> {
    password_hash: &'a str,
    chosen: bool,
}

/// The vendor code and subdomain a creation asks for, as stored (lower case; the subdomain
/// defaults to the code).
fn names(input: &CreateVendor) -> (String, String) {
    let code = input.code.trim().to_lowercase();
    let subdomain = blank_to_none(&input.subdomain).map_or_else(|| code.clone(), str::to_lowercase);
    (code, subdomain)
}

/// Length of the temporary password handed to a new owner.
const TEMP_PASSWORD_LEN: usize = 16;

pub struct PgVendors {
    db: Db,
    hasher: Arc<PasswordHasher>,
    teams: Arc<dyn TeamService>,
    inventory: Arc<dyn InventoryService>,
}

impl PgVendors {
    pub fn new(
        db: Db,
        hasher: Arc<PasswordHasher>,
        teams: Arc<dyn TeamService>,
        inventory: Arc<dyn InventoryService>,
    ) -> Self {
        Self {
            db,
            hasher,
            teams,
            inventory,
        }
    }

    /// Creates a vendor with its owner (new, or an existing account), settings, default roles
    /// and an audit entry, in one transaction.
    fn create_vendor(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        input: &CreateVendor,
        owner_password: &NewOwner,
        letzshop_csv_urls: &serde_json::Value,
    ) -> Result<CreatedVendor, TenancyError> {
        input.validate()?;
        let (password, shown) = match owner_password {
            NewOwner::TemporaryPassword => (generate_password(TEMP_PASSWORD_LEN), true),
            NewOwner::Password(p) => (p.clone(), false),
        };
        // Hash before the transaction: bcrypt is slow and must not hold a connection.
        let password_hash = self.hasher.hash(&password)?;
        let owner = PlannedOwner {
            password_hash: &password_hash,
            chosen: matches!(owner_password, NewOwner::Password(_)),
        };
        let (code, subdomain) = names(input);
        let mut created = self
            .db
            .platform(scope, |tx| {
                self.insert_vendor(tx, actor, input, &owner, letzshop_csv_urls)
            })
            .map_err(|e| taken(e, &code, &subdomain))?;
        if shown && created.temporary_password.is_some() {
            created.temporary_password = Some(password);
        }
        Ok(created)
    }

    /// The rows of a bulk file created in a transaction that is then undone: exactly what an
    /// import would create and every row it would refuse (taken codes, e-mails of admins,
    /// duplicates within the file), with nothing written and no password hashed.
    pub(crate) fn preview_rows(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        lines: Vec<bulk::ParsedLine>,
    ) -> Result<bulk::BulkPreview, TenancyError> {
        // Stands for every new owner's password hash; never stored (the work is undone).
        let owner_of = |chosen| PlannedOwner {
            password_hash: "rehearsal",
            chosen,
        };
        self.db.platform(scope, |tx| {
            tx.savepoint(false, |tx| {
                let mut preview = bulk::BulkPreview::default();
                for (row, parsed) in lines {
                    let outcome = parsed.and_then(|r| {
                        r.vendor.validate().map_err(|e| bulk::describe(&e.into()))?;
                        let owner = owner_of(r.initial_password.is_some());
                        let (code, subdomain) = names(&r.vendor);
                        tx.savepoint(true, |tx| {
                            self.insert_vendor(tx, actor, &r.vendor, &owner, &r.letzshop_csv_urls)
                        })
                        .map_err(|e| bulk::describe(&taken(e, &code, &subdomain)))
                        .map(|created| bulk::BulkPlanned::of(row, created, &r.letzshop_csv_urls))
                    });
                    match outcome {
                        Ok(planned) => preview.would_create.push(planned),
                        Err(error) => preview.failed.push(BulkFailure { row, error }),
                    }
                }
                Ok::<_, TenancyError>(preview)
            })
        })
    }

    /// Writes a vendor with its owner (new, or an existing account), settings, default roles
    /// and an audit entry into `tx`. A new owner's `temporary_password` is `Some("")` here;
    /// the caller fills in the password it hashed.
    fn insert_vendor(
        &self,
        tx: &mut PlatformTx<'_>,
        actor: &Actor,
        input: &CreateVendor,
        owner_password: &PlannedOwner<'_>,
        letzshop_csv_urls: &serde_json::Value,
    ) -> Result<CreatedVendor, TenancyError> {
        let (code, subdomain) = names(input);
        let owner_email = Email::new(&input.owner_email);
        let (owner, new_owner) = match db::users::find_by_email(tx, &owner_email)? {
            // A platform admin never becomes a vendor's owner by accident (the two roles are
            // kept apart), and a chosen password is never silently dropped.
            Some(existing) if existing.is_platform_admin => {
                return Err(TenancyError::OwnerIsAdmin(owner_email.to_string()));
            }
            Some(_) if owner_password.chosen => {
                return Err(TenancyError::OwnerExists(owner_email.to_string()));
            }
            Some(existing) => (existing, false),
            None => {
                let user = db::users::insert(
                    tx,
                    &NewUser {
                        email: &owner_email,
                        password_hash: owner_password.password_hash,
                        first_name: input.owner_first_name.trim(),
                        last_name: input.owner_last_name.trim(),
                        is_platform_admin: false,
                    },
                )?;
                (user, true)
            }
        };
        let vendor = db::vendors::insert(
            tx,
            &NewVendor {
                code: &code,
                name: input.name.trim(),
                subdomain: &subdomain,
                description: input.description.as_deref().unwrap_or_default().trim(),
                business_email: blank_to_none(&input.business_email),
                business_phone: blank_to_none(&input.business_phone),
                business_address: blank_to_none(&input.business_address),
                owner_user_id: owner.id,
            },
        )?;
        let mut tenant = tx.vendor(vendor.id)?;
        db::settings::create(&mut tenant, letzshop_csv_urls)?;
        self.teams.provision(&mut tenant, owner.id)?;
        self.inventory.provision(&mut tenant)?;
        audit(
            tx,
            actor,
            vendor.id,
            "vendor.create",
            json!({"code": vendor.code, "owner_email": owner.email, "new_owner": new_owner}),
        )?;
        let temporary_password = (new_owner && !owner_password.chosen).then(String::new);
        Ok(CreatedVendor {
            vendor: vendor.into(),
            owner: owner.into(),
            temporary_password,
        })
    }

    /// Applies `changes` to a live vendor and records `action` in the audit log.
    fn change(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        id: VendorId,
        changes: VendorChanges,
        action: &str,
        details: serde_json::Value,
    ) -> Result<VendorView, TenancyError> {
        let subdomain = changes.subdomain.clone();
        self.db
            .platform(scope, |tx| {
                let vendor =
                    db::vendors::update(tx, id, &changes)?.ok_or(TenancyError::NotFound)?;
                audit(tx, actor, id, action, details)?;
                Ok(VendorView::from(vendor))
            })
            .map_err(|e| taken(e, "", subdomain.as_deref().unwrap_or_default()))
    }
}

/// Turns a unique violation on code or subdomain into the matching conflict.
fn taken(e: TenancyError, code: &str, subdomain: &str) -> TenancyError {
    match &e {
        TenancyError::Storage(s) => match s.unique_violation() {
            Some("vendors_code_key") => TenancyError::CodeTaken(code.to_owned()),
            Some("vendors_subdomain_key") => TenancyError::SubdomainTaken(subdomain.to_owned()),
            _ => e,
        },
        _ => e,
    }
}

/// Records an admin action on `vendor` (through that vendor's tenant handle).
fn audit(
    tx: &mut PlatformTx<'_>,
    actor: &Actor,
    vendor: VendorId,
    action: &str,
    details: serde_json::Value,
) -> Result<(), db::Error> {
    let event = Event {
        action,
        target_type: "vendor",
        target_id: vendor.to_string(),
        details,
    };
    db::audit::record(&mut tx.vendor(vendor)?, actor, event)?;
    Ok(())
}

fn blank_to_none(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl VendorService for PgVendors {
    fn create(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        input: &CreateVendor,
    ) -> Result<CreatedVendor, TenancyError> {
        self.create_vendor(
            scope,
            actor,
            input,
            &NewOwner::TemporaryPassword,
            &json!({}),
        )
    }

    fn bulk_create(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        file_name: &str,
        csv: &[u8],
    ) -> Result<BulkAnswer, TenancyError> {
        let lines = bulk::parse(csv)?;
        if lines.len() <= bulk::SYNC_ROWS {
            return Ok(BulkAnswer::Done(self.create_rows(scope, actor, lines)));
        }
        let name: String = file_name
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        let rows = i32::try_from(lines.len()).unwrap_or(i32::MAX);
        let import = self.db.platform(scope, |tx| {
            let import = db::vendor_bulk_imports::create(tx, &name, csv, rows, actor.user_id)?;
            let job = jobs::enqueue_for_platform(
                tx,
                &jobs::JobSpec::new(
                    crate::BULK_IMPORT_JOB,
                    json!({ "bulk_import_id": import.id }),
                ),
            )?;
            Ok::<_, TenancyError>(db::vendor_bulk_imports::set_job(tx, import.id, job)?)
        })?;
        Ok(BulkAnswer::Queued(import.into()))
    }

    fn bulk_preview(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        csv: &[u8],
    ) -> Result<bulk::BulkPreview, TenancyError> {
        let lines = bulk::parse(csv)?;
        self.preview_rows(scope, actor, lines)
    }

    fn bulk_import(&self, scope: &PlatformScope, id: i64) -> Result<BulkImportView, TenancyError> {
        self.db
            .platform(scope, |tx| db::vendor_bulk_imports::read_once(tx, id))?
            .map(BulkImportView::from)
            .ok_or(TenancyError::BulkImportNotFound)
    }

    fn list(
        &self,
        scope: &PlatformScope,
        query: &VendorListQuery,
    ) -> Result<Page<VendorView>, TenancyError> {
        let filter = VendorFilter {
            q: query.q.clone(),
            is_active: query.is_active,
            is_verified: query.is_verified,
        };
        let page = PageRequest::new(query.page, query.per_page);
        let found = self
            .db
            .platform(scope, |tx| db::vendors::search(tx, &filter, page))?;
        Ok(found.map(VendorView::from))
    }

    fn get(&self, scope: &PlatformScope, id: VendorId) -> Result<VendorDetail, TenancyError> {
        self.db.platform(scope, |tx| {
            let vendor = db::vendors::find(tx, id)?.ok_or(TenancyError::NotFound)?;
            let owner = db::users::find(tx, vendor.owner_user_id)?.ok_or(TenancyError::NotFound)?;
            let mut tenant = tx.vendor(id)?;
            let domains = db::vendor_domains::list(&mut tenant)?
                .into_iter()
                .map(|d| d.domain)
                .collect();
            let members = db::vendor_users::count(&mut tenant)?;
            Ok(VendorDetail {
                vendor: vendor.into(),
                owner: OwnerInfo::from(owner),
                domains,
                counts: VendorCounts { members },
            })
        })
    }

    fn update(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        id: VendorId,
        input: &UpdateVendor,
    ) -> Result<VendorView, TenancyError> {
        input.validate()?;
        let trimmed = |v: &Option<Option<String>>| {
            v.as_ref().map(|inner| {
                inner
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
            })
        };
        let changes = VendorChanges {
            name: input.name.as_deref().map(|n| n.trim().to_owned()),
            subdomain: input.subdomain.as_deref().map(|s| s.trim().to_lowercase()),
            description: input.description.as_deref().map(|d| d.trim().to_owned()),
            business_email: trimmed(&input.business_email),
            business_phone: trimmed(&input.business_phone),
            business_address: trimmed(&input.business_address),
            // A plain struct of strings always serialises; `Null` would be the only fallback.
            theme: input
                .theme
                .as_ref()
                .map(|t| serde_json::to_value(t).unwrap_or_default()),
            ..VendorChanges::default()
        };
        let fields: Vec<&str> = [
            ("name", changes.name.is_some()),
            ("subdomain", changes.subdomain.is_some()),
            ("description", changes.description.is_some()),
            ("business_email", changes.business_email.is_some()),
            ("business_phone", changes.business_phone.is_some()),
            ("business_address", changes.business_address.is_some()),
            ("theme", changes.theme.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, set)| set.then_some(name))
        .collect();
        if fields.is_empty() {
            return self.get(scope, id).map(|d| d.vendor);
        }
        self.change(
            scope,
            actor,
            id,
            changes,
            "vendor.update",
            json!({ "fields": fields }),
        )
    }

    fn set_verified(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        id: VendorId,
        verified: bool,
    ) -> Result<VendorView, TenancyError> {
        let changes = VendorChanges {
            is_verified: Some(verified),
            ..VendorChanges::default()
        };
        self.change(
            scope,
            actor,
            id,
            changes,
            "vendor.verify",
            json!({ "is_verified": verified }),
        )
    }

    fn set_active(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        id: VendorId,
        active: bool,
    ) -> Result<VendorView, TenancyError> {
        let changes = VendorChanges {
            is_active: Some(active),
            ..VendorChanges::default()
        };
        self.change(
            scope,
            actor,
            id,
            changes,
            "vendor.status",
            json!({ "is_active": active }),
        )
    }

    fn delete(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        id: VendorId,
    ) -> Result<(), TenancyError> {
        self.db.platform(scope, |tx| {
            if !db::vendors::soft_delete(tx, id)? {
                return Err(TenancyError::NotFound);
            }
            audit(tx, actor, id, "vendor.delete", json!({})).map_err(TenancyError::from)
        })
    }
}

impl crate::ShopSettings for PgVendors {
    fn theme(&self, scope: &db::TenantScope) -> Result<crate::Theme, TenancyError> {
        let vendor = self.db.tenant(scope, |tx| {
            let id = tx.vendor_id();
            db::vendors::find(tx, id)
        })?;
        let vendor = vendor.ok_or(TenancyError::NotFound)?;
        Ok(crate::Theme::from_stored(&vendor.theme))
    }

    fn set_theme(
        &self,
        scope: &db::TenantScope,
        actor: &Actor,
        theme: &crate::Theme,
    ) -> Result<crate::Theme, TenancyError> {
        theme.validate()?;
        let stored = serde_json::to_value(theme).unwrap_or_default();
        let vendor = self.db.tenant(scope, |tx| {
            let id = tx.vendor_id();
            let changes = VendorChanges {
                theme: Some(stored.clone()),
                ..VendorChanges::default()
            };
            let vendor = db::vendors::update(tx, id, &changes)?.ok_or(TenancyError::NotFound)?;
            db::audit::record(
                tx,
                actor,
                Event {
                    action: "vendor.theme",
                    target_type: "vendor",
                    target_id: id.to_string(),
                    details: stored.clone(),
                },
            )?;
            Ok::<_, TenancyError>(vendor)
        })?;
        Ok(crate::Theme::from_stored(&vendor.theme))
    }
}
