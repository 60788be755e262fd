//! Login rate limits per client IP and per account, checked before any password hashing so a
//! flood of guesses cannot keep the hashing pool busy.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use db::{Email, VendorId};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::AuthError;

/// Attempts allowed per minute (also the burst: that many may come at once).
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    pub per_ip_per_minute: u32,
    pub per_account_per_minute: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            per_ip_per_minute: 20,
            per_account_per_minute: 5,
        }
    }
}

pub struct LoginLimiter {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    per_account: DefaultKeyedRateLimiter<String>,
}

impl LoginLimiter {
    pub fn new(limits: RateLimits) -> Self {
        let quota =
            |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN));
        Self {
            per_ip: RateLimiter::keyed(quota(limits.per_ip_per_minute)),
            per_account: RateLimiter::keyed(quota(limits.per_account_per_minute)),
        }
    }

    /// Counts one attempt for the IP (when known) and for the account; refuses with the time
    /// to wait when either is over its limit.
    pub fn check(&self, ip: Option<IpAddr>, account: &Email) -> Result<(), AuthError> {
        self.check_key(ip, account.as_str().to_owned())
    }

    /// [`LoginLimiter::check`] for a shop's customer: accounts are per vendor, so the same
    /// e-mail at two shops is limited as two accounts (the IP limit is shared).
    pub fn check_customer(
        &self,
        ip: Option<IpAddr>,
        vendor: VendorId,
        account: &Email,
    ) -> Result<(), AuthError> {
        self.check_key(ip, format!("{vendor}/{account}"))
    }

    fn check_key(&self, ip: Option<IpAddr>, account: String) -> Result<(), AuthError> {
        let clock = DefaultClock::default();
        if let Some(ip) = ip {
            self.per_ip
                .check_key(&ip)
                .map_err(|n| limited(n.wait_time_from(clock.now())))?;
        }
        self.per_account
            .check_key(&account)
            .map_err(|n| limited(n.wait_time_from(clock.now())))?;
        // Keep the maps from growing without bound under a spray of keys.
        if self.per_account.len() > 100_000 {
            self.per_account.retain_recent();
            self.per_ip.retain_recent();
        }
        Ok(())
    }
}

fn limited(wait: Duration) -> AuthError {
    AuthError::RateLimited {
        retry_after: wait.max(Duration::from_secs(1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_rapid_attempt_on_an_account_is_refused() {
        let limiter = LoginLimiter::new(RateLimits {
            per_ip_per_minute: 100,
            per_account_per_minute: 5,
        });
        let ip = Some("10.0.0.1".parse().unwrap());
        for _ in 0..5 {
            limiter.check(ip, &Email::new("A@x.lu")).unwrap();
        }
        match limiter.check(ip, &Email::new(" a@x.lu ")) {
            Err(AuthError::RateLimited { retry_after }) => {
                assert!(retry_after >= Duration::from_secs(1))
            }
            other => panic!("expected a rate limit, got {other:?}"),
        }
        limiter
            .check(ip, &Email::new("b@x.lu"))
            .expect("another account is not limited");
    }

    #[test]
    fn one_ip_is_limited_across_accounts() {
        let limiter = LoginLimiter::new(RateLimits {
            per_ip_per_minute: 3,
            per_account_per_minute: 100,
        });
        let ip = Some("10.0.0.2".parse().unwrap());
        for n in 0..3 {
            limiter
                .check(ip, &Email::new(&format!("u{n}@x.lu")))
                .unwrap();
        }
        assert!(matches!(
            limiter.check(ip, &Email::new("u9@x.lu")),
            Err(AuthError::RateLimited { .. })
        ));
        limiter
            .check(Some("10.0.0.3".parse().unwrap()), &Email::new("u9@x.lu"))
            .expect("another IP is fine");
    }
}
