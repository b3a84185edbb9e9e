//! Insights in PostgreSQL: every figure is an aggregate over the selected
//! incidents, read from the stored generated columns and their indexes
//! (migrations 0008 and 0009) or from the trigger-kept month cells
//! (`insight_cells`). Percentiles come back as the values at a few ranks
//! (`rank_walk`), never as every duration.
//!
//! As on SQLite: a median or percentile is the value at a rank of the
//! ascending order (`ORDER BY … LIMIT 1 OFFSET rank - 1`), and a month's
//! median is the mean of its one or two middle values; `percentile_disc`
//! and `percentile_cont` are not used, so the figures are SQLite's exactly.
use std::collections::BTreeMap;

use app::domain::{Metric, Severity, Status, human_id, median_ranks};
use app::model::{
    ActionMonth, IncidentBrief, IncidentLink, MonthCounts, MonthMedian, RankedCause, RepeatGroup,
};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use sqlx::postgres::PgRow;

use super::PgStore;
use super::insight_cells::{Cause, names_incidents};
use super::insight_query::Bind;
use crate::store::{InsightFilter, InsightStore, SelectionTotals, StoreError, StoredMetric};

pub(super) const EXCLUDED: &str = "('duplicate', 'declined')";
const ACTIVE: &str = "('investigating', 'identified', 'monitoring')";

/// Newest first, as on SQLite, where a missing time sorts last.
const NEWEST_FIRST: &str = "i.began_at DESC NULLS LAST, i.id DESC";

/// A `LIMIT` count; SQLite reads a negative one as no limit.
fn limit_sql(limit: i64) -> String {
    if limit < 0 {
        "ALL".into()
    } else {
        limit.to_string()
    }
}

impl PgStore {
    /// The selected incidents whose status is in `statuses` (an SQL list
    /// constant), newest first.
    async fn briefs_with_status(
        &self,
        filter: &InsightFilter,
        statuses: &str,
        limit: i64,
    ) -> Result<Vec<IncidentBrief>, StoreError> {
        let limit = limit_sql(limit);
        let rows = self
            .fetch_where_on(
                filter,
                "i.",
                |c| {
                    format!(
                        "SELECT i.id, i.title, i.severity, i.status, i.started_at FROM incidents i
                         WHERE i.status IN {statuses}{c} ORDER BY {NEWEST_FIRST} LIMIT {limit}"
                    )
                },
                Vec::new(),
            )
            .await?;
        rows.iter().map(brief).collect()
    }

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
                        "SELECT month, n, avg(ttr_s)::float8 AS median_s FROM (
                           SELECT began_month AS month, ttr_s,
                             row_number() OVER (PARTITION BY began_month ORDER BY ttr_s) AS rn,
                             count(*) OVER (PARTITION BY began_month) AS n
                           FROM incidents WHERE ttr_s IS NOT NULL AND began_at IS NOT NULL{c}) t
                         WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY month, n ORDER BY month"
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

