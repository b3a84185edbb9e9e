use serde::{Deserialize, Serialize};

use super::Incident;

pub const DEFAULT_PAGE_SIZE: i64 = 25;
pub const MAX_PAGE_SIZE: i64 = 200;

/// Filters for the incident list, as query parameters. All are optional;
/// `status=open` means any active status.
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentQuery {
    /// A status (`investigating`, …, `declined`), or `open` for any active one.
    #[serde(default)]
    pub status: Option<String>,
    /// `SEV1` to `SEV4`.
    #[serde(default)]
    pub severity: Option<String>,
    /// Incidents that touch this service.
    #[serde(default)]
    pub service: Option<String>,
    /// Incidents with this tag.
    #[serde(default)]
    pub tag: Option<String>,
    /// Words that must appear in the title or summary.
    #[serde(default)]
    pub q: Option<String>,
    /// A column, optionally with a leading `-` for descending:
    /// `started`, `severity`, `status`, `id` or `title`. Default `-started`.
    #[serde(default)]
    pub sort: Option<String>,
    /// Page size, 1 to 200 (default 25).
    #[serde(default)]
    pub limit: Option<i64>,
    /// How many to skip.
    #[serde(default)]
    pub offset: Option<i64>,
}

impl IncidentQuery {
    /// The query string for these filters at another offset.
    pub fn to_query_string(&self, offset: i64) -> String {
        let mut parts = Vec::new();
        let mut push = |k: &str, v: &Option<String>| {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                parts.push(format!("{k}={}", encode(v)));
            }
        };
        push("status", &self.status);
        push("severity", &self.severity);
        push("service", &self.service);
        push("tag", &self.tag);
        push("q", &self.q);
        push("sort", &self.sort);
        if let Some(limit) = self.limit {
            parts.push(format!("limit={limit}"));
        }
        if offset > 0 {
            parts.push(format!("offset={offset}"));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

/// Percent-encodes a query-string value.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The default order: newest first.
pub const DEFAULT_SORT: &str = "-started";

/// How many incidents match the other filters, by status and by severity.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListCounts {
    pub by_status: Vec<(String, i64)>,
    pub by_severity: Vec<(String, i64)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentPage {
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
    pub items: Vec<Incident>,
    pub counts: ListCounts,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_string_keeps_filters_and_encodes() {
        let q = IncidentQuery {
            service: Some("checkout api".into()),
            q: Some("50%_off".into()),
            ..Default::default()
        };
        assert_eq!(
            q.to_query_string(25),
            "?service=checkout%20api&q=50%25_off&offset=25"
        );
        assert_eq!(IncidentQuery::default().to_query_string(0), "");
    }
}
