//! Parsing list filters from query parameters.
use app::domain::{Severity, Status, parse_labels};
use app::model::{DEFAULT_PAGE_SIZE, DEFAULT_SORT, IncidentQuery, MAX_PAGE_SIZE};

use super::ServiceError;
use super::problems::Problems;
use crate::store::{IncidentFilter, SortKey};

const MAX_QUERY_CHARS: usize = 500;
const MAX_WORDS: usize = 12;
const MAX_OFFSET: i64 = 10_000_000;

fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn one_label(text: &str) -> Result<String, String> {
    parse_labels(&[text])?
        .into_iter()
        .next()
        .ok_or_else(|| "must not be empty".to_string())
}

/// `severity` sorts ascending, `-severity` descending.
fn parse_sort(text: &str) -> Result<(SortKey, bool), String> {
    let (descending, column) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let key = match column {
        "started" => SortKey::Started,
        "severity" => SortKey::Severity,
        "status" => SortKey::Status,
        "id" => SortKey::Id,
        "title" => SortKey::Title,
        _ => {
            return Err(
                "use started, severity, status, id or title, with a leading - for descending"
                    .into(),
            );
        }
    };
    Ok((key, descending))
}

pub fn parse(q: &IncidentQuery) -> Result<IncidentFilter, ServiceError> {
    let mut p = Problems::default();
    let statuses = match blank(&q.status) {
        None => vec![],
        Some("open") => Status::ALL.into_iter().filter(|s| s.is_active()).collect(),
        Some(s) => p
            .check(
                "status",
                Status::parse(s).map_err(|e| format!("{e}, or open")),
            )
            .into_iter()
            .collect(),
    };
    let severity = blank(&q.severity).and_then(|s| p.check("severity", Severity::parse(s)));
    let service = blank(&q.service).and_then(|s| p.check("service", one_label(s)));
    let tag = blank(&q.tag).and_then(|s| p.check("tag", one_label(s)));
    let text = blank(&q.q).unwrap_or_default();
    if text.chars().count() > MAX_QUERY_CHARS || text.contains('\0') {
        p.add(
            "q",
            format!("is too long or contains NUL: at most {MAX_QUERY_CHARS} characters"),
        );
    }
    let words: Vec<String> = text
        .split_whitespace()
        .take(MAX_WORDS)
        .map(str::to_string)
        .collect();
    let (sort, descending) = p
        .check("sort", parse_sort(blank(&q.sort).unwrap_or(DEFAULT_SORT)))
        .unwrap_or_default();
    let limit = q.limit.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(1..=MAX_PAGE_SIZE).contains(&limit) {
        p.add("limit", format!("must be between 1 and {MAX_PAGE_SIZE}"));
    }
    let offset = q.offset.unwrap_or(0);
    if !(0..=MAX_OFFSET).contains(&offset) {
        p.add("offset", format!("must be between 0 and {MAX_OFFSET}"));
    }
    p.finish()?;
    Ok(IncidentFilter {
        statuses,
        severity,
        service,
        tag,
        words,
        sort,
        descending,
        limit,
        offset,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(q: IncidentQuery) -> Vec<String> {
        match parse(&q) {
            Err(ServiceError::Invalid(f)) => f.into_iter().map(|f| f.field).collect(),
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn open_means_the_active_statuses() {
        let f = parse(&IncidentQuery {
            status: Some("open".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            f.statuses,
            vec![
                Status::Investigating,
                Status::Identified,
                Status::Monitoring
            ]
        );
        assert_eq!(f.limit, DEFAULT_PAGE_SIZE);
    }

    #[test]
    fn bad_filters_are_named() {
        assert_eq!(
            fields(IncidentQuery {
                severity: Some("SEV9".into()),
                ..Default::default()
            }),
            vec!["severity"]
        );
        assert_eq!(
            fields(IncidentQuery {
                status: Some("closed".into()),
                limit: Some(0),
                ..Default::default()
            }),
            vec!["status", "limit"]
        );
        assert_eq!(
            fields(IncidentQuery {
                offset: Some(-1),
                ..Default::default()
            }),
            vec!["offset"]
        );
        assert_eq!(
            fields(IncidentQuery {
                q: Some("x".repeat(501)),
                ..Default::default()
            }),
            vec!["q"]
        );
    }

    #[test]
    fn sort_defaults_to_newest_and_rejects_unknown_columns() {
        let f = parse(&IncidentQuery::default()).unwrap();
        assert_eq!((f.sort, f.descending), (SortKey::Started, true));
        let f = parse(&IncidentQuery {
            sort: Some("severity".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!((f.sort, f.descending), (SortKey::Severity, false));
        assert_eq!(
            fields(IncidentQuery {
                sort: Some("started_at; DROP TABLE incidents".into()),
                ..Default::default()
            }),
            vec!["sort"]
        );
    }

    #[test]
    fn wildcards_stay_literal_words() {
        let f = parse(&IncidentQuery {
            q: Some(" 50%  a_b ".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(f.words, vec!["50%", "a_b"]);
    }
}
