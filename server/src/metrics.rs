//! `/metrics` in the Prometheus text format. One registry per app (no
//! global recorder): request counts and latency by route, search latency,
//! the index's lag behind the outbox, connection pool use and open
//! incidents by severity. The gauges are read from the database at scrape
//! time, so they are never stale.
mod http_metrics;
mod search_timings;

use std::sync::atomic::AtomicU64;

use app::domain::Severity;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

pub use http_metrics::track_requests;
use http_metrics::{RequestLabels, RouteLabels};
pub use search_timings::{SearchKind, SearchTimings};

use crate::service::OperationsSnapshot;

/// Seconds: a page render is about a millisecond, the time limit is 30 s.
const HTTP_BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

fn http_histogram() -> Histogram {
    Histogram::new(HTTP_BUCKETS)
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    pool: String,
    state: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SeverityLabels {
    severity: String,
}

pub struct Metrics {
    registry: Registry,
    http_requests: Family<RequestLabels, Counter>,
    http_seconds: Family<RouteLabels, Histogram, fn() -> Histogram>,
    index_position: Gauge,
    outbox_head: Gauge,
    index_lag_rows: Gauge,
    index_lag_seconds: Gauge<f64, AtomicU64>,
    index_rebuilding: Gauge,
    index_documents: Gauge,
    pool_connections: Family<PoolLabels, Gauge>,
    open_incidents: Family<SeverityLabels, Gauge>,
}

impl Metrics {
    /// The registry, with the service's search timings in it.
    pub fn new(search: &SearchTimings) -> Self {
        let mut metrics = Self {
            registry: Registry::with_prefix("firebreak"),
            http_requests: Family::default(),
            http_seconds: Family::new_with_constructor(http_histogram),
            index_position: Gauge::default(),
            outbox_head: Gauge::default(),
            index_lag_rows: Gauge::default(),
            index_lag_seconds: Gauge::default(),
            index_rebuilding: Gauge::default(),
            index_documents: Gauge::default(),
            pool_connections: Family::default(),
            open_incidents: Family::default(),
        };
        let r = &mut metrics.registry;
        r.register(
            "http_requests",
            "HTTP requests answered, by method, route template and status",
            metrics.http_requests.clone(),
        );
        r.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request (until the response head), by method and route template",
            metrics.http_seconds.clone(),
        );
        r.register(
            "search_duration_seconds",
            "Time a search takes on the index, by kind (query, similar, similar_draft)",
            search.0.clone(),
        );
        r.register(
            "index_position",
            "The last outbox sequence number the search index has applied",
            metrics.index_position.clone(),
        );
        r.register(
            "outbox_head",
            "The newest outbox sequence number in the database",
            metrics.outbox_head.clone(),
        );
        r.register(
            "index_lag_rows",
            "Outbox rows written but not yet in the search index (head minus position)",
            metrics.index_lag_rows.clone(),
        );
        r.register(
            "index_lag_seconds",
            "Age of the oldest outbox row not yet in the search index; 0 when none",
            metrics.index_lag_seconds.clone(),
        );
        r.register(
            "index_rebuilding",
            "1 while the search index is being rebuilt from the database",
            metrics.index_rebuilding.clone(),
        );
        r.register(
            "index_documents",
            "Incidents in the search index",
            metrics.index_documents.clone(),
        );
        r.register(
            "db_pool_connections",
            "Database connections by pool and state (in_use, idle, max)",
            metrics.pool_connections.clone(),
        );
        r.register(
            "open_incidents",
            "Incidents not yet resolved (investigating, identified, monitoring), by severity",
            metrics.open_incidents.clone(),
        );
        metrics
    }

    /// The text exposition, with the gauges set from `snapshot`.
    pub fn render(&self, snapshot: &OperationsSnapshot) -> String {
        self.index_position.set(snapshot.index_position);
        self.outbox_head.set(snapshot.outbox_head);
        self.index_lag_rows
            .set((snapshot.outbox_head - snapshot.index_position).max(0));
        self.index_lag_seconds.set(snapshot.index_lag_seconds);
        self.index_rebuilding.set(i64::from(snapshot.rebuilding));
        self.index_documents.set(snapshot.indexed_documents as i64);
        for pool in &snapshot.pools {
            let states = [
                ("in_use", pool.open.saturating_sub(pool.idle)),
                ("idle", pool.idle),
                ("max", pool.max),
            ];
            for (state, n) in states {
                let labels = PoolLabels {
                    pool: pool.pool.into(),
                    state: state.into(),
                };
                self.pool_connections.get_or_create(&labels).set(n.into());
            }
        }
        for severity in Severity::ALL {
            let n = snapshot
                .open_by_severity
                .iter()
                .find(|(s, _)| s.eq_ignore_ascii_case(severity.as_str()))
                .map_or(0, |(_, n)| *n);
            let labels = SeverityLabels {
                severity: severity.as_str().to_ascii_lowercase(),
            };
            self.open_incidents.get_or_create(&labels).set(n);
        }
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}