fn brief(row: &PgRow) -> Result<IncidentBrief, StoreError> {
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
impl InsightStore for PgStore {
    async fn metric(
        &self,
        filter: &InsightFilter,
        metric: Metric,
        ranks: &(dyn Fn(u64) -> Vec<u64> + Sync),
    ) -> Result<StoredMetric, StoreError> {
        // `<m>_s` is NULL for excluded incidents and missing timestamps, and
        // `incidents_<m>` holds only the rows where it is not (migration 0008).
        let m = metric.as_str();
        let counts = self
            .cells_and_rows(
                filter,
                "",
                |c| {
                    format!(
                        "SELECT coalesce(sum({m}_n), 0)::bigint AS n, coalesce(sum({m}_sum), 0)::bigint AS sum_s,
                           coalesce(sum({m}_resolved), 0)::bigint AS resolved_with FROM month_cells c WHERE 1 = 1{c}"
                    )
                },
                |c| {
                    format!(
                        "SELECT count(*) AS n, coalesce(sum({m}_s), 0)::bigint AS sum_s,
                           count(*) FILTER (WHERE status = 'resolved') AS resolved_with
                         FROM incidents WHERE {m}_s IS NOT NULL{c}"
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
        let wanted: Vec<i64> = wanted
            .into_iter()
            .filter_map(|r| i64::try_from(r).ok())
            .collect();
        let rows = self
            .fetch_where(
                filter,
                |c| {
                    format!(
                        "SELECT rn, s FROM (SELECT {m}_s AS s, row_number() OVER (ORDER BY {m}_s) AS rn
                           FROM incidents WHERE {m}_s IS NOT NULL{c}) t
                         WHERE rn = ANY($1) ORDER BY rn"
                    )
                },
                vec![Bind::Ints(wanted)],
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
                        "SELECT coalesce(sum(incidents), 0)::bigint AS total, coalesce(sum(resolved), 0)::bigint AS resolved,
                           coalesce(sum(impact_s), 0)::bigint AS impact_s FROM month_cells c WHERE 1 = 1{c}"
                    )
                },
                |c| {
                    format!(
                        "SELECT count(*) AS total, count(*) FILTER (WHERE status = 'resolved') AS resolved,
                           coalesce(sum(CASE WHEN status NOT IN {EXCLUDED} THEN impact_s END), 0)::bigint AS impact_s
                         FROM incidents WHERE 1 = 1{c}"
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
                |c| {
                    format!(
                        "SELECT began_month AS month, severity, count(*) AS n
                         FROM incidents
                         WHERE status NOT IN {EXCLUDED} AND began_at IS NOT NULL{c}
                         GROUP BY began_month, severity"
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
        // the order (month, TTR) of `incidents_ttr_month`.
        let rows = self
            .cells_and_rows(
                filter,
                "",
                |c| {
                    format!(
                        "SELECT month, sum(ttr_n)::bigint AS n FROM month_cells c
                         WHERE ttr_n <> 0 AND month <> ''{c} GROUP BY month"
                    )
                },
                |c| {
                    format!(
                        "SELECT began_month AS month, count(*) AS n FROM incidents
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
                            "SELECT ttr_s AS s FROM incidents
                             WHERE ttr_s IS NOT NULL{c} AND began_month = $1 ORDER BY ttr_s LIMIT $2 OFFSET $3"
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
        let limit = limit_sql(limit);
        let originals = self
            .fetch_where(
                filter,
                |c| {
                    format!(
                        "SELECT repeat_of, count(*) AS n FROM incidents
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
        let rows = self
            .fetch_where_on(
                filter,
                "i.",
                |c| {
                    format!(
                        "SELECT i.id, i.title, o.id AS original_id, o.title AS original_title
                         FROM incidents o JOIN incidents i ON i.repeat_of = o.id
                         WHERE 1 = 1{c} AND o.id = ANY($1) ORDER BY o.id, i.id"
                    )
                },
                vec![Bind::Ints(ids.clone())],
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
        // `$1` is today; both halves read the same condition parameters.
        let rows = self
            .fetch_where_on(
                filter,
                on,
                |c| {
                    format!(
                        "SELECT month, sum(completed)::bigint AS completed, sum(overdue)::bigint AS overdue FROM (
                           SELECT a.done_month AS month, count(*) AS completed, 0::bigint AS overdue
                             FROM action_items a {join}
                             WHERE a.status = 'done' AND a.first_done_at IS NOT NULL{c} GROUP BY a.done_month
                           UNION ALL
                           SELECT a.due_month, 0::bigint, count(*)
                             FROM action_items a {join}
                             WHERE a.due_on IS NOT NULL AND a.due_on < $1 AND a.status <> 'wont_do'
                               AND (a.first_done_at IS NULL
                                    OR (a.first_done_at AT TIME ZONE 'UTC')::date > a.due_on){c}
                             GROUP BY a.due_month) t
                         GROUP BY month ORDER BY month"
                    )
                },
                vec![Bind::Date(today)],
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
        let limit = limit_sql(limit);
        let rows = self
            .fetch_where_on(
                filter,
                "i.",
                |c| {
                    format!(
                        "SELECT i.id, i.title FROM incidents i
                         WHERE i.status NOT IN {EXCLUDED}{c} ORDER BY {NEWEST_FIRST} LIMIT {limit}"
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
            sqlx::query_scalar("SELECT coalesce(max(id), 0)::bigint FROM audit_log")
                .fetch_one(&self.pool)
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
             WHERE declared_at >= $1 AND declared_at < $2 ORDER BY declared_at, id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(brief).collect()
    }
}
