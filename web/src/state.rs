//! Everything a handler needs, built once at start-up and shared by all workers.

use std::sync::Arc;

use auth::{AuthService, PasswordHasher, PgAuth, RateLimits, TokenIssuer};
use catalog::{CatalogService, PgCatalog};
use db::{Db, Probe};
use inventory::{InventoryService, PgInventory};
use marketplace::{ImportJob, MarketplaceService, PgMarketplace};
use platform::PlatformSettings as _;
use teams::{PgTeams, TeamService};
use tenancy::{PgResolver, PgVendors, VendorResolver, VendorService};

use crate::config::{Config, Environment, MediaBackend};
use media::MediaStore;

/// How long an e-mailed password-reset link works.
const PASSWORD_RESET_MINUTES: i64 = 60;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    /// Whether the database answers, for health and metrics; handlers reach data only
    /// through the services below.
    pub probe: Probe,
    pub auth: Arc<dyn AuthService>,
    pub vendors: Arc<dyn VendorService>,
    pub resolver: Arc<dyn VendorResolver>,
    /// What the resolver and the shop's list pages remember for a moment.
    pub shop_cache: Arc<crate::shop_cache::ShopCache>,
    /// Which vendors' catalogues and teams changed, as this process heard.
    pub changes: Arc<crate::change_feed::ChangeFeed>,
    /// Members and catalogue pages kept until they change.
    pub vendor_cache: Arc<crate::vendor_cache::VendorCache>,
    pub teams: Arc<dyn TeamService>,
    pub catalog: Arc<dyn CatalogService>,
    pub inventory: Arc<dyn InventoryService>,
    pub customers: Arc<dyn customers::CustomerService>,
    /// The vendor's side of its customers (list, close, export, erase).
    pub customer_records: Arc<dyn customers::CustomerRecords>,
    pub carts: Arc<dyn orders::CartService>,
    pub orders: Arc<dyn orders::OrderService>,
    /// The shop's card payments (its Stripe account, sessions, webhook events).
    pub card_payments: Arc<dyn orders::CardPayments>,
    /// Seals and unseals vendors' payment keys.
    pub sealer: Arc<crate::stripe::Sealer>,
    pub stripe: Arc<crate::stripe::StripeClient>,
    pub job_board: Arc<dyn jobs::JobBoard>,
    /// The audit log as admins read it.
    pub audit: Arc<dyn platform::AuditLog>,
    /// Actions over many vendors at once.
    pub mass_actions: Arc<dyn platform::MassActions>,
    /// Vendors' custom domains (checked over DNS).
    pub domains: Arc<dyn tenancy::DomainService>,
    /// The admin's management of team accounts.
    pub user_admin: Arc<dyn auth::UserAdmin>,
    /// The admin dashboard's figures.
    pub figures: Arc<dyn platform::Figures>,
    /// The platform's settings, kept in memory.
    pub platform_settings: Arc<dyn platform::PlatformSettings>,
    pub shop_settings: Arc<dyn tenancy::ShopSettings>,
    pub marketplace: Arc<dyn MarketplaceService>,
    /// Starts this process's background job workers.
    pub jobs: crate::workers::JobRunner,
    /// Uploaded files (product images).
    pub media: MediaStore,
    pub templates: Arc<tera::Tera>,
    /// Request counts and durations per route, and the registry `/metrics` exposes.
    pub metrics: actix_web_prom::PrometheusMetrics,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error("password hasher: {0}")]
    Hasher(#[from] bcrypt::BcryptError),
    #[error("templates: {0}")]
    Templates(#[from] tera::Error),
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
    #[error("metrics: {0}")]
    Metrics(String),
    #[error(transparent)]
    Database(#[from] db::Error),
    #[error("media storage: {0}")]
    Media(#[from] media::MediaError),
    #[error(transparent)]
    Mail(#[from] crate::emails::MailError),
}

/// Start-up checks that need the database: production refuses a login with more privileges
/// than the server needs; development says so. If the database is down the server starts
/// anyway (and `/health/ready` says so); in production the pool then refuses such a login on
/// every connection it opens.
pub fn check_database_login(config: &Config) -> Result<(), StartError> {
    match db::login::inspect(&config.database_url) {
        Ok(login) if login.is_excessive() => {
            if config.environment == Environment::Production {
                return Err(db::Error::PrivilegedLogin(login.login).into());
            }
            tracing::warn!(
                login = %login.login,
                "DATABASE_URL logs in as a superuser or table owner; fine for development, refused in production (use the server login: docs/operations.md)"
            );
        }
        Ok(_) => {}
        Err(e) => {
            tracing::warn!(error = %e, "database not reachable yet; its login is checked on each connection")
        }
    }
    Ok(())
}

impl AppState {
    pub fn build(config: Config) -> Result<Self, StartError> {
        let login = match config.environment {
            Environment::Production => db::LoginPolicy::Refuse,
            Environment::Development => db::LoginPolicy::Allow,
        };
        // One connection more than asked: the database listener holds one.
        let pool = db::build_pool(&config.database_url, config.db_pool_size + 1, login);
        let db = Db::new(pool);
        let hasher = Arc::new(PasswordHasher::new(config.bcrypt_cost)?);
        let platform_settings = Arc::new(platform::PgPlatformSettings::new(db.clone()));
        if let Err(e) = platform_settings.refresh() {
            tracing::warn!(error = %e, "platform settings not loaded yet: the defaults apply");
        }
        let teams: Arc<dyn TeamService> = Arc::new(PgTeams::new(db.clone()));
        let customers = Arc::new(customers::PgCustomers::new(
            db.clone(),
            hasher.clone(),
            chrono::Duration::minutes(PASSWORD_RESET_MINUTES),
        ));
        let user_admin = Arc::new(auth::PgUserAdmin::new(db.clone(), hasher.clone()));
        let auth = Arc::new(PgAuth::new(
            db.clone(),
            teams.clone(),
            hasher.clone(),
            TokenIssuer::new(config.jwt_secret.as_bytes(), config.access_token_ttl_secs),
            RateLimits {
                per_ip_per_minute: config.login_rate_per_ip,
                per_account_per_minute: config.login_rate_per_account,
            },
            chrono::Duration::days(config.refresh_token_ttl_days),
        ));
        let inventory: Arc<dyn InventoryService> = Arc::new(PgInventory::new(db.clone()));
        let media = match &config.media {
            MediaBackend::Directory(dir) => MediaStore::local(dir, &config.media_public_url)?,
            MediaBackend::S3 { bucket } => MediaStore::s3(bucket, &config.media_public_url)?,
        };
        let catalog = Arc::new(PgCatalog::new(db.clone(), inventory.clone(), media.clone()));
        let carts = Arc::new(orders::PgCarts::new(db.clone(), catalog.clone()));
        let sealer = Arc::new(crate::stripe::Sealer::new(&config.payment_secrets_key));
        let stripe = Arc::new(crate::stripe::StripeClient::new(&config.stripe_api_base));
        let orders = Arc::new(orders::PgOrders::new(
            db.clone(),
            catalog.clone(),
            inventory.clone(),
        ));
        let vendors = Arc::new(PgVendors::new(
            db.clone(),
            hasher,
            teams.clone(),
            inventory.clone(),
        ));
        let shop_cache = Arc::new(crate::shop_cache::ShopCache::new(config.shop_cache));
        let resolver = Arc::new(crate::shop_cache::CachedResolver::new(
            Arc::new(PgResolver::new(db.clone(), &config.platform_domain)),
            shop_cache.clone(),
        ));
        let marketplace = Arc::new(PgMarketplace::new(
            db.clone(),
            catalog.clone(),
            inventory.clone(),
        ));
        let sources = Arc::new(crate::feed_sources::WebFeedSources::new(
            media.clone(),
            config.import_allow_private_urls,
            config.import_max_bytes,
        )?);
        let mailer = Arc::new(crate::emails::Mailer::new(
            &config.templates_dir,
            config.smtp_url.as_deref(),
            &config.mail_from,
            &config.public_base_url,
        )?);
        let domains = Arc::new(tenancy::PgDomains::new(
            db.clone(),
            Arc::new(crate::dns::DnsLookup::new(config.dns_resolver)),
            &config.platform_domain,
        ));
        let changes = Arc::new(crate::change_feed::ChangeFeed::default());
        let vendor_cache = Arc::new(crate::vendor_cache::VendorCache::new(
            config.vendor_cache_bytes,
        ));
        let jobs = crate::workers::JobRunner::new(
            db.clone(),
            changes.clone(),
            vec![
                (
                    marketplace::IMPORT_JOB,
                    Arc::new(ImportJob::new(db.clone(), sources, catalog.clone())),
                ),
                (
                    mail::EMAIL_JOB,
                    Arc::new(crate::emails::EmailJob::new(db.clone(), mailer)),
                ),
                (
                    orders::CART_EXPIRY_JOB,
                    Arc::new(orders::CartExpiryJob::new(db.clone())),
                ),
                (
                    platform::MASS_ACTION_JOB,
                    Arc::new(platform::MassActionJob::new(
                        db.clone(),
                        vendors.clone(),
                        marketplace.clone(),
                    )),
                ),
                (
                    tenancy::RECHECK_JOB,
                    Arc::new(tenancy::DomainRecheckJob::new(db.clone(), domains.clone())),
                ),
                (
                    orders::CARD_EXPIRY_JOB,
                    Arc::new(orders::CardExpiryJob::new(db.clone(), orders.clone())),
                ),
                (
                    tenancy::BULK_IMPORT_JOB,
                    Arc::new(tenancy::BulkImportJob::new(db.clone(), vendors.clone())),
                ),
            ],
            config.job_poll,
            config.job_lease,
        );
        let glob = config.templates_dir.join("**").join("*.html");
        let mut templates = tera::Tera::new(&glob.to_string_lossy())?;
        templates.set_escape_fn(escape_html);
        // The printed papers (invoice, packing slip) format amounts as the e-mails do.
        templates.register_filter("money", crate::emails::money_filter);
        templates.register_filter("percent", crate::emails::percent_filter);
        let metrics = actix_web_prom::PrometheusMetricsBuilder::new("wizamart")
            .exclude("/metrics")
            // Unmatched paths (probes, typos) share one label instead of one series each.
            .mask_unmatched_patterns("UNMATCHED")
            .build()
            .map_err(|e| StartError::Metrics(e.to_string()))?;
        Ok(Self {
            metrics,
            config: Arc::new(config),
            probe: db.probe(),
            auth,
            shop_settings: vendors.clone(),
            vendors,
            resolver,
            shop_cache,
            changes,
            vendor_cache,
            teams,
            catalog,
            inventory,
            customer_records: customers.clone(),
            card_payments: orders.clone(),
            sealer,
            stripe,
            customers,
            carts,
            orders,
            job_board: Arc::new(jobs::PgJobBoard::new(db.clone())),
            audit: Arc::new(platform::PgAuditLog::new(db.clone())),
            figures: Arc::new(platform::PgFigures::new(db.clone())),
            user_admin,
            domains,
            mass_actions: Arc::new(platform::PgMassActions::new(db.clone())),
            platform_settings,
            marketplace,
            jobs,
            media,
            templates: Arc::new(templates),
        })
    }
}

/// Tera's escaping without `/`: `&`, `<`, `>`, `"` and `'` are what can break out of text or
/// a quoted attribute (every template quotes its attributes), and links stay readable
/// (`/shop/x/products/3`, not `&#x2F;shop&#x2F;…`) for people and crawlers reading the source.
fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}
