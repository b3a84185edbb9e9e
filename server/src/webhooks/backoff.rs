//! When a failed delivery is tried again: growing delays (with the default
//! base of 30 s: 30 s, 2 min, 10 min, 1 h, then every 6 h), each stretched by
//! up to a quarter at random so receivers that fail together are not all
//! retried at the same moment.
use std::time::Duration;

use rand::Rng;

/// Multiples of the base delay after the 1st, 2nd, … failed attempt; the
/// last one repeats.
const STEPS: [u32; 5] = [1, 4, 20, 120, 720];

#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub base: Duration,
    /// Attempts in all; after the last one fails the delivery is `failed`.
    pub max_attempts: u32,
}

impl Backoff {
    /// The delay after `failures` failed attempts (1 for the first), before jitter.
    pub fn delay(&self, failures: u32) -> Duration {
        let step = STEPS[(failures.max(1) as usize - 1).min(STEPS.len() - 1)];
        self.base.saturating_mul(step)
    }

    /// The delay with up to 25 % added at random.
    pub fn jittered(&self, failures: u32) -> Duration {
        self.delay(failures)
            .mul_f64(1.0 + rand::rng().random_range(0.0..0.25))
    }

    /// Whether the attempt made after `failures` earlier ones is the last.
    pub fn is_last(&self, failures_before: i64) -> bool {
        failures_before + 1 >= i64::from(self.max_attempts.max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backoff() -> Backoff {
        Backoff {
            base: Duration::from_secs(30),
            max_attempts: 8,
        }
    }

    #[test]
    fn delays_grow_to_six_hours_and_stay_there() {
        let b = backoff();
        let seconds: Vec<u64> = (1..=7).map(|n| b.delay(n).as_secs()).collect();
        assert_eq!(seconds, [30, 120, 600, 3600, 21_600, 21_600, 21_600]);
        assert_eq!(b.delay(0), b.delay(1));
    }

    #[test]
    fn jitter_adds_at_most_a_quarter() {
        let b = backoff();
        for n in 1..=6 {
            for _ in 0..50 {
                let d = b.jittered(n);
                assert!(d >= b.delay(n) && d < b.delay(n).mul_f64(1.25), "{d:?}");
            }
        }
    }

    #[test]
    fn the_last_attempt_is_the_max_th() {
        let b = backoff();
        assert!(!b.is_last(0));
        assert!(!b.is_last(6));
        assert!(b.is_last(7));
        assert!(
            b.is_last(9),
            "a manual retry after giving up is one attempt"
        );
    }
}
