//! The last few insights computed, each for one selection, as of one
//! state of the registry. Every change appends an audit row in its own
//! transaction (invariant 11), so the newest audit id marks the state: a
//! cached answer is reused only while nothing at all has changed.
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use crate::store::InsightFilter;

const KEPT: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsightsKey {
    pub filter: InsightFilter,
    /// Overdue depends on the day.
    pub today: NaiveDate,
    /// The newest audit row's id when the figures were read.
    pub state: i64,
}

/// Up to 16 answers for the newest state.
pub struct RecentAnswers<V>(Mutex<VecDeque<(InsightsKey, Arc<V>)>>);

impl<V> Default for RecentAnswers<V> {
    fn default() -> Self {
        Self(Mutex::new(VecDeque::new()))
    }
}

impl<V> RecentAnswers<V> {
    pub fn get(&self, key: &InsightsKey) -> Option<Arc<V>> {
        let kept = self.0.lock().ok()?;
        kept.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    pub fn put(&self, key: InsightsKey, value: Arc<V>) {
        if let Ok(mut kept) = self.0.lock() {
            // Answers for an older state can never be asked for again.
            kept.retain(|(k, _)| k.state == key.state && k != &key);
            kept.push_front((key, value));
            kept.truncate(KEPT);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::Severity;

    fn key(state: i64, severity: Option<Severity>) -> InsightsKey {
        InsightsKey {
            filter: InsightFilter {
                severity,
                ..InsightFilter::default()
            },
            today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            state,
        }
    }

    #[test]
    fn answers_only_for_the_same_selection_and_state() {
        let cache = RecentAnswers::<i32>::default();
        cache.put(key(1, None), Arc::new(10));
        cache.put(key(1, Some(Severity::Sev1)), Arc::new(11));
        assert_eq!(cache.get(&key(1, None)).as_deref(), Some(&10));
        assert_eq!(
            cache.get(&key(1, Some(Severity::Sev1))).as_deref(),
            Some(&11)
        );
        assert_eq!(
            cache.get(&key(2, None)),
            None,
            "a change makes every answer stale"
        );
        cache.put(key(2, None), Arc::new(20));
        assert_eq!(
            cache.get(&key(1, Some(Severity::Sev1))),
            None,
            "older states are dropped"
        );
        for n in 0..40 {
            cache.put(key(2, Some(Severity::Sev2)), Arc::new(n));
        }
        assert_eq!(
            cache.get(&key(2, Some(Severity::Sev2))).as_deref(),
            Some(&39)
        );
    }
}
