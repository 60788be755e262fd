//! Short-lived caches of what every visitor of a shop reads alike: which vendor a code or host
//! names, and a shop's public product lists. A busy shop's list pages are asked for over and
//! over with the same parameters; for `SHOP_CACHE_MS` (default one second) they are answered
//! from memory instead of the database. Nothing per visitor or per customer is cached: carts,
//! checkout, accounts and product pages always read the database.
//!
//! Changes made through this server (an admin closing a vendor, a vendor changing its theme)
//! forget the vendors at once; other servers of a cluster see them within the lifetime, as
//! they do a product's change in a list.
//!
//! A list page past its lifetime is still answered for one more lifetime while a single
//! request reads it again in the background (stale-while-revalidate): a busy list never makes
//! every visitor of that moment wait for the database at once, and no page is older than twice
//! the lifetime.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use catalog::{CatalogError, ProductPage, ProductQuery};
use db::VendorId;
use moka::sync::Cache;
use tenancy::{RequestTarget, ResolvedVendor, TenancyError, VendorResolver};

/// Entries kept at most (vendors and list pages each).
const CAPACITY: u64 = 10_000;

pub struct ShopCache {
    vendors: Cache<String, Option<ResolvedVendor>>,
    lists: Cache<(VendorId, String), KeptList>,
    lifetime: Duration,
}

/// A list page, until when it is fresh, and whether a request is reading it again.
#[derive(Clone)]
struct KeptList {
    page: ProductPage,
    fresh_until: Instant,
    refreshing: Arc<AtomicBool>,
}

/// What the cache knows of a list page.
pub enum Remembered {
    Fresh(ProductPage),
    /// Past its lifetime: answer it, and the caller that got `refresh: true` (one caller per
    /// page) reads it again and keeps it.
    Stale {
        page: ProductPage,
        refresh: bool,
    },
}

impl ShopCache {
    /// A lifetime of zero caches nothing.
    pub fn new(lifetime: Duration) -> Self {
        Self {
            vendors: cache(lifetime),
            lists: cache(lifetime * 2),
            lifetime,
        }
    }

    /// Forgets every vendor (one changed here).
    pub fn forget_vendors(&self) {
        self.vendors.invalidate_all();
    }

    /// The list page a query of this vendor's shop gives, if it was read recently.
    pub fn list(&self, vendor: VendorId, query: &ProductQuery) -> Option<Remembered> {
        let kept = self.lists.get(&(vendor, query.key()))?;
        Some(if Instant::now() < kept.fresh_until {
            Remembered::Fresh(kept.page)
        } else {
            Remembered::Stale {
                refresh: !kept.refreshing.swap(true, Ordering::AcqRel),
                page: kept.page,
            }
        })
    }

    pub fn keep_list(&self, vendor: VendorId, query: &ProductQuery, page: &ProductPage) {
        self.lists
            .insert((vendor, query.key()), self.kept(page.clone()));
    }

    /// A page nobody remembers, read by `read` and kept — read once for all the callers that
    /// ask for it at the same moment (a busy list's first request after a start, or after a
    /// quiet spell): the others wait for that read instead of each querying the database.
    /// Blocks while it reads.
    pub fn first_read(
        &self,
        vendor: VendorId,
        query: &ProductQuery,
        read: &dyn Fn() -> Result<ProductPage, CatalogError>,
    ) -> Result<ProductPage, CatalogError> {
        // Caching nothing means sharing nothing, not even a read in flight.
        if self.lifetime.is_zero() {
            return read();
        }
        match self
            .lists
            .try_get_with((vendor, query.key()), || read().map(|p| self.kept(p)))
        {
            Ok(kept) => Ok(kept.page),
            // Whoever read failed: its own error; one that waited for it reads for itself.
            Err(shared) => match Arc::try_unwrap(shared) {
                Ok(own) => Err(own),
                Err(_) => read(),
            },
        }
    }

