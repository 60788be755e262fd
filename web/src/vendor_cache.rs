//! What vendor dashboards read over and over, kept in memory until it changes: the member a
//! token names (checked on every request) and the catalogue's list and search pages. Each
//! entry is kept under the version of what it was read from ([`crate::change_feed`]), read
//! before the database is: a change made meanwhile gives a new version, under which the entry
//! is never found. So an answer from memory is as fresh as the feed — changes made through
//! this server at once, others within milliseconds — and a member switched off or removed
//! is refused as soon as that is heard.
//!
//! Bounded by `VENDOR_CACHE_MB` (0 keeps nothing); entries nobody asked for in a minute go.

use std::sync::Arc;
use std::time::Duration;

use auth::VendorPrincipal;
use bytes::Bytes;
use catalog::ProductQuery;
use db::{TenantScope, UserId, VendorId};
use moka::sync::Cache;

use crate::blocking::blocking;
use crate::change_feed::Version;
use crate::error::ApiError;
use crate::state::AppState;

/// How long an entry nobody asks for is kept.
const IDLE: Duration = Duration::from_secs(60);
/// What a member costs in memory, about (their names, e-mail, role and permissions).
const MEMBER_BYTES: u32 = 512;

pub struct VendorCache {
    members: Cache<(VendorId, UserId, Version), VendorPrincipal>,
    pages: Cache<(VendorId, Version, String), Bytes>,
    /// False when given no memory: then nothing is kept, nor a read in flight shared.
    keeps: bool,
}

impl VendorCache {
    /// At most `bytes` in all (a tenth for members); zero keeps nothing.
    pub fn new(bytes: u64) -> Self {
        Self {
            members: Cache::builder()
                .max_capacity(bytes / 10)
                .weigher(|_, _| MEMBER_BYTES)
                .time_to_idle(IDLE)
                .build(),
            pages: Cache::builder()
                .max_capacity(bytes - bytes / 10)
                .weigher(|key: &(VendorId, Version, String), page: &Bytes| {
                    u32::try_from(key.2.len() + page.len()).unwrap_or(u32::MAX)
                })
                .time_to_idle(IDLE)
                .build(),
            keeps: bytes > 0,
        }
    }

    /// Whether it was given memory to keep anything in.
    pub fn keeps(&self) -> bool {
        self.keeps
    }

    pub fn member(&self, vendor: VendorId, user: UserId, team: Version) -> Option<VendorPrincipal> {
        self.members.get(&(vendor, user, team))
    }

    pub fn keep_member(&self, user: UserId, team: Version, principal: &VendorPrincipal) {
        self.members
            .insert((principal.scope.vendor_id(), user, team), principal.clone());
    }

    /// A list or search page (its JSON) of `vendor`'s catalogue at `catalog`, for the query
    /// whose [`ProductQuery::key`] is `key`.
    fn page(&self, vendor: VendorId, catalog: Version, key: &str) -> Option<Bytes> {
        self.pages.get(&(vendor, catalog, key.to_owned()))
    }

    /// The page, read by `read` unless it is kept — once for all the callers that ask for it
    /// at the same moment (the others wait for that read). Blocks while it reads.
    fn page_or_read(
        &self,
        vendor: VendorId,
        catalog: Version,
        key: String,
        read: &dyn Fn() -> Result<Bytes, ApiError>,
    ) -> Result<Bytes, ApiError> {
        match self.pages.try_get_with((vendor, catalog, key), read) {
            Ok(page) => Ok(page),
            // Whoever read failed: its own error; one that waited for it reads for itself.
            Err(shared) => match Arc::try_unwrap(shared) {
                Ok(own) => Err(own),
                Err(_) => read(),
            },
        }
    }
}

/// A page of the vendor's catalogue (`GET /vendor/products`) as JSON: from memory while the
/// catalogue is unchanged, else read on the blocking pool (and kept).
pub async fn catalog_page(
    state: &AppState,
    scope: TenantScope,
    query: ProductQuery,
) -> Result<Bytes, ApiError> {
    let vendor = scope.vendor_id();
    // Read before the database is, so a change meanwhile leaves what is read unfound.
    let version = state
        .changes
        .catalog(vendor)
        .filter(|_| state.vendor_cache.keeps());
    let key = query.key();
    let catalog = state.catalog.clone();
    let read = move || -> Result<Bytes, ApiError> {
        let page = catalog.search(&scope, &query)?;
        serde_json::to_vec(&page)
            .map(Bytes::from)
            .map_err(|e| ApiError::internal(&e))
    };
    let Some(version) = version else {
        return blocking(read).await;
    };
    if let Some(page) = state.vendor_cache.page(vendor, version, &key) {
        return Ok(page);
    }
    let cache = state.vendor_cache.clone();
    blocking(move || cache.page_or_read(vendor, version, key, &read)).await
}
