//! Insights in SQLite: every figure is an aggregate over the selected
//! incidents, read from covering indexes (migrations 0008 and 0009) or
//! from the trigger-kept month cells (`insight_cells`). Percentiles come
//! back as the values at a few ranks (`rank_walk`), never as every duration.
use std::collections::BTreeMap;

use app::domain::{Metric, Severity, Status, human_id, median_ranks};
use app::model::{
    ActionMonth, IncidentBrief, IncidentLink, MonthCounts, MonthMedian, RankedCause, RepeatGroup,
};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use super::SqliteStore;
use super::insight_cells::{Cause, Walk, names_incidents};
use super::insight_query::{Bind, conditions};
use crate::store::{InsightFilter, InsightStore, SelectionTotals, StoreError, StoredMetric};

pub(super) const EXCLUDED: &str = "('duplicate', 'declined')";
const ACTIVE: &str = "('investigating', 'identified', 'monitoring')";

impl SqliteStore {
    /// The selected incidents whose status is in `statuses` (an SQL list
    /// constant), newest first.
    async fn briefs_with_status(
        &self,
        filter: &InsightFilter,
        statuses: &str,
        limit: i64,
    ) -> Result<Vec<IncidentBrief>, StoreError> {
        let incidents = newest_first(filter);
        let rows = self
            .fetch_where_on(
                filter,
                "i.",
                |c| {
                    format!(
                        "SELECT i.id, i.title, i.severity, i.status, i.started_at FROM {incidents}
                         WHERE i.status IN {statuses}{c} ORDER BY i.began_at DESC, i.id DESC LIMIT {limit}"
                    )
                },
                Vec::new(),
            )
            .await?;
        rows.iter().map(brief).collect()
    }
}

/// The incidents table read through `incidents_insights` (by month), or
/// by id when a service, tag or factor names the incidents.
fn by_month(walk: Walk) -> &'static str {
    match walk {
        Walk::Named => BY_ID,
        Walk::Cut | Walk::Every => "incidents INDEXED BY incidents_insights",
    }
}

/// The incidents a service, tag or factor names, looked up by id in an
/// index that holds what the filters and counts read (not the row).
const BY_ID: &str = "incidents INDEXED BY incidents_facts";

/// The incidents newest first: walked in `incidents_recent` until enough
/// match, or looked up by id when the filter names them.
fn newest_first(filter: &InsightFilter) -> &'static str {
    if names_incidents(filter) {
        "incidents i INDEXED BY incidents_facts"
    } else {
        "incidents i INDEXED BY incidents_recent"
    }
}

impl SqliteStore {
    /// The monthly median TTR of the few incidents a service, tag or
    /// factor names: their durations numbered within each month, and the
    /// middle one or two averaged, in one query.
    async fn ttr_trend_numbered(
        &self,
        filter: &InsightFilter,
    ) -> Result<Vec<MonthMedian>, StoreError> {
        let rows = self
            .fetch_where(
                filter,
                |c| {
                    format!(
                        "SELECT month, n, avg(ttr_s) AS median_s FROM (
                           SELECT substr(began_at, 1, 7) AS month, ttr_s,
                             row_number() OVER (PARTITION BY substr(began_at, 1, 7) ORDER BY ttr_s) AS rn,
                             count(*) OVER (PARTITION BY substr(began_at, 1, 7)) AS n
                           FROM {BY_ID} WHERE ttr_s IS NOT NULL AND began_at IS NOT NULL{c})
                         WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY month ORDER BY month"
                    )
                },
                Vec::new(),
            )
            .await?;
        rows.iter()
            .map(|row| {
                Ok(MonthMedian {
                    month: row.try_get("month")?,
                    n: row.try_get("n")?,
                    median_s: row.try_get("median_s")?,
                })
            })
            .collect()
    }
}

fn brief(row: &SqliteRow) -> Result<IncidentBrief, StoreError> {
    let id: i64 = row.try_get("id")?;
    let severity: String = row.try_get("severity")?;
    let status: String = row.try_get("status")?;
    let corrupt = |c: &str, e: String| {
        StoreError::Database(sqlx::Error::ColumnDecode {
            index: c.into(),
            source: e.into(),
        })
    };
    Ok(IncidentBrief {
        id,
        human_id: human_id(id),
        title: row.try_get("title")?,
        severity: Severity::parse(&severity).map_err(|e| corrupt("severity", e))?,
        status: Status::parse(&status).map_err(|e| corrupt("status", e))?,
        started_at: row.try_get("started_at")?,
    })
}

