//! The recurring-cause rankings: whole months from the trigger-kept
//! summary cells of migration 0009, and only the part of a time range that
//! cuts a month (or a selection the cells cannot answer: a service, tag or
//! factor) from the incident rows.
use app::model::RankedCause;
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use super::SqliteStore;
use super::insight_query::Bind;
use super::insights::EXCLUDED;
pub(super) use crate::store::common::insight_cells::{Cause, names_incidents};
use crate::store::common::insight_cells::{MonthSplit, Sums, cells_answer, label, top};
use crate::store::{InsightFilter, StoreError};

/// Sums of the cells of months in `[from, to)`, by name.
fn cells_sql(cause: Cause, conditions: &str) -> String {
    match cause {
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
fn rows_sql(cause: Cause, conditions: &str, walk: Walk) -> String {
    let incidents = match walk {
        Walk::Named => "incidents i INDEXED BY incidents_facts",
        Walk::Cut | Walk::Every => "incidents i INDEXED BY incidents_insights",
    };
    let (join, name) = match cause {
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

fn add_rows(sums: &mut Sums, rows: &[SqliteRow]) -> Result<(), StoreError> {
    for row in rows {
        let entry = sums.entry(row.try_get("name")?).or_default();
        entry.0 += row.try_get::<i64, _>("count")?;
        entry.1 += row.try_get::<i64, _>("impact_s")?;
    }
    Ok(())
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
                |c| cells_sql(cause, c),
                |c, walk| rows_sql(cause, c, walk),
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
