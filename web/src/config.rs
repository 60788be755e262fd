//! Configuration from the environment (and `.env`), with safe development defaults and a
//! refusal to start in production with development secrets.

use std::net::SocketAddr;
use std::path::PathBuf;

/// The shortest JWT secret accepted (HS256 wants at least its 32-byte output).
pub const MIN_JWT_SECRET_BYTES: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub environment: Environment,
    pub database_url: String,
    pub bind_addr: SocketAddr,
    /// The HS256 secret. In development without `JWT_SECRET` it is random per start (no
    /// secret written in the repository is ever accepted); production requires one.
    pub jwt_secret: String,
    /// Whether `jwt_secret` was generated at start (sessions end when the server restarts).
    pub jwt_secret_generated: bool,
    pub platform_domain: String,
    pub bcrypt_cost: u32,
    pub access_token_ttl_secs: i64,
    pub refresh_token_ttl_days: i64,
    pub db_pool_size: u32,
    pub login_rate_per_ip: u32,
    pub login_rate_per_account: u32,
    /// How many proxies you run in front of the server: the client IP is the entry that many
    /// places from the right of `X-Forwarded-For` (0: the socket peer, ignoring the header).
    pub trusted_proxy_hops: usize,
    /// Mark cookies Secure (on by default in production).
    pub cookie_secure: bool,
    pub templates_dir: PathBuf,
    pub static_dir: PathBuf,
    pub log_json: bool,
    /// Where uploaded images are kept.
    pub media: MediaBackend,
    /// The address uploaded images are fetched from: this server's `/media` by default, or a
    /// bucket's public address / CDN in front of it.
    pub media_public_url: String,
    /// Background job workers started with the server (`WORKERS`; 0: none, run them with
    /// `wizamart worker` elsewhere).
    pub workers: usize,
    /// The longest an idle worker waits before looking for due jobs again (`JOB_POLL_MS`): a
    /// new job wakes it at once through the database's notification; this finds retries that
    /// became due and covers a lost notification.
    pub job_poll: std::time::Duration,
    /// How long a worker's claim on a job holds without renewal: a job whose worker died is
    /// taken up again after this (`JOB_LEASE_SECONDS`).
    pub job_lease: std::time::Duration,
    /// Whether feed addresses may point at loopback or private networks
    /// (`IMPORT_ALLOW_PRIVATE_URLS`; development and tests only: otherwise anyone who may start
    /// an import could make the server fetch from the inside of its network).
    pub import_allow_private_urls: bool,
    /// The largest feed accepted, uploaded or fetched (`IMPORT_MAX_MB`).
    pub import_max_bytes: u64,
    /// Where e-mails go (`SMTP_URL`: `smtp://host:25` in the clear, `smtp://host:587?tls=required`
    /// or `smtps://user:password@host:465`); without it e-mails are rendered, logged and
    /// kept, not sent.
    pub smtp_url: Option<String>,
    /// The sender address of every e-mail (`MAIL_FROM`); the shop's name is its display name.
    pub mail_from: String,
    /// The address this platform is reached at from outside (`PUBLIC_BASE_URL`), for links in
    /// e-mails.
    pub public_base_url: String,
    /// How long a shop's vendor and public list pages are answered from memory
    /// (`SHOP_CACHE_MS`; 0: never).
    pub shop_cache: std::time::Duration,
    /// The memory for what vendor dashboards read over and over — members, catalogue list and
    /// search pages — kept until the change feed says it changed (`VENDOR_CACHE_MB`; 0: none).
    pub vendor_cache_bytes: u64,
    /// The key vendors' payment-provider keys are sealed with (`PAYMENT_SECRETS_KEY`: 32
    /// bytes, base64). In development without it, random per start (connected accounts must
    /// be connected again after a restart); production requires one.
    pub payment_secrets_key: [u8; 32],
    pub payment_secrets_key_generated: bool,
    /// Stripe's API address (`STRIPE_API_BASE`; tests point it at a local stand-in).
    pub stripe_api_base: String,
    /// The DNS server custom domains are checked against (`DNS_RESOLVER`, `ip:port`); the
    /// machine's resolvers (`/etc/resolv.conf`) when absent.
    pub dns_resolver: Option<std::net::SocketAddr>,
}

