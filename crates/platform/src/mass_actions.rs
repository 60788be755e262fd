//! Actions over many vendors at once: start the Letzshop imports of every vendor with a feed
//! (or of chosen ones), activate or deactivate chosen vendors. Each runs as a platform job
//! that records every vendor's outcome as it goes; the admin's page follows it. A rerun after
//! a crash skips the vendors already done. Starting one is audited; each vendor's change is
//! audited by the service that makes it.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use db::audit::{self, Actor};
use db::mass_actions::MassAction;
use db::{Db, PlatformScope, TenantScope, UserId, VendorId};
use jobs::{Handler, JobContext, JobError};
use marketplace::MarketplaceService;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tenancy::VendorService;
use utoipa::ToSchema;
use validator::Validate;

use crate::PlatformError;

pub const MASS_ACTION_JOB: &str = "vendors.mass_action";
/// The most vendors one action names.
pub const MAX_VENDORS: usize = 5000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MassActionKind {
    /// Start an import of every configured Letzshop feed (one per language).
    StartImports,
    Activate,
    Deactivate,
}

impl MassActionKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::StartImports => "start_imports",
            Self::Activate => "activate",
            Self::Deactivate => "deactivate",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Self::StartImports, Self::Activate, Self::Deactivate]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// An action over chosen vendors.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMassAction {
    pub action: MassActionKind,
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_items = 1, max_items = 5000)]
    pub vendor_ids: Vec<i64>,
}