    fn kept(&self, page: ProductPage) -> KeptList {
        KeptList {
            page,
            fresh_until: Instant::now() + self.lifetime,
            refreshing: Arc::default(),
        }
    }

    /// Reads a stale page again (the caller that got `refresh: true`) and keeps it; when the
    /// read fails, the next request past its lifetime tries. Blocks while it reads.
    pub fn refresh(
        &self,
        vendor: VendorId,
        query: &ProductQuery,
        read: &dyn Fn() -> Result<ProductPage, CatalogError>,
    ) -> Result<ProductPage, CatalogError> {
        let page = read();
        match &page {
            Ok(page) => self.keep_list(vendor, query, page),
            Err(_) => self.refresh_failed(vendor, query),
        }
        page
    }

    /// A background read of a stale page failed: the next request past its lifetime tries.
    fn refresh_failed(&self, vendor: VendorId, query: &ProductQuery) {
        if let Some(kept) = self.lists.get(&(vendor, query.key())) {
            kept.refreshing.store(false, Ordering::Release);
        }
    }
}

fn cache<K, V>(lifetime: Duration) -> Cache<K, V>
where
    K: std::hash::Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    match lifetime.is_zero() {
        true => Cache::builder().max_capacity(0).build(),
        false => Cache::builder()
            .max_capacity(CAPACITY)
            .time_to_live(lifetime)
            .build(),
    }
}

fn code_key(code: &str) -> String {
    format!("\u{0}{code}")
}

fn target_key(target: &RequestTarget<'_>) -> String {
    format!("{}\u{0}{}", target.host.to_ascii_lowercase(), target.path)
}

/// The vendor a path's code names: answered on the request's own thread when it is
/// remembered, else looked up on the blocking pool (and remembered).
pub async fn vendor_by_code(
    state: &crate::state::AppState,
    code: String,
) -> Result<Option<ResolvedVendor>, crate::error::ApiError> {
    if let Some(known) = state.shop_cache.vendors.get(&code_key(&code)) {
        return Ok(known);
    }
    let resolver = state.resolver.clone();
    crate::blocking::blocking(move || resolver.by_code(&code)).await
}

/// The vendor whose own host (subdomain or custom domain) a request came to, as
/// [`vendor_by_code`].
pub async fn vendor_by_host(
    state: &crate::state::AppState,
    host: String,
) -> Result<Option<ResolvedVendor>, crate::error::ApiError> {
    let target = RequestTarget {
        host: &host,
        path: "",
    };
    if let Some(known) = state.shop_cache.vendors.get(&target_key(&target)) {
        return Ok(known);
    }
    let resolver = state.resolver.clone();
    crate::blocking::blocking(move || {
        resolver.resolve(&RequestTarget {
            host: &host,
            path: "",
        })
    })
    .await
}

/// A [`VendorResolver`] that remembers answers (found or not) for the cache's lifetime.
pub struct CachedResolver {
    inner: Arc<dyn VendorResolver>,
    cache: Arc<ShopCache>,
}

impl CachedResolver {
    pub fn new(inner: Arc<dyn VendorResolver>, cache: Arc<ShopCache>) -> Self {
        Self { inner, cache }
    }

    /// The answer kept under `key`, else loaded — once for all the callers that ask at the same
    /// moment: when a busy shop's vendor runs out of its lifetime, every request in flight
    /// would otherwise look it up at once and queue for the pool's few connections (seen as
    /// stalls of up to a second under load).
    fn remembered(
        &self,
        key: String,
        load: &dyn Fn() -> Result<Option<ResolvedVendor>, TenancyError>,
    ) -> Result<Option<ResolvedVendor>, TenancyError> {
        if self.cache.lifetime.is_zero() {
            return load();
        }
        match self.cache.vendors.try_get_with(key, load) {
            Ok(found) => Ok(found),
            // Whoever loaded failed: its own error; one that waited for it loads for itself.
            Err(shared) => match Arc::try_unwrap(shared) {
                Ok(own) => Err(own),
                Err(_) => load(),
            },
        }
    }
}

