//! Sign-in attempts are rate-limited per account and per client address,
//! in memory, per instance (GCRA from `governor`). A person who mistypes
//! gets a few quick retries; a script guessing passwords gets a 429.
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// Five attempts at once per account, then one every 12 s (5 a minute).
const ACCOUNT_BURST: u32 = 5;
const ACCOUNT_PERIOD: Duration = Duration::from_secs(12);
/// Thirty at once per address, then one every 2 s, for offices behind one NAT.
const ADDRESS_BURST: u32 = 30;
const ADDRESS_PERIOD: Duration = Duration::from_secs(2);
/// Forget idle keys once this many are tracked.
const MAX_TRACKED: usize = 10_000;

pub struct LoginLimits {
    by_account: DefaultKeyedRateLimiter<String>,
    by_address: DefaultKeyedRateLimiter<IpAddr>,
}

fn quota(burst: u32, period: Duration) -> Quota {
    Quota::with_period(period)
        .expect("a non-zero period")
        .allow_burst(NonZeroU32::new(burst).expect("a non-zero burst"))
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            by_account: DefaultKeyedRateLimiter::keyed(quota(ACCOUNT_BURST, ACCOUNT_PERIOD)),
            by_address: DefaultKeyedRateLimiter::keyed(quota(ADDRESS_BURST, ADDRESS_PERIOD)),
        }
    }
}

impl LoginLimits {
    /// Counts one attempt; `Err` carries the seconds to wait.
    pub fn attempt(&self, email: &str, address: Option<IpAddr>) -> Result<(), u64> {
        if self.by_account.len() > MAX_TRACKED {
            self.by_account.retain_recent();
        }
        if self.by_address.len() > MAX_TRACKED {
            self.by_address.retain_recent();
        }
        let now = DefaultClock::default().now();
        let wait = |d: Duration| d.as_secs().max(1);
        if let Some(ip) = address
            && let Err(not_until) = self.by_address.check_key(&ip)
        {
            return Err(wait(not_until.wait_time_from(now)));
        }
        self.by_account
            .check_key(&email.to_lowercase())
            .map_err(|not_until| wait(not_until.wait_time_from(now)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_limited_after_its_burst() {
        let limits = LoginLimits::default();
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..ACCOUNT_BURST {
            assert!(limits.attempt("ada@example.com", Some(ip)).is_ok());
        }
        let wait = limits.attempt("ADA@example.com", Some(ip)).unwrap_err();
        assert!(wait >= 1 && wait <= ACCOUNT_PERIOD.as_secs(), "{wait}");
        assert!(limits.attempt("bob@example.com", Some(ip)).is_ok());
    }

    #[test]
    fn an_address_is_limited_across_accounts() {
        let limits = LoginLimits::default();
        let ip: IpAddr = "10.0.0.2".parse().unwrap();
        for n in 0..ADDRESS_BURST {
            assert!(
                limits
                    .attempt(&format!("u{n}@example.com"), Some(ip))
                    .is_ok()
            );
        }
        assert!(limits.attempt("new@example.com", Some(ip)).is_err());
        assert!(
            limits
                .attempt("new@example.com", Some("10.0.0.3".parse().unwrap()))
                .is_ok()
        );
    }
}