/// The storage behind uploaded images.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaBackend {
    /// A directory of this server (`MEDIA_DIR`); enough for one server.
    Directory(PathBuf),
    /// An S3-compatible bucket (`MEDIA_S3_BUCKET` plus the standard `AWS_*` variables), shared
    /// by several servers.
    S3 { bucket: String },
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} is not valid: {reason}")]
    Invalid { name: &'static str, reason: String },
    #[error(
        "refusing to start in production without a JWT_SECRET of at least 32 bytes; set it to a long random value"
    )]
    WeakSecretInProduction,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

fn parsed<T: std::str::FromStr>(name: &'static str, default: T) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    match var(name) {
        Some(v) => v.parse().map_err(|e: T::Err| ConfigError::Invalid {
            name,
            reason: e.to_string(),
        }),
        None => Ok(default),
    }
}

/// 32 random bytes.
fn random_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut key);
    key
}

fn key_from_base64(text: &str) -> Result<[u8; 32], ConfigError> {
    use base64::Engine;
    let invalid = |reason: String| ConfigError::Invalid {
        name: "PAYMENT_SECRETS_KEY",
        reason,
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| invalid(e.to_string()))?;
    <[u8; 32]>::try_from(bytes.as_slice())
        .map_err(|_| invalid(format!("{} bytes; it must be 32", bytes.len())))
}

fn workspace_dir(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join(name)
}

impl Config {
    /// A local development server's configuration: the defaults every variable falls back to.
    pub fn development(database_url: &str) -> Self {
        Self {
            environment: Environment::Development,
            database_url: database_url.to_owned(),
            bind_addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            jwt_secret: random_secret(),
            jwt_secret_generated: true,
            platform_domain: "localhost".to_owned(),
            bcrypt_cost: 12,
            access_token_ttl_secs: 30 * 60,
            refresh_token_ttl_days: 14,
            db_pool_size: default_pool_size(),
            login_rate_per_ip: 20,
            login_rate_per_account: 5,
            trusted_proxy_hops: 0,
            cookie_secure: false,
            templates_dir: workspace_dir("templates"),
            static_dir: workspace_dir("static"),
            log_json: false,
            media: MediaBackend::Directory(workspace_dir("target").join("media")),
            media_public_url: "/media".to_owned(),
            workers: 2,
            job_poll: std::time::Duration::from_secs(5),
            job_lease: std::time::Duration::from_secs(60),
            import_allow_private_urls: false,
            import_max_bytes: 200 * 1024 * 1024,
            smtp_url: None,
            mail_from: "no-reply@wizamart.localhost".to_owned(),
            public_base_url: "http://127.0.0.1:8080".to_owned(),
            shop_cache: std::time::Duration::from_secs(1),
            vendor_cache_bytes: 32 * 1024 * 1024,
            payment_secrets_key: random_key(),
            payment_secrets_key_generated: true,
            stripe_api_base: "https://api.stripe.com".to_owned(),
            dns_resolver: None,
        }
    }

