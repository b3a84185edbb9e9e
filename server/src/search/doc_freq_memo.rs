//! What is known of body words' document frequencies, kept for the index
//! generation it was counted on. "More like this" weighs every distinct
//! word of a long incident, and words recur from one incident to the next
//! (a Zipf curve), so most of them were counted a moment ago. A commit makes
//! a new generation, and the memo starts over.
use std::sync::Mutex;

use rustc_hash::FxHashMap;

/// Words remembered per generation (tens of bytes each).
const MEMO_WORDS: usize = 50_000;

/// A word's document frequency, or a lower bound on it (the count in one
/// segment, when the others were not asked).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocFreq {
    Exact(u64),
    AtLeast(u64),
}

impl DocFreq {
    pub fn lower_bound(self) -> u64 {
        match self {
            Self::Exact(n) | Self::AtLeast(n) => n,
        }
    }
}

#[derive(Default)]
pub struct DocFreqMemo {
    state: Mutex<Generation>,
}

#[derive(Default)]
struct Generation {
    id: u64,
    known: FxHashMap<String, DocFreq>,
}

impl DocFreqMemo {
    /// What is known of each of `words` in generation `id`.
    pub fn recall<'a>(
        &self,
        id: u64,
        words: impl Iterator<Item = &'a str>,
    ) -> Vec<Option<DocFreq>> {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.id != id {
            return words.map(|_| None).collect();
        }
        words.map(|w| state.known.get(w).copied()).collect()
    }

    /// Keeps what was counted in generation `id`; a newer generation
    /// replaces the memo, an older one (a search that began before the
    /// last commit) is not kept.
    pub fn remember(&self, id: u64, learned: Vec<(String, DocFreq)>) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if id > state.id {
            *state = Generation {
                id,
                known: FxHashMap::default(),
            };
        }
        if id != state.id {
            return;
        }
        for (word, df) in learned {
            if state.known.len() < MEMO_WORDS || state.known.contains_key(&word) {
                state.known.insert(word, df);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generation_forgets_the_one_before_and_ignores_older_ones() {
        let memo = DocFreqMemo::default();
        memo.remember(3, vec![("disk".into(), DocFreq::Exact(7))]);
        assert_eq!(
            memo.recall(3, ["disk"].into_iter()),
            [Some(DocFreq::Exact(7))]
        );
        memo.remember(4, vec![("dns".into(), DocFreq::AtLeast(2))]);
        assert_eq!(
            memo.recall(4, ["disk", "dns"].into_iter()),
            [None, Some(DocFreq::AtLeast(2))]
        );
        memo.remember(3, vec![("disk".into(), DocFreq::Exact(7))]);
        assert_eq!(memo.recall(4, ["disk"].into_iter()), [None]);
        assert_eq!(memo.recall(3, ["dns"].into_iter()), [None]);
    }
}
