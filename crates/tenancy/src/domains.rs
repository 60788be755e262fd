//! Custom domains. A vendor adds a domain and is shown the DNS TXT record that proves it owns
//! it (`_wizamart-verify.<domain>` holding `wizamart-verify=<token>`); a check looks the record
//! up and verifies the domain, which from then on routes to the shop. Admins see every
//! domain, check, force-verify or remove them. [`DomainRecheckJob`] re-checks the verified
//! ones on a schedule and unpublishes a domain whose record disappeared. A domain belongs to
//! one vendor only (the table's unique key). Every change is audited.
//!
//! Looking a record up is I/O the web shell provides ([`TxtLookup`], over a DNS resolver).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use db::audit::{self, Actor};
use db::diesel_error as diesel_result;
use db::pagination::{Page, PageRequest};
use db::vendor_domains::Domain;
use db::{Db, PlatformScope, TenantScope};
use jobs::{Handler, JobContext, JobError};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use crate::TenancyError;

/// The name under the domain that holds the proof.
pub const RECORD_PREFIX: &str = "_wizamart-verify";
/// What the TXT record says before the token.
pub const RECORD_VALUE_PREFIX: &str = "wizamart-verify=";
pub const RECHECK_JOB: &str = "domains.recheck";
/// Seconds between re-checks of every verified domain.
const RECHECK_EVERY_SECS: i64 = 6 * 3600;
/// Domains re-checked per batch.
const RECHECK_BATCH: i64 = 100;

