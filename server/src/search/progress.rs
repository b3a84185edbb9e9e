//! How far the indexer has come, for readiness and metrics: written by the
//! one indexer task, read by anyone without locking.
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};

#[derive(Debug)]
pub struct IndexProgress {
    /// The last outbox sequence number applied and committed; -1 before
    /// the first build.
    applied: AtomicI64,
    /// A full rebuild is under way (at start, or the index was missing).
    rebuilding: AtomicBool,
    /// Incidents written so far by the rebuild under way.
    rebuilt: AtomicU64,
}

impl IndexProgress {
    pub fn new(applied: i64) -> Self {
        Self {
            applied: AtomicI64::new(applied),
            rebuilding: AtomicBool::new(false),
            rebuilt: AtomicU64::new(0),
        }
    }

    pub fn applied(&self) -> i64 {
        self.applied.load(Ordering::Acquire)
    }

    /// `Some(incidents written so far)` while a rebuild runs.
    pub fn rebuilding(&self) -> Option<u64> {
        self.rebuilding
            .load(Ordering::Acquire)
            .then(|| self.rebuilt.load(Ordering::Relaxed))
    }

    pub(super) fn committed(&self, seq: i64) {
        self.applied.store(seq, Ordering::Release);
    }

    pub(super) fn rebuild_started(&self) {
        self.rebuilt.store(0, Ordering::Relaxed);
        self.rebuilding.store(true, Ordering::Release);
    }

    pub(super) fn rebuilt_so_far(&self, done: u64) {
        self.rebuilt.store(done, Ordering::Relaxed);
    }

    pub(super) fn rebuild_finished(&self) {
        self.rebuilding.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rebuild_is_reported_with_its_count_until_it_finishes() {
        let progress = IndexProgress::new(-1);
        assert_eq!(progress.rebuilding(), None);
        progress.rebuild_started();
        progress.rebuilt_so_far(500);
        assert_eq!(progress.rebuilding(), Some(500));
        progress.committed(42);
        progress.rebuild_finished();
        assert_eq!(progress.rebuilding(), None);
        assert_eq!(progress.applied(), 42);
    }
}
