//! How long searches take on the index, by kind: recorded by the service
//! (so pages, server functions and the REST API all count), read by
//! `/metrics`.
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;

#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub enum SearchKind {
    /// A search box query.
    Query,
    /// Incidents like a stored one.
    Similar,
    /// Incidents like a draft being typed.
    SimilarDraft,
}

impl SearchKind {
    fn label(self) -> &'static str {
        match self {
            Self::Query => "query",
            Self::Similar => "similar",
            Self::SimilarDraft => "similar_draft",
        }
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct SearchLabels {
    kind: &'static str,
}

/// Seconds, from 100 µs (the engine's budget is 0.3 ms p50) to the 2 s limit.
const BUCKETS: [f64; 12] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.0,
];

fn histogram() -> Histogram {
    Histogram::new(BUCKETS)
}

/// Cheap to clone: clones share the counts.
#[derive(Clone)]
pub struct SearchTimings(pub(super) Family<SearchLabels, Histogram, fn() -> Histogram>);

impl Default for SearchTimings {
    fn default() -> Self {
        Self(Family::new_with_constructor(histogram))
    }
}

impl SearchTimings {
    pub fn observe(&self, kind: SearchKind, took: Duration) {
        self.0
            .get_or_create(&SearchLabels { kind: kind.label() })
            .observe(took.as_secs_f64());
    }
}
