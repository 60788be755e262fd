//! Which vendor a request is for: a custom domain, a subdomain of the platform domain, or a
//! path (`/vendor/{code}/...`, `/shop/{code}/...`, `/api/v1/public/vendors/{code}/...`).
//! Unknown, inactive and deleted vendors all resolve to nothing, which callers answer 404.

use db::vendors::Vendor;
use db::{Db, TenantScope, VendorId};

use crate::TenancyError;

/// The parts of a request that name a vendor.
#[derive(Debug, Clone)]
pub struct RequestTarget<'a> {
    /// The Host header, possibly with a port.
    pub host: &'a str,
    pub path: &'a str,
}

/// A live, active vendor and the scope proven by resolving it.
#[derive(Debug, Clone)]
pub struct ResolvedVendor {
    pub scope: TenantScope,
    pub id: VendorId,
    pub code: String,
    pub name: String,
    pub description: String,
    pub theme: crate::Theme,
}

impl From<Vendor> for ResolvedVendor {
    fn from(v: Vendor) -> Self {
        Self {
            scope: TenantScope::trusted(v.id),
            id: v.id,
            code: v.code,
            name: v.name,
            description: v.description,
            theme: crate::Theme::from_stored(&v.theme),
        }
    }
}

pub trait VendorResolver: Send + Sync {
    /// Whether a Host header names a vendor's shop (a subdomain of the platform domain or a
    /// custom domain) rather than the platform itself; answers without the database.
    fn is_vendor_host(&self, host: &str) -> bool;

    /// Resolves a request by host first (custom domain, then subdomain), then by path.
    fn resolve(&self, target: &RequestTarget<'_>) -> Result<Option<ResolvedVendor>, TenancyError>;

    /// Resolves a vendor code from a path segment.
    fn by_code(&self, code: &str) -> Result<Option<ResolvedVendor>, TenancyError>;
}

pub struct PgResolver {
    db: Db,
    /// The platform's own domain, e.g. `wizamart.lu` (lower-case, no port).
    platform_domain: String,
}

impl PgResolver {
    pub fn new(db: Db, platform_domain: &str) -> Self {
        Self {
            db,
            platform_domain: platform_domain.trim().trim_end_matches('.').to_lowercase(),
        }
    }

    /// The vendor when it is open (`teams::check_vendor_open`, the same rule every vendor
    /// session is held to).
    fn open(vendor: Option<Vendor>) -> Option<ResolvedVendor> {
        vendor
            .filter(|v| teams::check_vendor_open(v.deleted_at.is_some(), v.is_active).is_ok())
            .map(ResolvedVendor::from)
    }
}

/// The host without port or trailing dot, lower-cased.
fn bare_host(host: &str) -> String {
    let without_port = match host.strip_prefix('[') {
        // An IPv6 literal: [::1]:8080
        Some(rest) => rest.split(']').next().unwrap_or(rest),
        None => host.split(':').next().unwrap_or(host),
    };
    without_port.trim_end_matches('.').to_lowercase()
}

/// The vendor code a path names, if it is one of the vendor-scoped path shapes.
pub fn code_from_path(path: &str) -> Option<&str> {
    let mut parts = path.trim_start_matches('/').split('/');
    let code = match (parts.next(), parts.next()) {
        (Some("vendor" | "shop"), Some(code)) => code,
        (Some("api"), Some("v1")) => match (parts.next(), parts.next(), parts.next()) {
            (Some("public"), Some("vendors"), Some(code)) => code,
            _ => return None,
        },
        _ => return None,
    };
    (!code.is_empty()).then_some(code)
}

impl PgResolver {
    /// Whether `host` (bare) is the platform's own: its domain, its admin or www host,
    /// localhost or an IP address. Every other host names a vendor (or nothing).
    fn is_platform_host(&self, host: &str) -> bool {
        host == self.platform_domain
            || host == "localhost"
            || host.parse::<std::net::IpAddr>().is_ok()
            || [
                format!("admin.{}", self.platform_domain),
                format!("www.{}", self.platform_domain),
            ]
            .contains(&host.to_owned())
    }
}

impl VendorResolver for PgResolver {
    fn is_vendor_host(&self, host: &str) -> bool {
        !self.is_platform_host(&bare_host(host))
    }

    fn resolve(&self, target: &RequestTarget<'_>) -> Result<Option<ResolvedVendor>, TenancyError> {
        let host = bare_host(target.host);
        if !self.is_platform_host(&host) {
            if let Some(sub) = host.strip_suffix(&format!(".{}", self.platform_domain)) {
                // Only one label below the platform domain names a vendor.
                if !sub.contains('.') {
                    let vendor = self
                        .db
                        .unscoped(|tx| db::vendors::find_by_subdomain(tx, sub))?;
                    return Ok(Self::open(vendor));
                }
            } else {
                let vendor = self.db.resolving(|tx| -> Result<_, TenancyError> {
                    match db::vendor_domains::vendor_for_domain(tx, &host)? {
                        Some(id) => Ok(db::vendors::find(tx, id)?),
                        None => Ok(None),
                    }
                })?;
                return Ok(Self::open(vendor));
            }
        }
        match code_from_path(target.path) {
            Some(code) => self.by_code(code),
            None => Ok(None),
        }
    }

    fn by_code(&self, code: &str) -> Result<Option<ResolvedVendor>, TenancyError> {
        let vendor = self.db.unscoped(|tx| db::vendors::find_by_code(tx, code))?;
        Ok(Self::open(vendor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_lose_port_and_case() {
        assert_eq!(bare_host("Shop.Example.LU:8080"), "shop.example.lu");
        assert_eq!(bare_host("localhost"), "localhost");
        assert_eq!(bare_host("example.lu."), "example.lu");
    }

    #[test]
    fn paths_name_codes() {
        assert_eq!(code_from_path("/vendor/luxtech/"), Some("luxtech"));
        assert_eq!(code_from_path("/shop/luxtech/products/3"), Some("luxtech"));
        assert_eq!(
            code_from_path("/api/v1/public/vendors/luxtech/products"),
            Some("luxtech")
        );
        assert_eq!(code_from_path("/admin/vendors"), None);
        assert_eq!(code_from_path("/vendor/"), None);
    }
}