impl VendorResolver for CachedResolver {
    fn is_vendor_host(&self, host: &str) -> bool {
        self.inner.is_vendor_host(host)
    }

    fn resolve(&self, target: &RequestTarget<'_>) -> Result<Option<ResolvedVendor>, TenancyError> {
        self.remembered(target_key(target), &|| self.inner.resolve(target))
    }

    fn by_code(&self, code: &str) -> Result<Option<ResolvedVendor>, TenancyError> {
        self.remembered(code_key(code), &|| self.inner.by_code(code))
    }
}

/// A page of a shop's products on sale: from the cache while it lasts, else from the catalogue
/// (then kept); a stale page is answered while one request reads it again in the background.
/// Only for queries of active products (what every visitor sees alike).
pub async fn shop_list(
    state: &crate::state::AppState,
    vendor: &ResolvedVendor,
    query: ProductQuery,
) -> Result<ProductPage, crate::error::ApiError> {
    let (catalog, cache, scope, id) = (
        state.catalog.clone(),
        state.shop_cache.clone(),
        vendor.scope,
        vendor.id,
    );
    match cache.list(id, &query) {
        Some(Remembered::Fresh(page)) => Ok(page),
        Some(Remembered::Stale { page, refresh }) => {
            if refresh {
                actix_web::rt::spawn(async move {
                    let read = crate::blocking::blocking(move || {
                        cache.refresh(id, &query, &|| catalog.search(&scope, &query))
                    });
                    if let Err(e) = read.await {
                        tracing::warn!(error = %e, "shop list not refreshed");
                    }
                });
            }
            Ok(page)
        }
        None => {
            crate::blocking::blocking(move || {
                cache.first_read(id, &query, &|| catalog.search(&scope, &query))
            })
            .await
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Answers every code with the same vendor and counts the lookups.
    struct Counting(AtomicUsize);

    impl VendorResolver for Counting {
        fn is_vendor_host(&self, _: &str) -> bool {
            false
        }
        fn resolve(&self, _: &RequestTarget<'_>) -> Result<Option<ResolvedVendor>, TenancyError> {
            self.by_code("x")
        }
        fn by_code(&self, code: &str) -> Result<Option<ResolvedVendor>, TenancyError> {
            self.0.fetch_add(1, Ordering::Relaxed);
            // As slow as a query, so callers asking at once overlap.
            std::thread::sleep(Duration::from_millis(20));
            Ok((code == "alpha").then(|| ResolvedVendor {
                scope: db::TenantScope::trusted(VendorId(1)),
                id: VendorId(1),
                code: code.to_owned(),
                name: "Alpha".into(),
                description: String::new(),
                theme: tenancy::Theme::default(),
            }))
        }
    }

    #[test]
    fn vendors_are_remembered_found_or_not_until_forgotten() {
        let inner = Arc::new(Counting(AtomicUsize::new(0)));
        let cache = Arc::new(ShopCache::new(Duration::from_secs(60)));
        let resolver = CachedResolver::new(inner.clone(), cache.clone());
        for _ in 0..3 {
            assert!(resolver.by_code("alpha").unwrap().is_some());
            assert!(resolver.by_code("nobody").unwrap().is_none());
        }
        assert_eq!(inner.0.load(Ordering::Relaxed), 2, "one lookup each");
        cache.forget_vendors();
        resolver.by_code("alpha").unwrap();
        assert_eq!(inner.0.load(Ordering::Relaxed), 3, "looked up again");
    }

    #[test]
    fn callers_asking_for_a_vendor_at_once_share_one_lookup_unless_nothing_is_kept() {
        for (lifetime, lookups) in [(Duration::from_secs(60), 1), (Duration::ZERO, 8)] {
            let inner = Arc::new(Counting(AtomicUsize::new(0)));
            let resolver = CachedResolver::new(inner.clone(), Arc::new(ShopCache::new(lifetime)));
            let barrier = std::sync::Barrier::new(8);
            std::thread::scope(|s| {
                for _ in 0..8 {
                    s.spawn(|| {
                        barrier.wait();
                        assert!(resolver.by_code("alpha").unwrap().is_some());
                    });
                }
            });
            assert_eq!(inner.0.load(Ordering::Relaxed), lookups, "{lifetime:?}");
        }
    }

    fn page(total: i64) -> ProductPage {
        ProductPage {
            items: Vec::new(),
            total,
            total_is_capped: false,
            page: 1,
            per_page: 20,
        }
    }

    fn total(found: Option<Remembered>) -> Option<(i64, &'static str)> {
        found.map(|r| match r {
            Remembered::Fresh(p) => (p.total, "fresh"),
            Remembered::Stale {
                page,
                refresh: true,
            } => (page.total, "stale, refresh"),
            Remembered::Stale { page, .. } => (page.total, "stale"),
        })
    }

    #[test]
    fn a_stale_list_is_answered_while_one_caller_refreshes_it_and_dropped_after_twice_its_lifetime()
    {
        let cache = ShopCache::new(Duration::from_millis(200));
        let (vendor, query) = (VendorId(1), ProductQuery::default());
        assert!(cache.list(vendor, &query).is_none());
        cache.keep_list(vendor, &query, &page(7));
        assert_eq!(total(cache.list(vendor, &query)), Some((7, "fresh")));
        std::thread::sleep(Duration::from_millis(250));
        assert_eq!(
            total(cache.list(vendor, &query)),
            Some((7, "stale, refresh"))
        );
        assert_eq!(
            total(cache.list(vendor, &query)),
            Some((7, "stale")),
            "one refresher"
        );
        cache.refresh_failed(vendor, &query);
        assert_eq!(
            total(cache.list(vendor, &query)),
            Some((7, "stale, refresh")),
            "try again"
        );
        cache.keep_list(vendor, &query, &page(8));
        assert_eq!(total(cache.list(vendor, &query)), Some((8, "fresh")));
        std::thread::sleep(Duration::from_millis(450));
        assert!(
            cache.list(vendor, &query).is_none(),
            "older than twice the lifetime"
        );
    }

    #[test]
    fn callers_asking_for_an_unknown_page_at_once_share_one_read() {
        let cache = ShopCache::new(Duration::from_secs(60));
        let reads = AtomicUsize::new(0);
        let read = || {
            reads.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(100));
            Ok(page(5))
        };
        let query = ProductQuery::default();
        std::thread::scope(|s| {
            let callers: Vec<_> = (0..8)
                .map(|_| s.spawn(|| cache.first_read(VendorId(1), &query, &read).unwrap().total))
                .collect();
            for caller in callers {
                assert_eq!(caller.join().unwrap(), 5);
            }
        });
        assert_eq!(
            reads.load(Ordering::SeqCst),
            1,
            "one read for eight callers"
        );
        assert_eq!(total(cache.list(VendorId(1), &query)), Some((5, "fresh")));
        let failing = || Err(CatalogError::NotFound);
        let other = ProductQuery {
            page: Some(2),
            ..ProductQuery::default()
        };
        assert!(matches!(
            cache.first_read(VendorId(1), &other, &failing),
            Err(CatalogError::NotFound)
        ));
        assert!(
            cache.list(VendorId(1), &other).is_none(),
            "a failure is not kept"
        );
    }

    #[test]
    fn a_lifetime_of_zero_remembers_nothing() {
        let inner = Arc::new(Counting(AtomicUsize::new(0)));
        let resolver = CachedResolver::new(inner.clone(), Arc::new(ShopCache::new(Duration::ZERO)));
        for _ in 0..3 {
            resolver.by_code("alpha").unwrap();
        }
        assert_eq!(inner.0.load(Ordering::Relaxed), 3);
    }
}
