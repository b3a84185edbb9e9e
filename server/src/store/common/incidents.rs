//! What every backend's `incidents.rs` shares: the columns an
//! [`IncidentWrite`] sets and their values, LIKE patterns, which filter a
//! count ignores, and the counts in display order.
use app::domain::{Milestone, Severity, Status};
use app::model::ListCounts;
use chrono::{DateTime, Utc};

use crate::store::IncidentWrite;

/// The columns an [`IncidentWrite`] sets, in the order `push_values` binds them.
pub(in crate::store) fn write_columns() -> Vec<String> {
    let mut cols: Vec<String> = [
        "title",
        "summary_md",
        "summary_html",
        "severity",
        "status",
        "commander",
        "commander_id",
        "comms_lead",
        "comms_lead_id",
        "customer_impact",
        "repeat_of",
        "duplicate_of",
        "decline_reason",
        "external_id",
    ]
    .map(String::from)
    .to_vec();
    for m in Milestone::ALL {
        let n = m.as_str();
        cols.extend([format!("{n}_at"), format!("{n}_source"), format!("{n}_by")]);
    }
    cols
}

pub(in crate::store) fn write_values(w: &IncidentWrite) -> Vec<Value> {
    let text = |s: &Option<String>| Value::Text(s.clone());
    let mut values = vec![
        Value::Text(Some(w.title.clone())),
        Value::Text(Some(w.summary_md.clone())),
        Value::Text(Some(w.summary_html.clone())),
        Value::Text(Some(w.severity.as_str().into())),
        Value::Text(Some(w.status.as_str().into())),
        text(&w.commander),
        Value::Int(w.commander_id),
        text(&w.comms_lead),
        Value::Int(w.comms_lead_id),
        text(&w.customer_impact),
        Value::Int(w.repeat_of),
        Value::Int(w.duplicate_of),
        text(&w.decline_reason),
        text(&w.external_id),
    ];
    for m in Milestone::ALL {
        let meta = w.milestones.source(m);
        values.push(Value::Time(w.milestones.get(m)));
        values.push(Value::Text(meta.map(|s| s.source.as_str().to_string())));
        values.push(Value::Text(meta.and_then(|s| s.set_by.clone())));
    }
    values
}

pub(in crate::store) enum Value {
    Text(Option<String>),
    Int(Option<i64>),
    Time(Option<DateTime<Utc>>),
}

/// Escapes `%`, `_` and `\` so user text matches literally in LIKE.
pub(in crate::store) fn like_pattern(word: &str) -> String {
    let escaped = word
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The filter a facet count leaves out (its own facet).
#[derive(Clone, Copy, PartialEq)]
pub(in crate::store) enum Ignore {
    Nothing,
    Status,
    Severity,
}

/// `(status, count)` and `(severity, count)` rows in the order of the flow
/// and of severity; values with no incidents are left out.
pub(in crate::store) fn list_counts(
    status_rows: &[(String, i64)],
    severity_rows: &[(String, i64)],
) -> ListCounts {
    let in_order = |rows: &[(String, i64)], order: Vec<&str>| -> Vec<(String, i64)> {
        order
            .into_iter()
            .filter_map(|key| rows.iter().find(|(k, _)| k == key).cloned())
            .collect()
    };
    ListCounts {
        by_status: in_order(
            status_rows,
            Status::ALL.iter().map(|s| s.as_str()).collect(),
        ),
        by_severity: in_order(
            severity_rows,
            Severity::ALL.iter().map(|s| s.as_str()).collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_match_wildcards_literally() {
        assert_eq!(like_pattern("50%_off"), "%50\\%\\_off%");
        assert_eq!(like_pattern("a\\b"), "%a\\\\b%");
    }

    #[test]
    fn write_columns_and_values_line_up() {
        let w = IncidentWrite {
            title: "t".into(),
            summary_md: String::new(),
            summary_html: String::new(),
            severity: Severity::Sev1,
            status: Status::Investigating,
            services: vec![],
            tags: vec![],
            commander: None,
            commander_id: None,
            comms_lead: None,
            comms_lead_id: None,
            customer_impact: None,
            repeat_of: None,
            duplicate_of: None,
            decline_reason: None,
            external_id: None,
            milestones: Default::default(),
        };
        assert_eq!(write_columns().len(), write_values(&w).len());
    }
}
