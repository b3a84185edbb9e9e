//! What the insights page asks of the store: SQL aggregates over a
//! selection of incidents, never every row loaded into memory.
use app::domain::{Metric, Severity};
use app::model::{
    ActionMonth, IncidentBrief, IncidentLink, MonthCounts, MonthMedian, RankedCause, RepeatGroup,
};
use chrono::{DateTime, NaiveDate, Utc};

use super::StoreError;

/// Which incidents the figures cover. The time range applies to impact
/// start (declaration when the start is unknown).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct InsightFilter {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub severity: Option<Severity>,
    pub service: Option<String>,
    pub tag: Option<String>,
    pub factor: Option<String>,
    /// Only incidents resolved in `[from, to)` (the weekly digest).
    pub resolved_in: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// One metric as counted by the database: n, the sum, how many of them
/// are resolved incidents, and the values at the ranks asked for.
#[derive(Debug, Clone, Default)]
pub struct StoredMetric {
    pub n: u64,
    pub sum_s: i64,
    /// Resolved incidents with both timestamps; the others resolved
    /// (`SelectionTotals::resolved` minus these) are missing one.
    pub resolved_with: u64,
    /// `(rank, seconds)`, 1-based ranks in ascending order of duration.
    pub ranked: Vec<(u64, i64)>,
}

/// Counts over every incident of a selection.
#[derive(Debug, Clone, Copy, Default)]
pub struct SelectionTotals {
    pub incidents: i64,
    pub resolved: i64,
    /// Customer impact summed over the counted (not excluded) incidents.
    pub impact_s: i64,
}

#[async_trait::async_trait]
pub trait InsightStore: Send + Sync + 'static {
    /// Counts the metric, then reads the values at `ranks(n)`.
    async fn metric(
        &self,
        filter: &InsightFilter,
        metric: Metric,
        ranks: &(dyn Fn(u64) -> Vec<u64> + Sync),
    ) -> Result<StoredMetric, StoreError>;
    /// All incidents in the selection, the resolved ones, and the impact.
    async fn selection_totals(&self, filter: &InsightFilter)
    -> Result<SelectionTotals, StoreError>;
    /// Open incidents (not resolved, not excluded), newest first.
    async fn open_incidents(
        &self,
        filter: &InsightFilter,
        limit: i64,
    ) -> Result<Vec<IncidentBrief>, StoreError>;
    /// Incidents closed as duplicate or declined.
    async fn excluded_incidents(
        &self,
        filter: &InsightFilter,
        limit: i64,
    ) -> Result<Vec<IncidentBrief>, StoreError>;
    async fn factor_ranking(
        &self,
        filter: &InsightFilter,
        limit: i64,
    ) -> Result<Vec<RankedCause>, StoreError>;
    async fn service_ranking(
        &self,
        filter: &InsightFilter,
        limit: i64,
    ) -> Result<Vec<RankedCause>, StoreError>;
    async fn per_month(&self, filter: &InsightFilter) -> Result<Vec<MonthCounts>, StoreError>;
    async fn ttr_trend(&self, filter: &InsightFilter) -> Result<Vec<MonthMedian>, StoreError>;
    async fn repeat_groups(
        &self,
        filter: &InsightFilter,
        limit: i64,
    ) -> Result<Vec<RepeatGroup>, StoreError>;
    async fn action_months(
        &self,
        filter: &InsightFilter,
        today: NaiveDate,
    ) -> Result<Vec<ActionMonth>, StoreError>;
    /// The newest incidents of the selection (excluded ones left out).
    async fn newest_incidents(
        &self,
        filter: &InsightFilter,
        limit: i64,
    ) -> Result<Vec<IncidentLink>, StoreError>;
    /// The newest audit row's id: every change writes one, so it moves
    /// exactly when the registry changes.
    async fn change_mark(&self) -> Result<i64, StoreError>;
    /// Incidents declared in `[from, to)`, oldest first.
    async fn declared_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<IncidentBrief>, StoreError>;
}
