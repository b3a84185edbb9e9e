//! The recurring-cause rankings: whole months from the trigger-kept
//! summary cells of migration 0009, and only the part of a time range that
//! cuts a month (or a selection the cells cannot answer: a service, tag or
//! factor) from the incident rows.
use std::collections::HashMap;

use app::model::RankedCause;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use super::SqliteStore;
use super::insight_query::Bind;
use super::insights::EXCLUDED;
use crate::store::{InsightFilter, StoreError};

/// What a ranking groups incidents by.
#[derive(Debug, Clone, Copy)]
pub(super) enum Cause {
    Factor,
    Service,
}

impl Cause {
    /// Sums of the cells of months in `[from, to)`, by name.
    fn cells_sql(self, conditions: &str) -> String {
        match self {
            Cause::Factor => format!(
                "SELECT t.name AS name, sum(c.n) AS count, sum(c.impact_s) AS impact_s
                 FROM factor_cells c JOIN factor_taxonomy t ON t.id = c.factor_id
                 WHERE c.n <> 0{conditions} GROUP BY t.name"
            ),
            Cause::Service => format!(
                "SELECT c.service AS name, sum(c.n) AS count, sum(c.impact_s) AS impact_s
                 FROM service_cells c WHERE c.n <> 0{conditions} GROUP BY c.service"
            ),
        }
    }

    /// The same sums from the incident rows, for the conditions on `i.`.
    fn rows_sql(self, conditions: &str, walk: Walk) -> String {
        let incidents = match walk {
            Walk::Named => "incidents i INDEXED BY incidents_facts",
            Walk::Cut | Walk::Every => "incidents i INDEXED BY incidents_insights",
        };
        let (join, name) = match self {
            Cause::Factor => (
                "JOIN incident_factors f ON f.incident_id = i.id JOIN factor_taxonomy t ON t.id = f.factor_id",
                "t.name",
            ),
            Cause::Service => (
                "JOIN incident_services s ON s.incident_id = i.id",
                "s.service",
            ),
        };
        format!(
            "SELECT {name} AS name, count(*) AS count, coalesce(sum(i.impact_s), 0) AS impact_s
             FROM {incidents} {join} WHERE i.status NOT IN {EXCLUDED}{conditions} GROUP BY {name}"
        )
    }
}

/// A time range cut into the whole months the cells answer (`YYYY-MM`,
/// from inclusive, to exclusive, either open) and the partial months at
/// its edges, which the rows answer.
#[derive(Debug, PartialEq)]
pub(super) struct MonthSplit {
    pub whole: Option<(Option<String>, Option<String>)>,
    pub edges: Vec<TimeRange>,
}

/// `[from, to)`, either end open.
type TimeRange = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

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

fn label(t: DateTime<Utc>) -> String {
    t.format("%Y-%m").to_string()
}

impl MonthSplit {
    pub(super) fn of(from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> MonthSplit {
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

/// How a row query meets its incidents, for choosing its index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Walk {
    /// The part of a range that cuts a month: its conditions bound
    /// `began_month`, so an index that starts with it walks only that part.
    Cut,
    /// A service, tag or factor names the incidents: the planner starts
    /// from those ids (no index hint).
    Named,
    /// Any other selection the cells cannot answer: every row is walked.
    Every,
}

/// Whether `filter` names its incidents by service, tag or factor.
pub(super) fn names_incidents(filter: &InsightFilter) -> bool {
    filter.service.is_some() || filter.tag.is_some() || filter.factor.is_some()
}

/// Whether the cells can answer `filter`: they hold month and severity only.
fn cells_answer(filter: &InsightFilter) -> bool {
    !names_incidents(filter) && filter.resolved_in.is_none()
}

type Sums = HashMap<String, (i64, i64)>;

fn add_rows(sums: &mut Sums, rows: &[SqliteRow]) -> Result<(), StoreError> {
    for row in rows {
        let entry = sums.entry(row.try_get("name")?).or_default();
        entry.0 += row.try_get::<i64, _>("count")?;
        entry.1 += row.try_get::<i64, _>("impact_s")?;
    }
    Ok(())
}

/// The most frequent first, then the most impact, then by name.
fn top(sums: Sums, limit: i64) -> Vec<RankedCause> {
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

impl SqliteStore {
    /// Rows of `cells_sql` for the whole months of the filter's range and
    /// of `rows_sql` for its cut edges, or of `rows_sql` alone when the
    /// cells cannot answer the filter. Both get their `AND …` conditions
    /// (on the cells `c`, or on the incidents `on`); `rows_sql` also learns
    /// how it meets its incidents ([`Walk`]), to choose its index.
    pub(super) async fn cells_and_rows(
        &self,
        filter: &InsightFilter,
        on: &str,
        cells_sql: impl Fn(&str) -> String,
        rows_sql: impl Fn(&str, Walk) -> String,
    ) -> Result<Vec<SqliteRow>, StoreError> {
        if !cells_answer(filter) {
            let walk = if names_incidents(filter) {
                Walk::Named
            } else {
                Walk::Every
            };
            return self
                .fetch_where_on(filter, on, |c| rows_sql(c, walk), Vec::new())
                .await;
        }
        let split = MonthSplit::of(filter.from, filter.to);
        let mut rows = Vec::new();
        if let Some((from, to)) = &split.whole {
            let (sql, binds) = cell_conditions(filter, from, to);
            rows.extend(self.run(&cells_sql(&sql), binds).await?);
        }
        for (from, to) in split.edges {
            let edge = InsightFilter {
                from,
                to,
                ..filter.clone()
            };
            let months = [from, to].map(|t| Bind::Text(t.map(label).unwrap_or_default()));
            let bounded = |c: &str| {
                let c = format!("{c} AND {on}began_month >= ? AND {on}began_month <= ?");
                rows_sql(&c, Walk::Cut)
            };
            rows.extend(
                self.fetch_where_on(&edge, on, bounded, months.into())
                    .await?,
            );
        }
        Ok(rows)
    }

    pub(super) async fn cause_ranking(
        &self,
        filter: &InsightFilter,
        cause: Cause,
        limit: i64,
    ) -> Result<Vec<RankedCause>, StoreError> {
        let rows = self
            .cells_and_rows(
                filter,
                "i.",
                |c| cause.cells_sql(c),
                |c, walk| cause.rows_sql(c, walk),
            )
            .await?;
        let mut sums = Sums::new();
        add_rows(&mut sums, &rows)?;
        Ok(top(sums, limit))
    }
}

/// `AND …` conditions on the cells `c` for whole months `[from, to)`.
fn cell_conditions(
    filter: &InsightFilter,
    from: &Option<String>,
    to: &Option<String>,
) -> (String, Vec<Bind>) {
    let mut sql = String::new();
    let mut binds = Vec::new();
    if let Some(from) = from {
        sql.push_str(" AND c.month >= ?");
        binds.push(Bind::Text(from.clone()));
    }
    if let Some(to) = to {
        sql.push_str(" AND c.month < ?");
        binds.push(Bind::Text(to.clone()));
    }
    if let Some(severity) = filter.severity {
        sql.push_str(" AND c.severity = ?");
        binds.push(Bind::Text(severity.as_str().into()));
    }
    (sql, binds)
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
