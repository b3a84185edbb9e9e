use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{Severity, Status};

/// A search as clients send it. `q` holds words, phrases and field filters:
/// `service:checkout severity:sev1 tag:dns status:resolved after:2025-01-01 before:2026-01-01`.
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// Words, phrases and field filters; empty lists everything.
    #[serde(default)]
    pub q: Option<String>,
    /// Hits per page, up to 100 (default 20).
    #[serde(default)]
    pub limit: Option<i64>,
    /// How many hits to skip, up to 10,000.
    #[serde(default)]
    pub offset: Option<i64>,
    /// `relevance` (the default with words) or `date` (newest first).
    #[serde(default)]
    pub sort: Option<String>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub id: i64,
    pub human_id: String,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    pub started_at: Option<DateTime<Utc>>,
    /// HTML whose only markup is `<mark>`; everything else is escaped.
    pub snippet: String,
    pub score: f32,
}

/// One facet value and how many results carry it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchFacets {
    pub severity: Vec<FacetCount>,
    pub status: Vec<FacetCount>,
    pub service: Vec<FacetCount>,
    pub tag: Vec<FacetCount>,
    pub year: Vec<FacetCount>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub total: u64,
    pub took_ms: f64,
    pub hits: Vec<SearchHit>,
    pub facets: SearchFacets,
    /// True when exact matching found little and typo-tolerant matching was used.
    pub fuzzy: bool,
}

/// A past incident that looks like this one.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimilarHit {
    pub id: i64,
    pub human_id: String,
    pub title: String,
    pub score: f32,
    /// The words this incident shares with the one being looked at.
    pub matched_terms: Vec<String>,
    /// "What fixed it": an excerpt from the summary or the last action taken.
    pub resolution: Option<String>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SimilarIncidents {
    pub hits: Vec<SimilarHit>,
}