/// One vendor's outcome.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MassResult {
    pub vendor_id: i64,
    pub code: Option<String>,
    pub ok: bool,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MassActionView {
    pub id: i64,
    pub action: MassActionKind,
    /// `pending`, `processing`, `completed` or `failed`.
    pub status: String,
    pub total: usize,
    /// Each vendor done so far, in order.
    pub results: Vec<MassResult>,
    pub failure: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl MassActionView {
    fn of(a: MassAction) -> Self {
        Self {
            id: a.id,
            action: MassActionKind::parse(&a.action).unwrap_or(MassActionKind::StartImports),
            status: a.status,
            total: a.vendor_ids.len(),
            results: serde_json::from_value(a.results).unwrap_or_default(),
            failure: a.failure,
            created_at: a.created_at,
            finished_at: a.finished_at,
        }
    }
}

pub trait MassActions: Send + Sync {
    /// Queues the action over the chosen vendors (audited); follow it with
    /// [`MassActions::get`].
    fn start(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        input: &NewMassAction,
    ) -> Result<MassActionView, PlatformError>;
    /// Queues the Letzshop imports of every live vendor with a feed (audited).
    fn start_all_feeds(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
    ) -> Result<MassActionView, PlatformError>;
    fn get(&self, scope: &PlatformScope, id: i64) -> Result<MassActionView, PlatformError>;
    /// The latest actions, newest first.
    fn recent(&self, scope: &PlatformScope) -> Result<Vec<MassActionView>, PlatformError>;
}

pub struct PgMassActions {
    db: Db,
}

impl PgMassActions {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

impl PgMassActions {
    /// Queues `kind` over `vendors` (or over every vendor with a feed when `None`).
    fn queue(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        kind: MassActionKind,
        vendors: Option<&[i64]>,
    ) -> Result<MassActionView, PlatformError> {
        self.db.platform(scope, |tx| {
            let vendors: Vec<VendorId> = match vendors {
                Some(ids) => {
                    let mut ids = ids.to_vec();
                    ids.sort_unstable();
                    ids.dedup();
                    ids.into_iter().map(VendorId).collect()
                }
                None => db::mass_actions::vendors_with_feed(tx)?,
            };
            if vendors.is_empty() {
                return Err(PlatformError::NothingToDo);
            }
            if vendors.len() > MAX_VENDORS {
                return Err(PlatformError::TooManyVendors(MAX_VENDORS));
            }
            let action = db::mass_actions::create(tx, kind.as_str(), &vendors, actor.user_id)?;
            let job = jobs::enqueue_for_platform(
                tx,
                &jobs::JobSpec::new(MASS_ACTION_JOB, json!({ "mass_action_id": action.id })),
            )?;
            let action = db::mass_actions::set_job(tx, action.id, job)?;
            audit::record_platform(
                tx,
                actor,
                None,
                audit::Event {
                    action: "admin.mass_action",
                    target_type: "mass_action",
                    target_id: action.id.to_string(),
                    details: json!({ "action": kind.as_str(), "vendors": vendors.len() }),
                },
            )?;
            Ok(MassActionView::of(action))
        })
    }
}

impl MassActions for PgMassActions {
    fn start(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        input: &NewMassAction,
    ) -> Result<MassActionView, PlatformError> {
        input.validate()?;
        self.queue(scope, actor, input.action, Some(&input.vendor_ids))
    }

    fn start_all_feeds(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
    ) -> Result<MassActionView, PlatformError> {
        self.queue(scope, actor, MassActionKind::StartImports, None)
    }

    fn get(&self, scope: &PlatformScope, id: i64) -> Result<MassActionView, PlatformError> {
        self.db
            .platform(scope, |tx| db::mass_actions::find(tx, id))?
            .map(MassActionView::of)
            .ok_or(PlatformError::MassActionNotFound)
    }

    fn recent(&self, scope: &PlatformScope) -> Result<Vec<MassActionView>, PlatformError> {
        let found = self
            .db
            .platform(scope, |tx| db::mass_actions::newest(tx, 20))?;
        Ok(found.into_iter().map(MassActionView::of).collect())
    }
}

/// Runs a queued mass action vendor by vendor.
pub struct MassActionJob {
    db: Db,
    vendors: Arc<dyn VendorService>,
    marketplace: Arc<dyn MarketplaceService>,
}

impl MassActionJob {
    pub fn new(
        db: Db,
        vendors: Arc<dyn VendorService>,
        marketplace: Arc<dyn MarketplaceService>,
    ) -> Self {
        Self {
            db,
            vendors,
            marketplace,
        }
    }

    /// Does the action to one vendor: its code (if it exists) and the outcome in words.
    fn apply(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        kind: MassActionKind,
        vendor: VendorId,
    ) -> (Option<String>, Result<String, String>) {
        let found = match self.vendors.get(scope, vendor) {
            Ok(detail) => detail.vendor,
            Err(e) => return (None, Err(e.to_string())),
        };
        let outcome = match kind {
            MassActionKind::Activate | MassActionKind::Deactivate => {
                let active = kind == MassActionKind::Activate;
                self.vendors
                    .set_active(scope, actor, vendor, active)
                    .map(|_| if active { "active" } else { "inactive" }.to_owned())
                    .map_err(|e| e.to_string())
            }
            MassActionKind::StartImports => {
                // The vendor was just found live through the platform scope.
                let tenant = TenantScope::trusted(vendor);
                self.marketplace
                    .import_all(&tenant, actor.user_id)
                    .map(|started| format!("{} import(s) started", started.len()))
                    .map_err(|e| e.to_string())
            }
        };
        (Some(found.code), outcome)
    }
}

impl Handler for MassActionJob {
    fn run(&self, job: &JobContext) -> Result<(), JobError> {
        let id = job.payload["mass_action_id"]
            .as_i64()
            .ok_or_else(|| JobError::Fail("the job names no mass action".into()))?;
        let scope = job
            .platform
            .ok_or_else(|| JobError::Fail("a mass action is platform work".into()))?;
        let Some(action) = self
            .db
            .platform(&scope, |tx| db::mass_actions::start(tx, id))
            .map_err(db::Error::from)?
        else {
            return Ok(()); // ended already
        };
        let kind = MassActionKind::parse(&action.action)
            .ok_or_else(|| JobError::Fail(format!("unknown action {}", action.action)))?;
        let Some(by) = action.created_by else {
            return Err(JobError::Fail(
                "the admin who started it no longer exists".into(),
            ));
        };
        let actor = Actor {
            user_id: UserId(by),
            ip: None,
            request_id: Some(format!("mass-action-{id}")),
            on_behalf: None,
        };
        let done = action.results.as_array().map_or(0, Vec::len);
        for vendor in action.vendor_ids.iter().flatten().skip(done) {
            if job.should_stop() {
                return Err(JobError::Stopped);
            }
            let (code, outcome) = self.apply(&scope, &actor, kind, VendorId(*vendor));
            let result = MassResult {
                vendor_id: *vendor,
                code,
                ok: outcome.is_ok(),
                message: outcome.unwrap_or_else(|e| e),
            };
            self.db
                .platform(&scope, |tx| {
                    db::mass_actions::record(tx, id, &json!(result))
                })
                .map_err(db::Error::from)?;
        }
        self.db
            .platform(&scope, |tx| {
                db::mass_actions::finish(tx, id, "completed", None)
            })
            .map_err(db::Error::from)?;
        Ok(())
    }
}