/// Looks up the TXT records of a name: the texts found (none when the name has none), or
/// why the lookup failed (timeout, server failure).
pub trait TxtLookup: Send + Sync {
    fn txt(&self, name: &str) -> Result<Vec<String>, String>;
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDomain {
    /// A host name such as `shop.example.lu` (not under the platform's own domain).
    #[validate(custom(function = "valid_domain"))]
    #[schema(
        min_length = 3,
        max_length = 253,
        pattern = r"^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$"
    )]
    pub domain: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DomainView {
    pub id: i64,
    pub vendor_id: i64,
    /// Present in the admin's list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor_code: Option<String>,
    pub domain: String,
    /// `pending` until the record is found, then `verified`.
    pub status: &'static str,
    /// The TXT record to create at the DNS provider.
    pub record_name: String,
    pub record_value: String,
    pub verified_at: Option<DateTime<Utc>>,
    pub last_checked_at: Option<DateTime<Utc>>,
    /// Why the last check did not verify it.
    pub check_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl DomainView {
    fn of(d: Domain, vendor_code: Option<String>) -> Self {
        Self {
            id: d.id,
            vendor_id: d.vendor_id.0,
            vendor_code,
            record_name: format!("{RECORD_PREFIX}.{}", d.domain),
            record_value: format!("{RECORD_VALUE_PREFIX}{}", d.verification_token),
            status: if d.verified_at.is_some() {
                "verified"
            } else {
                "pending"
            },
            domain: d.domain,
            verified_at: d.verified_at,
            last_checked_at: d.last_checked_at,
            check_error: d.check_error,
            created_at: d.created_at,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DomainQuery {
    /// Only verified (`true`) or only pending (`false`) domains.
    pub verified: Option<bool>,
    /// From 1; out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub page: Option<i64>,
    /// 1 to 100 (default 20); out-of-range values are pulled into range.
    #[serde(default, deserialize_with = "db::whole_number::option")]
    pub per_page: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminVerify {
    /// Verify without the DNS record (the admin checked ownership some other way).
    #[serde(default)]
    pub force: bool,
}

pub trait DomainService: Send + Sync {
    /// The vendor's domains with their records to create.
    fn list(&self, scope: &TenantScope) -> Result<Vec<DomainView>, TenancyError>;
    /// Adds a domain (pending until checked); 409 when any vendor has it.
    fn add(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        input: &NewDomain,
    ) -> Result<DomainView, TenancyError>;
    /// Looks the record up now.
    fn check(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        id: i64,
    ) -> Result<DomainView, TenancyError>;
    fn remove(&self, scope: &TenantScope, actor: &Actor, id: i64) -> Result<(), TenancyError>;

    /// Every vendor's domains.
    fn list_all(
        &self,
        scope: &PlatformScope,
        query: &DomainQuery,
    ) -> Result<Page<DomainView>, TenancyError>;
    /// Checks a domain's record now, or verifies it without one (`force`).
    fn admin_verify(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        id: i64,
        input: &AdminVerify,
    ) -> Result<DomainView, TenancyError>;
    fn admin_remove(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        id: i64,
    ) -> Result<(), TenancyError>;
}

pub struct PgDomains {
    db: Db,
    lookup: Arc<dyn TxtLookup>,
    platform_domain: String,
}

impl PgDomains {
    /// `platform_domain`: the platform's own domain, whose names route by subdomain and can
    /// therefore not be added as custom domains.
    pub fn new(db: Db, lookup: Arc<dyn TxtLookup>, platform_domain: &str) -> Self {
        Self {
            db,
            lookup,
            platform_domain: platform_domain.trim_end_matches('.').to_lowercase(),
        }
    }

    /// Whether the domain's TXT record holds its token; why not otherwise.
    fn proven(&self, domain: &Domain) -> Result<(), String> {
        let name = format!("{RECORD_PREFIX}.{}", domain.domain);
        let expected = format!("{RECORD_VALUE_PREFIX}{}", domain.verification_token);
        let found = self.lookup.txt(&name)?;
        if found.iter().any(|t| t.trim() == expected) {
            Ok(())
        } else if found.is_empty() {
            Err(format!("no TXT record found at {name}"))
        } else {
            Err(format!("the TXT record at {name} does not hold {expected}"))
        }
    }

    fn validate(&self, input: &NewDomain) -> Result<String, TenancyError> {
        input.validate()?;
        let domain = normalise(&input.domain);
        let ours = domain == self.platform_domain
            || domain.ends_with(&format!(".{}", self.platform_domain));
        if ours {
            let mut errors = validator::ValidationErrors::new();
            errors.add(
                "domain",
                ValidationError::new("platform").with_message(
                    format!(
                        "names under {} are the platform's own; your shop already has one",
                        self.platform_domain
                    )
                    .into(),
                ),
            );
            return Err(errors.into());
        }
        Ok(domain)
    }
}

fn normalise(domain: &str) -> String {
    domain.trim().trim_end_matches('.').to_lowercase()
}

/// A host name of at least two labels, each 1 to 63 letters, digits or inner hyphens, with a
/// top-level label starting with a letter (so no IP address), 253 characters at most.
fn valid_domain(value: &str) -> Result<(), ValidationError> {
    let domain = normalise(value);
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    let ok = domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(label_ok)
        && labels
            .last()
            .is_some_and(|tld| tld.starts_with(|c: char| c.is_ascii_alphabetic()));
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new("domain")
            .with_message("enter a domain name such as shop.example.lu".into()))
    }
}

/// Records a check's outcome: verified, or pending with the reason.
fn save_check<S: db::Scope>(
    tx: &mut db::Tx<'_, S>,
    id: i64,
    outcome: &Result<(), String>,
) -> diesel_result::QueryResult<Domain> {
    let error = outcome.as_ref().err().map(String::as_str);
    db::vendor_domains::record_check(tx, id, outcome.is_ok(), error)
}

/// The audit event of a change to `domain`.
fn event(
    action: &'static str,
    domain: &Domain,
    details: serde_json::Value,
) -> audit::Event<'static> {
    audit::Event {
        action,
        target_type: "domain",
        target_id: domain.domain.clone(),
        details,
    }
}

/// A random verification token: 32 hexadecimal digits.
fn new_token() -> String {
    use rand::Rng;
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl DomainService for PgDomains {
    fn list(&self, scope: &TenantScope) -> Result<Vec<DomainView>, TenancyError> {
        let domains = self.db.tenant(scope, db::vendor_domains::list)?;
        Ok(domains
            .into_iter()
            .map(|d| DomainView::of(d, None))
            .collect())
    }

    fn add(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        input: &NewDomain,
    ) -> Result<DomainView, TenancyError> {
        let domain = self.validate(input)?;
        let token = new_token();
        let added = self.db.tenant(scope, |tx| {
            let added = db::vendor_domains::insert(tx, &domain, &token)?
                .ok_or_else(|| TenancyError::DomainTaken(domain.clone()))?;
            audit::record(tx, actor, event("vendor.domain_add", &added, json!({})))?;
            Ok::<_, TenancyError>(added)
        })?;
        Ok(DomainView::of(added, None))
    }

    fn check(
        &self,
        scope: &TenantScope,
        actor: &Actor,
        id: i64,
    ) -> Result<DomainView, TenancyError> {
        let domain = self
            .db
            .tenant(scope, |tx| db::vendor_domains::find(tx, id))?
            .ok_or(TenancyError::DomainNotFound)?;
        let outcome = self.proven(&domain);
        let checked = self.db.tenant(scope, |tx| {
            let checked = save_check(tx, id, &outcome)?;
            let details = json!({ "verified": checked.verified_at.is_some() });
            audit::record(tx, actor, event("vendor.domain_check", &checked, details))?;
            Ok::<_, TenancyError>(checked)
        })?;
        Ok(DomainView::of(checked, None))
    }

    fn remove(&self, scope: &TenantScope, actor: &Actor, id: i64) -> Result<(), TenancyError> {
        self.db.tenant(scope, |tx| {
            let domain = db::vendor_domains::find(tx, id)?.ok_or(TenancyError::DomainNotFound)?;
            db::vendor_domains::delete(tx, id)?;
            audit::record(tx, actor, event("vendor.domain_remove", &domain, json!({})))?;
            Ok(())
        })
    }

    fn list_all(
        &self,
        scope: &PlatformScope,
        query: &DomainQuery,
    ) -> Result<Page<DomainView>, TenancyError> {
        let page = PageRequest::new(query.page, query.per_page);
        let found = self.db.platform(scope, |tx| {
            db::vendor_domains::page_all(tx, query.verified, page)
        })?;
        Ok(found.map(|(d, code)| DomainView::of(d, Some(code))))
    }

    fn admin_verify(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        id: i64,
        input: &AdminVerify,
    ) -> Result<DomainView, TenancyError> {
        let domain = self
            .db
            .platform(scope, |tx| db::vendor_domains::find(tx, id))?
            .ok_or(TenancyError::DomainNotFound)?;
        let outcome = match input.force {
            true => Ok(()),
            false => self.proven(&domain),
        };
        let (checked, code) = self.db.platform(scope, |tx| {
            let checked = save_check(tx, id, &outcome)?;
            let action = match input.force {
                true => "admin.domain_force_verify",
                false => "admin.domain_check",
            };
            let details = json!({ "verified": checked.verified_at.is_some() });
            let vendor = Some(checked.vendor_id);
            audit::record_platform(tx, actor, vendor, event(action, &checked, details))?;
            let code = db::vendors::find(tx, checked.vendor_id)?.map(|v| v.code);
            Ok::<_, TenancyError>((checked, code))
        })?;
        Ok(DomainView::of(checked, code))
    }

    fn admin_remove(
        &self,
        scope: &PlatformScope,
        actor: &Actor,
        id: i64,
    ) -> Result<(), TenancyError> {
        self.db.platform(scope, |tx| {
            let domain = db::vendor_domains::find(tx, id)?.ok_or(TenancyError::DomainNotFound)?;
            db::vendor_domains::delete(tx, id)?;
            let vendor = Some(domain.vendor_id);
            audit::record_platform(
                tx,
                actor,
                vendor,
                event("admin.domain_remove", &domain, json!({})),
            )?;
            Ok(())
        })
    }
}

/// Re-checks every verified domain; one whose record is gone (or no longer holds its token)
/// goes back to pending and stops routing to the shop. Queues its own next run.
pub struct DomainRecheckJob {
    db: Db,
    domains: Arc<PgDomains>,
}

impl DomainRecheckJob {
    pub fn new(db: Db, domains: Arc<PgDomains>) -> Self {
        Self { db, domains }
    }
}

impl Handler for DomainRecheckJob {
    fn run(&self, job: &JobContext) -> Result<(), JobError> {
        let scope = job
            .platform
            .ok_or_else(|| JobError::Fail("the domain re-check is platform work".into()))?;
        self.db.platform(&scope, |tx| {
            db::jobs::schedule_next(tx, RECHECK_JOB, RECHECK_EVERY_SECS, job.id)
                .map_err(db::Error::from)
        })?;
        let mut after = 0;
        loop {
            if job.should_stop() {
                return Err(JobError::Stopped);
            }
            let batch = self.db.platform(&scope, |tx| {
                db::vendor_domains::verified_after(tx, after, RECHECK_BATCH)
                    .map_err(db::Error::from)
            })?;
            let Some(last) = batch.last() else {
                return Ok(());
            };
            after = last.id;
            for domain in &batch {
                let outcome = self.domains.proven(domain);
                if outcome.is_ok() {
                    continue;
                }
                self.db
                    .platform(&scope, |tx| {
                        let checked = save_check(tx, domain.id, &outcome)?;
                        let details = json!({ "reason": checked.check_error });
                        audit::record_by_job(
                            tx,
                            Some(checked.vendor_id),
                            job.id,
                            event("domain.unpublished", &checked, details),
                        )
                    })
                    .map_err(db::Error::from)?;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_domain_is_labels_of_letters_digits_and_inner_hyphens_ending_in_a_word() {
        for good in [
            "shop.example.lu",
            "Shop.Example.LU.",
            "a.lu",
            "xn--bcher-kva.de",
            "0.a",
        ] {
            assert!(valid_domain(good).is_ok(), "{good}");
        }
        for bad in [
            "localhost",
            "-bad.example.lu",
            "bad-.example.lu",
            "shop..example.lu",
            "10.0.0.1",
            "shop.9lu",
            "a b.lu",
            "",
        ] {
            assert!(valid_domain(bad).is_err(), "{bad}");
        }
        assert!(valid_domain(&format!("{}.lu", "a".repeat(64))).is_err());
        assert!(valid_domain(&format!("{}.lu", vec!["a".repeat(60); 5].join("."))).is_err());
        assert_eq!(normalise(" Shop.Example.LU. "), "shop.example.lu");
    }
}
