//! The last insights computed for a few selections, and when each may be
//! shown again.
//!
//! Every change appends an audit row in its own transaction (invariant 11),
//! so the newest audit id marks the registry's state. An answer for the
//! current state is reused as is. An answer for an older state is shown
//! only when the registry is large, computing it was slow, and it is
//! recent: the page then says when its figures were read, and one
//! background refresh counts the changes since. Small registries always
//! compute, however busy the machine, so every change shows at once.
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};

use crate::store::InsightFilter;

const KEPT: usize = 16;
/// A computation slower than this is worth showing again while the next one runs.
pub const SLOW: Duration = Duration::from_millis(100);
/// An older answer is never shown once it is this old.
pub const MAX_LAG: Duration = Duration::from_secs(300);
/// Registries with fewer incidents always compute, even when slow (a busy
/// machine, not a large registry).
pub const LARGE: i64 = 10_000;

/// One selection, on one day (overdue depends on the day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectionKey {
    pub filter: InsightFilter,
    pub today: NaiveDate,
}

/// A computed answer and the state it was read at.
#[derive(Debug)]
pub struct Answer<V> {
    pub value: Arc<V>,
    /// The newest audit row's id when the figures were read.
    pub state: i64,
    pub read_at: DateTime<Utc>,
    pub took: Duration,
    /// Incidents in the registry when it was read.
    pub incidents: i64,
}

impl<V> Clone for Answer<V> {
    fn clone(&self) -> Self {
        Self {
            value: self.value.clone(),
            state: self.state,
            read_at: self.read_at,
            took: self.took,
            incidents: self.incidents,
        }
    }
}

/// What a request may do with a kept answer.
#[derive(Debug, PartialEq, Eq)]
pub enum Reuse {
    /// Nothing changed since it was read.
    Current,
    /// Show it, marked with its time, and refresh in the background.
    WhileRefreshing,
    /// Compute now.
    No,
}

impl<V> Answer<V> {
    pub fn reuse(&self, state: i64, now: DateTime<Utc>) -> Reuse {
        let age = (now - self.read_at).to_std().unwrap_or_default();
        if self.state == state {
            Reuse::Current
        } else if self.took >= SLOW && self.incidents >= LARGE && age <= MAX_LAG {
            Reuse::WhileRefreshing
        } else {
            Reuse::No
        }
    }
}

struct Kept<V> {
    key: SelectionKey,
    answer: Answer<V>,
    refreshing: bool,
}

/// Up to 16 selections, newest first.
pub struct RecentAnswers<V>(Mutex<VecDeque<Kept<V>>>);

impl<V> Default for RecentAnswers<V> {
    fn default() -> Self {
        Self(Mutex::new(VecDeque::new()))
    }
}

impl<V> RecentAnswers<V> {
    pub fn get(&self, key: &SelectionKey) -> Option<Answer<V>> {
        let kept = self.0.lock().ok()?;
        kept.iter()
            .find(|k| &k.key == key)
            .map(|k| k.answer.clone())
    }

    /// Keeps `answer` unless a newer one for the same selection is kept.
    pub fn put(&self, key: SelectionKey, answer: Answer<V>) {
        let Ok(mut kept) = self.0.lock() else { return };
        if let Some(i) = kept.iter().position(|k| k.key == key) {
            let old = kept.remove(i).expect("position is in range");
            if old.answer.state > answer.state {
                kept.push_front(old);
                return;
            }
        }
        kept.push_front(Kept {
            key,
            answer,
            refreshing: false,
        });
        kept.truncate(KEPT);
    }

    /// True for the one caller that should refresh `key` now.
    pub fn claim_refresh(&self, key: &SelectionKey) -> bool {
        let Ok(mut kept) = self.0.lock() else {
            return false;
        };
        match kept.iter_mut().find(|k| &k.key == key) {
            Some(k) if !k.refreshing => {
                k.refreshing = true;
                true
            }
            _ => false,
        }
    }

    /// A refresh failed: let the next request try again.
    pub fn release(&self, key: &SelectionKey) {
        if let Ok(mut kept) = self.0.lock()
            && let Some(k) = kept.iter_mut().find(|k| &k.key == key)
        {
            k.refreshing = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::Severity;

    fn key(severity: Option<Severity>) -> SelectionKey {
        SelectionKey {
            filter: InsightFilter {
                severity,
                ..InsightFilter::default()
            },
            today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        }
    }

    fn answer(value: i32, state: i64, took_ms: u64) -> Answer<i32> {
        Answer {
            value: Arc::new(value),
            state,
            read_at: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
            took: Duration::from_millis(took_ms),
            incidents: 100_000,
        }
    }

    #[test]
    fn an_older_answer_is_shown_only_when_slow_to_compute_and_recent() {
        let fast = answer(1, 7, 3);
        let slow = answer(1, 7, 900);
        let at = |secs: i64| fast.read_at + chrono::Duration::seconds(secs);
        assert_eq!(fast.reuse(7, at(1000)), Reuse::Current);
        assert_eq!(fast.reuse(8, at(1)), Reuse::No, "fast answers compute");
        assert_eq!(slow.reuse(8, at(1)), Reuse::WhileRefreshing);
        let busy_small = Answer {
            incidents: 40,
            ..answer(1, 7, 900)
        };
        assert_eq!(
            busy_small.reuse(8, at(1)),
            Reuse::No,
            "small registries compute, however slow the machine"
        );
        assert_eq!(
            slow.reuse(8, at(301)),
            Reuse::No,
            "never older than 5 minutes"
        );
    }

    #[test]
    fn one_refresh_at_a_time_and_the_newest_state_wins() {
        let cache = RecentAnswers::<i32>::default();
        cache.put(key(None), answer(10, 1, 500));
        cache.put(key(Some(Severity::Sev1)), answer(11, 1, 500));
        assert!(cache.claim_refresh(&key(None)));
        assert!(!cache.claim_refresh(&key(None)), "already refreshing");
        cache.release(&key(None));
        assert!(cache.claim_refresh(&key(None)));
        cache.put(key(None), answer(20, 3, 500));
        cache.put(key(None), answer(15, 2, 500));
        let kept = cache.get(&key(None)).unwrap();
        assert_eq!(
            (*kept.value, kept.state),
            (20, 3),
            "a late, older answer is dropped"
        );
        assert!(
            cache.claim_refresh(&key(None)),
            "a new answer clears the claim"
        );
        assert_eq!(*cache.get(&key(Some(Severity::Sev1))).unwrap().value, 11);
        for n in 0..40 {
            cache.put(key(Some(Severity::Sev2)), answer(n, 4, 1));
        }
        assert_eq!(*cache.get(&key(Some(Severity::Sev2))).unwrap().value, 39);
        assert!(cache.get(&key(None)).is_some(), "one entry per selection");
    }
}