    /// Reads the environment (after loading `.env` if present) over the development defaults;
    /// production turns on secure cookies and JSON logs unless told otherwise.
    pub fn from_env() -> Result<Self, ConfigError> {
        let _ = dotenvy::dotenv();
        let environment = match var("APP_ENV").as_deref() {
            None | Some("development" | "dev" | "test") => Environment::Development,
            Some("production" | "prod") => Environment::Production,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "APP_ENV",
                    reason: format!("'{other}' (use development or production)"),
                });
            }
        };
        let production = environment == Environment::Production;
        let d = Self::development("postgres://postgres@127.0.0.1:5432/wizamart");
        let config = Self {
            environment,
            database_url: var("DATABASE_URL").unwrap_or(d.database_url),
            bind_addr: parsed("BIND_ADDR", d.bind_addr)?,
            jwt_secret_generated: var("JWT_SECRET").is_none(),
            jwt_secret: var("JWT_SECRET").unwrap_or(d.jwt_secret),
            platform_domain: var("PLATFORM_DOMAIN")
                .unwrap_or(d.platform_domain)
                .to_lowercase(),
            bcrypt_cost: parsed("BCRYPT_COST", d.bcrypt_cost)?,
            access_token_ttl_secs: parsed(
                "ACCESS_TOKEN_TTL_MINUTES",
                d.access_token_ttl_secs / 60,
            )? * 60,
            refresh_token_ttl_days: parsed("REFRESH_TOKEN_TTL_DAYS", d.refresh_token_ttl_days)?,
            db_pool_size: parsed("DB_POOL_SIZE", d.db_pool_size)?,
            login_rate_per_ip: parsed("LOGIN_RATE_PER_IP_PER_MINUTE", d.login_rate_per_ip)?,
            login_rate_per_account: parsed(
                "LOGIN_RATE_PER_ACCOUNT_PER_MINUTE",
                d.login_rate_per_account,
            )?,
            trusted_proxy_hops: proxy_hops(var("TRUST_PROXY").as_deref())?,
            cookie_secure: parsed("COOKIE_SECURE", production)?,
            templates_dir: var("TEMPLATES_DIR").map_or(d.templates_dir, PathBuf::from),
            static_dir: var("STATIC_DIR").map_or(d.static_dir, PathBuf::from),
            log_json: parsed("LOG_JSON", production)?,
            media: match (var("MEDIA_S3_BUCKET"), var("MEDIA_DIR")) {
                (Some(bucket), _) => MediaBackend::S3 { bucket },
                (None, Some(dir)) => MediaBackend::Directory(PathBuf::from(dir)),
                (None, None) => d.media,
            },
            media_public_url: var("MEDIA_PUBLIC_URL").unwrap_or(d.media_public_url),
            workers: parsed("WORKERS", d.workers)?,
            job_poll: std::time::Duration::from_millis(parsed(
                "JOB_POLL_MS",
                u64::try_from(d.job_poll.as_millis()).unwrap_or(5000),
            )?),
            job_lease: std::time::Duration::from_secs(parsed(
                "JOB_LEASE_SECONDS",
                d.job_lease.as_secs(),
            )?),
            import_allow_private_urls: parsed(
                "IMPORT_ALLOW_PRIVATE_URLS",
                d.import_allow_private_urls,
            )?,
            import_max_bytes: parsed("IMPORT_MAX_MB", d.import_max_bytes / (1024 * 1024))?
                * 1024
                * 1024,
            smtp_url: var("SMTP_URL"),
            mail_from: var("MAIL_FROM").unwrap_or(d.mail_from),
            public_base_url: var("PUBLIC_BASE_URL")
                .unwrap_or(d.public_base_url)
                .trim_end_matches('/')
                .to_owned(),
            shop_cache: std::time::Duration::from_millis(parsed(
                "SHOP_CACHE_MS",
                u64::try_from(d.shop_cache.as_millis()).unwrap_or(5000),
            )?),
            vendor_cache_bytes: parsed("VENDOR_CACHE_MB", d.vendor_cache_bytes / (1024 * 1024))?
                * 1024
                * 1024,
            payment_secrets_key_generated: var("PAYMENT_SECRETS_KEY").is_none(),
            payment_secrets_key: match var("PAYMENT_SECRETS_KEY") {
                Some(text) => key_from_base64(&text)?,
                None => d.payment_secrets_key,
            },
            stripe_api_base: var("STRIPE_API_BASE").unwrap_or(d.stripe_api_base),
            dns_resolver: match var("DNS_RESOLVER") {
                Some(v) => {
                    Some(
                        v.parse()
                            .map_err(|e: std::net::AddrParseError| ConfigError::Invalid {
                                name: "DNS_RESOLVER",
                                reason: format!("'{v}': {e} (use ip:port)"),
                            })?,
                    )
                }
                None => None,
            },
        };
        config.check()?;
        Ok(config)
    }

    /// Rules a configuration must meet whatever its source.
    pub fn check(&self) -> Result<(), ConfigError> {
        if self.environment == Environment::Production
            && (self.jwt_secret_generated || self.jwt_secret.len() < MIN_JWT_SECRET_BYTES)
        {
            return Err(ConfigError::WeakSecretInProduction);
        }
        if self.environment == Environment::Production && self.payment_secrets_key_generated {
            return Err(ConfigError::Invalid {
                name: "PAYMENT_SECRETS_KEY",
                reason: "production needs one (32 random bytes, base64), or sealed payment keys are lost on restart".into(),
            });
        }
        if !(4..=31).contains(&self.bcrypt_cost) {
            return Err(ConfigError::Invalid {
                name: "BCRYPT_COST",
                reason: "must be between 4 and 31".into(),
            });
        }
        if self.job_lease < std::time::Duration::from_secs(1) {
            return Err(ConfigError::Invalid {
                name: "JOB_LEASE_SECONDS",
                reason: "must be at least 1".into(),
            });
        }
        if !(60..=30 * 60).contains(&self.access_token_ttl_secs) {
            return Err(ConfigError::Invalid {
                name: "ACCESS_TOKEN_TTL_MINUTES",
                reason: "must be between 1 and 30".into(),
            });
        }
        Ok(())
    }
}