#[async_trait::async_trait]
impl InsightStore for SqliteStore {
    async fn metric(
        &self,
        filter: &InsightFilter,
        metric: Metric,
        ranks: &(dyn Fn(u64) -> Vec<u64> + Sync),
    ) -> Result<StoredMetric, StoreError> {
        // `<m>_s` is NULL for excluded incidents and missing timestamps, and
        // `incidents_<m>` holds only the rows where it is not (migration 0008).
        let m = metric.as_str();
        let metric_index = format!("incidents INDEXED BY incidents_{m}");
        let counts = self
            .cells_and_rows(
                filter,
                "",
                |c| {
                    format!(
                        "SELECT coalesce(sum({m}_n), 0) AS n, coalesce(sum({m}_sum), 0) AS sum_s,
                           coalesce(sum({m}_resolved), 0) AS resolved_with FROM month_cells c WHERE 1 = 1{c}"
                    )
                },
                |c, walk| {
                    let incidents = match walk {
                        Walk::Cut => "incidents INDEXED BY incidents_insights",
                        Walk::Named => BY_ID,
                        Walk::Every => &metric_index,
                    };
                    format!(
                        "SELECT count(*) AS n, coalesce(sum({m}_s), 0) AS sum_s,
                           coalesce(sum(status = 'resolved'), 0) AS resolved_with
                         FROM {incidents} WHERE {m}_s IS NOT NULL{c}"
                    )
                },
            )
            .await?;
        let mut out = StoredMetric::default();
        for row in &counts {
            out.n += row.try_get::<i64, _>("n")?.max(0) as u64;
            out.sum_s += row.try_get::<i64, _>("sum_s")?;
            out.resolved_with += row.try_get::<i64, _>("resolved_with")?.max(0) as u64;
        }
        let n = out.n as i64;
        let mut wanted = ranks(n as u64);
        wanted.sort_unstable();
        wanted.dedup();
        // A service, tag or factor names few incidents: numbering them is
        // cheaper than walking the whole index past the others.
        if !names_incidents(filter)
            && let Some(ranked) = self.walk_ranks(filter, m, &wanted).await?
        {
            out.ranked = ranked;
            return Ok(out);
        }
        let incidents = if names_incidents(filter) {
            BY_ID
        } else {
            &metric_index
        };
        let wanted = serde_json::to_string(&wanted).unwrap_or_else(|_| "[]".into());
        let rows = self
            .fetch_where(
                filter,
                |c| {
                    format!(
                        "SELECT rn, s FROM (SELECT {m}_s AS s, row_number() OVER (ORDER BY {m}_s) AS rn
                           FROM {incidents} WHERE {m}_s IS NOT NULL{c})
                         WHERE rn IN (SELECT value FROM json_each(?)) ORDER BY rn"
                    )
                },
                vec![Bind::Text(wanted)],
            )
            .await?;
        out.ranked = rows
            .iter()
            .map(|r| Ok((r.try_get::<i64, _>("rn")? as u64, r.try_get("s")?)))
            .collect::<Result<_, sqlx::Error>>()?;
        Ok(out)
    }

    async fn selection_totals(
        &self,
        filter: &InsightFilter,
    ) -> Result<SelectionTotals, StoreError> {
        let rows = self
            .cells_and_rows(
                filter,
                "",
                |c| {
                    format!(
                        "SELECT coalesce(sum(incidents), 0) AS total, coalesce(sum(resolved), 0) AS resolved,
                           coalesce(sum(impact_s), 0) AS impact_s FROM month_cells c WHERE 1 = 1{c}"
                    )
                },
                |c, walk| {
                    let incidents = by_month(walk);
                    format!(
                        "SELECT count(*) AS total, coalesce(sum(status = 'resolved'), 0) AS resolved,
                           coalesce(sum(CASE WHEN status NOT IN {EXCLUDED} THEN impact_s END), 0) AS impact_s
                         FROM {incidents} WHERE 1 = 1{c}"
                    )
                },
            )
            .await?;
        let mut totals = SelectionTotals::default();
        for row in &rows {
            totals.incidents += row.try_get::<i64, _>("total")?;
            totals.resolved += row.try_get::<i64, _>("resolved")?;
            totals.impact_s += row.try_get::<i64, _>("impact_s")?;
        }
        Ok(totals)
    }

    async fn open_incidents(
        &self,
        filter: &InsightFilter,
        limit: i64,
    ) -> Result<Vec<IncidentBrief>, StoreError> {
        self.briefs_with_status(filter, ACTIVE, limit).await
    }

    async fn excluded_incidents(
        &self,
        filter: &InsightFilter,
        limit: i64,
    ) -> Result<Vec<IncidentBrief>, StoreError> {
        self.briefs_with_status(filter, EXCLUDED, limit).await
    }

    async fn factor_ranking(
        &self,
        filter: &InsightFilter,
        limit: i64,
    ) -> Result<Vec<RankedCause>, StoreError> {
        self.cause_ranking(filter, Cause::Factor, limit).await
    }

    async fn service_ranking(
        &self,
        filter: &InsightFilter,
        limit: i64,
    ) -> Result<Vec<RankedCause>, StoreError> {
        self.cause_ranking(filter, Cause::Service, limit).await
    }

    async fn per_month(&self, filter: &InsightFilter) -> Result<Vec<MonthCounts>, StoreError> {
        let rows = self
            .cells_and_rows(
                filter,
                "",
                |c| {
                    format!(
                        "SELECT month, severity, counted AS n FROM month_cells c
                         WHERE counted <> 0 AND month <> ''{c}"
                    )
                },
                |c, walk| {
                    let incidents = by_month(walk);
                    format!(
                        "SELECT substr(began_at, 1, 7) AS month, severity, count(*) AS n
                         FROM {incidents}
                         WHERE status NOT IN {EXCLUDED} AND began_at IS NOT NULL{c}
                         GROUP BY 1, severity"
                    )
                },
            )
            .await?;
        let mut months: BTreeMap<String, [i64; 4]> = BTreeMap::new();
        for row in &rows {
            let severity: String = row.try_get("severity")?;
            let slot = Severity::ALL
                .iter()
                .position(|s| s.as_str() == severity)
                .unwrap_or(3);
            months.entry(row.try_get("month")?).or_default()[slot] += row.try_get::<i64, _>("n")?;
        }
        Ok(months
            .into_iter()
            .map(|(month, by_severity)| MonthCounts { month, by_severity })
            .collect())
    }

    async fn ttr_trend(&self, filter: &InsightFilter) -> Result<Vec<MonthMedian>, StoreError> {
        if names_incidents(filter) {
            return self.ttr_trend_numbered(filter).await;
        }
        // Counts per month, then each month's middle value(s) by position in
        // the index ordered by (month, TTR): no sort, no window function.
        let rows = self
            .cells_and_rows(
                filter,
                "",
                |c| {
                    format!(
                        "SELECT month, sum(ttr_n) AS n FROM month_cells c
                         WHERE ttr_n <> 0 AND month <> ''{c} GROUP BY month"
                    )
                },
                |c, walk| {
                    let incidents = match walk {
                        Walk::Named => BY_ID,
                        Walk::Cut | Walk::Every => "incidents INDEXED BY incidents_ttr_month",
                    };
                    format!(
                        "SELECT began_month AS month, count(*) AS n FROM {incidents}
                         WHERE ttr_s IS NOT NULL AND began_month IS NOT NULL{c} GROUP BY began_month"
                    )
                },
            )
            .await?;
        let mut months: BTreeMap<String, i64> = BTreeMap::new();
        for row in &rows {
            *months.entry(row.try_get("month")?).or_default() += row.try_get::<i64, _>("n")?;
        }
        let mut trend = Vec::with_capacity(months.len());
        for (month, n) in months {
            let (first, last) = median_ranks(n as u64).ok_or(StoreError::NotFound)?;
            let middle = self
                .fetch_where(
                    filter,
                    |c| {
                        format!(
                            "SELECT ttr_s AS s FROM incidents INDEXED BY incidents_ttr_month
                             WHERE ttr_s IS NOT NULL{c} AND began_month = ? ORDER BY ttr_s LIMIT ? OFFSET ?"
                        )
                    },
                    vec![
                        Bind::Text(month.clone()),
                        Bind::Int((last - first + 1) as i64),
                        Bind::Int(first as i64 - 1),
                    ],
                )
                .await?;
            let values = middle
                .iter()
                .map(|r| r.try_get::<i64, _>("s"))
                .collect::<Result<Vec<_>, _>>()?;
            if values.is_empty() {
                continue;
            }
            trend.push(MonthMedian {
                month,
                n,
                median_s: values.iter().sum::<i64>() as f64 / values.len() as f64,
            });
        }
        Ok(trend)
    }

    async fn repeat_groups(
        &self,
        filter: &InsightFilter,
        limit: i64,
    ) -> Result<Vec<RepeatGroup>, StoreError> {
        // The incidents repeated most often first, counted in the index of
        // repeats; then the titles of those groups only.
        let originals = self
            .fetch_where(
                filter,
                |c| {
                    format!(
                        "SELECT repeat_of, count(*) AS n FROM incidents INDEXED BY incidents_repeats
                         WHERE repeat_of IS NOT NULL{c} GROUP BY repeat_of ORDER BY n DESC, repeat_of LIMIT {limit}"
                    )
                },
                Vec::new(),
            )
            .await?;
        let ids = originals
            .iter()
            .map(|r| r.try_get::<i64, _>("repeat_of"))
            .collect::<Result<Vec<_>, _>>()?;
        let wanted = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into());
        let rows = self
            .fetch_where_on(
                filter,
                "i.",
                |c| {
                    format!(
                        "SELECT i.id, i.title, o.id AS original_id, o.title AS original_title
                         FROM incidents o JOIN incidents i INDEXED BY incidents_repeats ON i.repeat_of = o.id
                         WHERE 1 = 1{c} AND o.id IN (SELECT value FROM json_each(?)) ORDER BY o.id, i.id"
                    )
                },
                vec![Bind::Text(wanted)],
            )
            .await?;
        let mut groups: Vec<RepeatGroup> = Vec::with_capacity(ids.len());
        for row in &rows {
            let original: i64 = row.try_get("original_id")?;
            if groups.last().is_none_or(|g| g.original.id != original) {
                groups.push(RepeatGroup {
                    original: IncidentLink {
                        id: original,
                        human_id: human_id(original),
                        title: row.try_get("original_title")?,
                    },
                    repeats: Vec::new(),
                });
            }
            let id: i64 = row.try_get("id")?;
            if let Some(group) = groups.last_mut() {
                group.repeats.push(IncidentLink {
                    id,
                    human_id: human_id(id),
                    title: row.try_get("title")?,
                });
            }
        }
        // Most repeats first; ties by the original's id, as counted.
        groups.sort_by_key(|g| std::cmp::Reverse(g.repeats.len()));
        Ok(groups)
    }

    async fn action_months(
        &self,
        filter: &InsightFilter,
        today: NaiveDate,
    ) -> Result<Vec<ActionMonth>, StoreError> {
        // Each item keeps its first 'done' time and its incident's start and
        // severity (migration 0009), so the filter's conditions read
        // `a.incident_began_at`, `a.incident_severity` and `a.incident_id`
        // in the two month indexes; only the digest's resolution window needs the incident.
        let (join, on) = if filter.resolved_in.is_none() {
            ("", "a.incident_")
        } else {
            ("JOIN incidents i ON i.id = a.incident_id", "i.")
        };
        // Items of the incidents a filter names are looked up by incident.
        let (done, due) = if names_incidents(filter) {
            ("", "")
        } else {
            (
                "INDEXED BY action_items_done_by_month",
                "INDEXED BY action_items_due_by_month",
            )
        };
        let mut extra = vec![Bind::Text(today.to_string())];
        extra.extend(conditions(filter, on).1);
        let rows = self
            .fetch_where_on(
                filter,
                on,
                |c| {
                    format!(
                        "SELECT month, sum(completed) AS completed, sum(overdue) AS overdue FROM (
                           SELECT a.done_month AS month, count(*) AS completed, 0 AS overdue
                             FROM action_items a {done} {join}
                             WHERE a.status = 'done' AND a.first_done_at IS NOT NULL{c} GROUP BY a.done_month
                           UNION ALL
                           SELECT a.due_month, 0, count(*)
                             FROM action_items a {due} {join}
                             WHERE a.due_on IS NOT NULL AND a.due_on < ? AND a.status <> 'wont_do'
                               AND (a.first_done_at IS NULL OR substr(a.first_done_at, 1, 10) > a.due_on){c}
                             GROUP BY a.due_month)
                         GROUP BY month ORDER BY month"
                    )
                },
                extra,
            )
            .await?;
        rows.iter()
            .map(|row| {
                Ok(ActionMonth {
                    month: row.try_get("month")?,
                    completed: row.try_get("completed")?,
                    overdue: row.try_get("overdue")?,
                })
            })
            .collect()
    }

    async fn newest_incidents(
        &self,
        filter: &InsightFilter,
        limit: i64,
    ) -> Result<Vec<IncidentLink>, StoreError> {
        let incidents = newest_first(filter);
        let rows = self
            .fetch_where_on(
                filter,
                "i.",
                |c| {
                    format!(
                        "SELECT i.id, i.title FROM {incidents}
                         WHERE i.status NOT IN {EXCLUDED}{c} ORDER BY i.began_at DESC, i.id DESC LIMIT {limit}"
                    )
                },
                Vec::new(),
            )
            .await?;
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                Ok(IncidentLink {
                    id,
                    human_id: human_id(id),
                    title: row.try_get("title")?,
                })
            })
            .collect()
    }

    async fn change_mark(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM audit_log")
                .fetch_one(&self.reader)
                .await?,
        )
    }

    async fn declared_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<IncidentBrief>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, title, severity, status, started_at FROM incidents
             WHERE declared_at >= ? AND declared_at < ? ORDER BY declared_at, id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(brief).collect()
    }
}
