//! What every backend's `insight_cells.rs` shares: which selections the
//! trigger-kept month cells can answer, how a time range splits into the
//! whole months they answer and the cut edges the incident rows answer,
//! and how the summed causes are ranked.
use std::collections::HashMap;

use app::model::RankedCause;
use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::store::InsightFilter;

/// What a ranking groups incidents by.
#[derive(Debug, Clone, Copy)]
pub(in crate::store) enum Cause {
    Factor,
    Service,
}

/// A time range cut into the whole months the cells answer (`YYYY-MM`,
/// from inclusive, to exclusive, either open) and the partial months at
/// its edges, which the rows answer.
#[derive(Debug, PartialEq)]
pub(in crate::store) struct MonthSplit {
    pub whole: Option<(Option<String>, Option<String>)>,
    pub edges: Vec<TimeRange>,
}

/// `[from, to)`, either end open.
pub(in crate::store) type TimeRange = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

fn month_start(year: i32, month: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(year, month, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// The first instant of the month `t` is in.
fn floor_month(t: DateTime<Utc>) -> DateTime<Utc> {
    month_start(t.year(), t.month())
}

/// The first instant of a month at or after `t`.
fn ceil_month(t: DateTime<Utc>) -> DateTime<Utc> {
    let floor = floor_month(t);
    if floor == t {
        return floor;
    }
    let (y, m) = if t.month() == 12 {
        (t.year() + 1, 1)
    } else {
        (t.year(), t.month() + 1)
    };
    month_start(y, m)
}

/// The month `t` is in, as `YYYY-MM` (the cells' `month`, the incidents'
/// `began_month`).
pub(in crate::store) fn label(t: DateTime<Utc>) -> String {
    t.format("%Y-%m").to_string()
}

impl MonthSplit {
    pub(in crate::store) fn of(
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> MonthSplit {
        let first = from.map(ceil_month);
        let end = to.map(floor_month);
        if let (Some(a), Some(b)) = (first, end)
            && a >= b
        {
            return MonthSplit {
                whole: None,
                edges: vec![(from, to)],
            };
        }
        let mut edges = Vec::new();
        if let (Some(from), Some(a)) = (from, first)
            && from < a
        {
            edges.push((Some(from), Some(a)));
        }
        if let (Some(to), Some(b)) = (to, end)
            && b < to
        {
            edges.push((Some(b), Some(to)));
        }
        MonthSplit {
            whole: Some((first.map(label), end.map(label))),
            edges,
        }
    }
}

/// Whether `filter` names its incidents by service, tag or factor.
pub(in crate::store) fn names_incidents(filter: &InsightFilter) -> bool {
    filter.service.is_some() || filter.tag.is_some() || filter.factor.is_some()
}

/// Whether the cells can answer `filter`: they hold month and severity only.
pub(in crate::store) fn cells_answer(filter: &InsightFilter) -> bool {
    !names_incidents(filter) && filter.resolved_in.is_none()
}

/// Incidents and impact (seconds) by cause name.
pub(in crate::store) type Sums = HashMap<String, (i64, i64)>;

/// The most frequent first, then the most impact, then by name.
pub(in crate::store) fn top(sums: Sums, limit: i64) -> Vec<RankedCause> {
    let mut ranked: Vec<(String, (i64, i64))> = sums.into_iter().filter(|(_, v)| v.0 > 0).collect();
    ranked.sort_by(|(a, (an, ai)), (b, (bn, bi))| bn.cmp(an).then(bi.cmp(ai)).then(a.cmp(b)));
    ranked
        .into_iter()
        .take(limit.max(0) as usize)
        .map(|(name, (count, impact_s))| RankedCause {
            name,
            count,
            impact_minutes: (impact_s as f64 / 60.0).round() as i64,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn no_range_is_every_month_from_the_cells() {
        let split = MonthSplit::of(None, None);
        assert_eq!(split.whole, Some((None, None)));
        assert!(split.edges.is_empty());
    }

    #[test]
    fn a_range_on_month_starts_has_no_edges() {
        let split = MonthSplit::of(
            Some(at("2025-03-01T00:00:00Z")),
            Some(at("2025-06-01T00:00:00Z")),
        );
        assert_eq!(
            split.whole,
            Some((Some("2025-03".into()), Some("2025-06".into())))
        );
        assert!(split.edges.is_empty());
    }

    #[test]
    fn a_range_cutting_months_reads_its_edges_from_rows() {
        let from = at("2025-03-15T10:00:00Z");
        let to = at("2025-12-20T00:00:00Z");
        let split = MonthSplit::of(Some(from), Some(to));
        assert_eq!(
            split.whole,
            Some((Some("2025-04".into()), Some("2025-12".into())))
        );
        assert_eq!(
            split.edges,
            vec![
                (Some(from), Some(at("2025-04-01T00:00:00Z"))),
                (Some(at("2025-12-01T00:00:00Z")), Some(to)),
            ]
        );
    }

    #[test]
    fn a_range_inside_one_month_is_read_from_rows() {
        let from = at("2025-12-02T00:00:00Z");
        let to = at("2026-01-01T00:00:00Z");
        let split = MonthSplit::of(Some(from), Some(to));
        assert_eq!(split.whole, None);
        assert_eq!(split.edges, vec![(Some(from), Some(to))]);
    }

    #[test]
    fn an_open_end_keeps_the_whole_months_open() {
        let from = at("2025-12-31T23:00:00Z");
        let split = MonthSplit::of(Some(from), None);
        assert_eq!(split.whole, Some((Some("2026-01".into()), None)));
        assert_eq!(
            split.edges,
            vec![(Some(from), Some(at("2026-01-01T00:00:00Z")))]
        );
    }
}