/// 48 random bytes, base64: a development secret that exists only in this process.
fn random_secret() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes)
}

/// `TRUST_PROXY`: a number of hops; `true`/`false` mean 1/0 (the earlier setting).
fn proxy_hops(value: Option<&str>) -> Result<usize, ConfigError> {
    match value {
        None | Some("false") => Ok(0),
        Some("true") => Ok(1),
        Some(n) => n.parse().map_err(|_| ConfigError::Invalid {
            name: "TRUST_PROXY",
            reason: format!("'{n}' (use the number of proxies in front of the server)"),
        }),
    }
}

/// Two connections per core plus headroom for background work.
fn default_pool_size() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get() as u32);
    cores * 2 + 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Config {
        Config {
            environment: Environment::Production,
            ..Config::development("postgres://x/y")
        }
    }

    #[test]
    fn the_payment_key_is_32_bytes_of_base64() {
        use base64::Engine;
        let text = base64::engine::general_purpose::STANDARD.encode([9u8; 32]);
        assert_eq!(key_from_base64(&text).ok(), Some([9u8; 32]));
        let short = base64::engine::general_purpose::STANDARD.encode([9u8; 16]);
        assert!(key_from_base64(&short).is_err());
        assert!(key_from_base64("not base64!").is_err());
    }

    #[test]
    fn production_refuses_a_missing_or_short_secret() {
        assert!(matches!(
            base().check(),
            Err(ConfigError::WeakSecretInProduction)
        ));
        let short = Config {
            jwt_secret: "x".repeat(31),
            jwt_secret_generated: false,
            ..base()
        };
        assert!(short.check().is_err());
        let no_payment_key = Config {
            jwt_secret: "x".repeat(48),
            jwt_secret_generated: false,
            ..base()
        };
        assert!(
            matches!(
                no_payment_key.check(),
                Err(ConfigError::Invalid {
                    name: "PAYMENT_SECRETS_KEY",
                    ..
                })
            ),
            "sealed payment keys need a lasting key"
        );
        let ok = Config {
            payment_secrets_key_generated: false,
            ..no_payment_key
        };
        assert!(ok.check().is_ok());
        let dev = Config {
            environment: Environment::Development,
            ..base()
        };
        assert!(dev.check().is_ok(), "development runs with a random secret");
    }

    #[test]
    fn development_secrets_are_random_per_start() {
        let (a, b) = (
            Config::development("x").jwt_secret,
            Config::development("x").jwt_secret,
        );
        assert_ne!(a, b);
        assert!(a.len() >= MIN_JWT_SECRET_BYTES);
    }

    #[test]
    fn proxy_hops_parse() {
        assert_eq!(proxy_hops(None).unwrap(), 0);
        assert_eq!(proxy_hops(Some("true")).unwrap(), 1);
        assert_eq!(proxy_hops(Some("2")).unwrap(), 2);
        assert!(proxy_hops(Some("yes")).is_err());
    }

    #[test]
    fn token_lifetime_is_capped() {
        let long = Config {
            environment: Environment::Development,
            access_token_ttl_secs: 3600,
            ..base()
        };
        assert!(long.check().is_err());
    }
}
