//! The leadership view: the four durations with what they measure, how
//! often incidents happen, what keeps causing them, and whether the
//! follow-up work gets done.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::IncidentLink;
use crate::domain::{Severity, Status};

/// The filters, as typed in the page's GET form or the API's query string.
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsightsQuery {
    /// A date (YYYY-MM-DD) or an RFC 3339 time; impact start at or after it.
    #[serde(default)]
    pub from: Option<String>,
    /// Impact start before it.
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub severity: Option<String>,
    #[serde(default)]
    pub service: Option<String>,
    #[serde(default)]
    pub tag: Option<String>,
    #[serde(default)]
    pub factor: Option<String>,
}

/// One metric over the selected incidents.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricSummary {
    pub n: u64,
    pub median_s: Option<f64>,
    pub p90_s: Option<i64>,
    pub mean_s: Option<f64>,
    pub from_field: String,
    pub to_field: String,
    /// Fewer than 20 incidents: the figures swing widely.
    pub small_sample: bool,
    /// Closed incidents that lack one of the two timestamps (not counted in n).
    pub missing: u64,
    /// `(seconds, fraction at or below)`.
    pub ecdf: Vec<(i64, f64)>,
}

/// An incident named in a list of exceptions (open, excluded).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentBrief {
    pub id: i64,
    pub human_id: String,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    pub started_at: Option<DateTime<Utc>>,
}

/// A name ranked by how many incidents it touches and their impact.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankedCause {
    pub name: String,
    pub count: i64,
    /// Sum of started → mitigated over those incidents that have both.
    pub impact_minutes: i64,
}

/// Incidents started in one month, by severity.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthCounts {
    /// `2026-03`.
    pub month: String,
    /// SEV1..SEV4, in that order.
    #[cfg_attr(feature = "ssr", schema(min_items = 4, max_items = 4))]
    pub by_severity: [i64; 4],
}

/// The median TTR of the incidents started in one month.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthMedian {
    pub month: String,
    pub n: i64,
    pub median_s: f64,
}

/// An incident that others were marked as repeats of.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepeatGroup {
    pub original: IncidentLink,
    pub repeats: Vec<IncidentLink>,
}

/// Action items closed and gone overdue in one month.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionMonth {
    pub month: String,
    pub completed: i64,
    /// Items whose due date fell in this month and that were not done by then.
    pub overdue: i64,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Insights {
    /// When these figures were read from the database.
    pub as_of: DateTime<Utc>,
    /// Changes made since `as_of` are being counted in the background (a
    /// large registry); reloading shortly shows them.
    pub catching_up: bool,
    pub ttd: MetricSummary,
    pub tta: MetricSummary,
    pub ttm: MetricSummary,
    pub ttr: MetricSummary,
    /// Incidents in the selection, exclusions and open ones included.
    pub total: i64,
    /// Sum of started → mitigated, in minutes (exact seconds ÷ 60, rounded).
    pub impact_minutes: i64,
    /// Still open: no duration, counted and listed apart.
    pub open: Vec<IncidentBrief>,
    /// Closed as duplicate or declined: left out of every figure.
    pub excluded: Vec<IncidentBrief>,
    pub factors: Vec<RankedCause>,
    pub services: Vec<RankedCause>,
    pub per_month: Vec<MonthCounts>,
    pub ttr_trend: Vec<MonthMedian>,
    pub repeats: Vec<RepeatGroup>,
    pub actions: Vec<ActionMonth>,
}

/// Incidents the search index finds alike, grouped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimilarCluster {
    /// The words they share most.
    pub terms: Vec<String>,
    pub incidents: Vec<IncidentLink>,
}

/// The recurring-causes page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecurringCauses {
    pub factors: Vec<RankedCause>,
    pub services: Vec<RankedCause>,
    pub repeats: Vec<RepeatGroup>,
    pub clusters: Vec<SimilarCluster>,
    /// How many of the newest incidents were compared for clusters.
    pub compared: usize,
}

/// The week for leadership: what happened, how fast, what is late.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeeklyDigest {
    /// Monday of the week, `2026-11-16`.
    pub week_start: String,
    pub week_end: String,
    pub new_incidents: Vec<IncidentBrief>,
    pub resolved: i64,
    /// TTR of the incidents resolved this week.
    pub ttr: MetricSummary,
    pub overdue: Vec<super::OverdueItem>,
    pub completed_actions: i64,
}
