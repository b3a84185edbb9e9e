//! Insights in SQLite: every figure is an aggregate over `sel`, the
//! selected incidents, read from the covering index `incidents_metrics`.
//! Percentiles come back as the values at a few ranks (a window function),
//! never as every duration.
use std::collections::BTreeMap;

use app::domain::{Metric, Severity, Status, human_id, median_ranks};
use app::model::{
    ActionMonth, IncidentBrief, IncidentLink, MonthCounts, MonthMedian, RankedCause, RepeatGroup,
};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Row, Sqlite};

use super::SqliteStore;
use crate::store::{InsightFilter, InsightStore, StoreError, StoredMetric};

const EXCLUDED: &str = "('duplicate', 'declined')";
const ACTIVE: &str = "('investigating', 'identified', 'monitoring')";

enum Bind {
    Time(DateTime<Utc>),
    Text(String),
    Int(i64),
}

/// `AND …` conditions on `incidents` for `filter`, and their parameters.
/// They read `began_at`, `severity` and `id`, which every insights index
/// holds, so a filtered query never leaves its index (`resolved_in`, for the
/// weekly digest only, reads the table).
/// `on` is the incidents table's alias with its dot (`i.`), or empty.
fn conditions(filter: &InsightFilter, on: &str) -> (String, Vec<Bind>) {
    let mut sql = String::new();
    let mut binds = Vec::new();
    if let Some(from) = filter.from {
        sql.push_str(&format!(" AND {on}began_at >= ?"));
        binds.push(Bind::Time(from));
    }
    if let Some(to) = filter.to {
        sql.push_str(&format!(" AND {on}began_at < ?"));
        binds.push(Bind::Time(to));
    }
    if let Some(severity) = filter.severity {
        sql.push_str(&format!(" AND {on}severity = ?"));
        binds.push(Bind::Text(severity.as_str().into()));
    }
    if let Some(service) = &filter.service {
        sql.push_str(&format!(
            " AND {on}id IN (SELECT incident_id FROM incident_services WHERE service = ?)"
        ));
        binds.push(Bind::Text(service.clone()));
    }
    if let Some(tag) = &filter.tag {
        sql.push_str(&format!(
            " AND {on}id IN (SELECT incident_id FROM incident_tags WHERE tag = ?)"
        ));
        binds.push(Bind::Text(tag.clone()));
    }
    if let Some(factor) = &filter.factor {
        sql.push_str(&format!(
            " AND {on}id IN (SELECT f.incident_id FROM incident_factors f JOIN factor_taxonomy t
              ON t.id = f.factor_id WHERE t.name = ? COLLATE NOCASE)"
        ));
        binds.push(Bind::Text(factor.clone()));
    }
    if let Some((from, to)) = filter.resolved_in {
        sql.push_str(&format!(
            " AND {on}resolved_at >= ? AND {on}resolved_at < ?"
        ));
        binds.push(Bind::Time(from));
        binds.push(Bind::Time(to));
    }
    (sql, binds)
}

/// The `sel` common table expression for `filter`, and its parameters.
fn selection(filter: &InsightFilter) -> (String, Vec<Bind>) {
    let (conditions, binds) = conditions(filter, "");
    let sql = format!(
        "sel AS (SELECT id, severity, status, began_at, started_at, resolved_at, ttr_s, impact_s, repeat_of
         FROM incidents WHERE 1 = 1{conditions})"
    );
    (sql, binds)
}

impl SqliteStore {
    /// Runs `WITH sel AS (…)<rest>`, with `extra` parameters after the filter's.
    async fn fetch_over(
        &self,
        filter: &InsightFilter,
        rest: &str,
        extra: Vec<Bind>,
    ) -> Result<Vec<SqliteRow>, StoreError> {
        let (sel, mut binds) = selection(filter);
        binds.extend(extra);
        self.run(&format!("WITH {sel}{rest}"), binds).await
    }

    /// Runs the statement `sql` makes of the filter's `AND …` conditions,
    /// with `extra` parameters after the filter's.
    async fn fetch_where(
        &self,
        filter: &InsightFilter,
        sql: impl FnOnce(&str) -> String,
        extra: Vec<Bind>,
    ) -> Result<Vec<SqliteRow>, StoreError> {
        self.fetch_where_on(filter, "", sql, extra).await
    }

    /// [`Self::fetch_where`] with the conditions on the incidents table's
    /// alias `on` (`i.`), for joins.
    async fn fetch_where_on(
        &self,
        filter: &InsightFilter,
        on: &str,
        sql: impl FnOnce(&str) -> String,
        extra: Vec<Bind>,
    ) -> Result<Vec<SqliteRow>, StoreError> {
        let (conditions, mut binds) = conditions(filter, on);
        binds.extend(extra);
        self.run(&sql(&conditions), binds).await
    }

    async fn run(&self, sql: &str, binds: Vec<Bind>) -> Result<Vec<SqliteRow>, StoreError> {
        use sqlx::Arguments;
        let mut args = SqliteArguments::default();
        for b in binds {
            match b {
                Bind::Time(t) => args.add(t),
                Bind::Text(s) => args.add(s),
                Bind::Int(i) => args.add(i),
            }
            .map_err(|e| StoreError::Database(sqlx::Error::Encode(e)))?;
        }
        Ok(sqlx::query_with::<Sqlite, _>(sql, args)
            .fetch_all(&self.reader)
            .await?)
    }
}

impl SqliteStore {
    /// The selected incidents whose status is in `statuses` (an SQL list
    /// constant), newest first.
    async fn briefs_with_status(
        &self,
        filter: &InsightFilter,
        statuses: &str,
        limit: i64,
    ) -> Result<Vec<IncidentBrief>, StoreError> {
        let rows = self
            .fetch_over(
                filter,
                &format!(
                    " SELECT i.id, i.title, i.severity, i.status, i.started_at FROM sel JOIN incidents i ON i.id = sel.id
                     WHERE sel.status IN {statuses} ORDER BY sel.began_at DESC LIMIT {limit}"
                ),
                Vec::new(),
            )
            .await?;
        rows.iter().map(brief).collect()
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

fn ranked(rows: &[SqliteRow]) -> Result<Vec<RankedCause>, StoreError> {
    rows.iter()
        .map(|row| {
            let impact_s: i64 = row.try_get("impact_s")?;
            Ok(RankedCause {
                name: row.try_get("name")?,
                count: row.try_get("count")?,
                impact_minutes: (impact_s as f64 / 60.0).round() as i64,
            })
        })
        .collect()
}

/// Up to this many ranks are read one by one (`LIMIT 1 OFFSET r - 1` on the
/// metric's ordered index); more (an ECDF) in one numbered pass.
const FEW_RANKS: usize = 4;

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
        let counts = self
            .fetch_where(
                filter,
                |c| {
                    format!(
                        "SELECT count(*) AS n, coalesce(sum({m}_s), 0) AS sum_s,
                           coalesce(sum(status = 'resolved'), 0) AS resolved_with,
                           (SELECT count(*) FROM incidents INDEXED BY incidents_insights
                             WHERE status = 'resolved'{c}) AS resolved
                         FROM incidents INDEXED BY incidents_{m} WHERE {m}_s IS NOT NULL{c}"
                    )
                },
                conditions(filter, "").1,
            )
            .await?;
        let row = counts.first().ok_or(StoreError::NotFound)?;
        let n: i64 = row.try_get("n")?;
        let resolved: i64 = row.try_get("resolved")?;
        let resolved_with: i64 = row.try_get("resolved_with")?;
        let mut out = StoredMetric {
            n: n as u64,
            sum_s: row.try_get("sum_s")?,
            missing: (resolved - resolved_with).max(0) as u64,
            ranked: Vec::new(),
        };
        let wanted = ranks(n as u64);
        if wanted.len() <= FEW_RANKS {
            for rank in wanted {
                let rows = self
                    .fetch_where(
                        filter,
                        |c| {
                            format!(
                                "SELECT {m}_s AS s FROM incidents INDEXED BY incidents_{m}
                                 WHERE {m}_s IS NOT NULL{c} ORDER BY {m}_s LIMIT 1 OFFSET ?"
                            )
                        },
                        vec![Bind::Int(rank as i64 - 1)],
                    )
                    .await?;
                if let Some(row) = rows.first() {
                    out.ranked.push((rank, row.try_get("s")?));
                }
            }
            return Ok(out);
        }
        let wanted = serde_json::to_string(&wanted).unwrap_or_else(|_| "[]".into());
        let rows = self
            .fetch_where(
                filter,
                |c| {
                    format!(
                        "SELECT rn, s FROM (SELECT {m}_s AS s, row_number() OVER (ORDER BY {m}_s) AS rn
                           FROM incidents INDEXED BY incidents_{m} WHERE {m}_s IS NOT NULL{c})
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

    async fn selection_totals(&self, filter: &InsightFilter) -> Result<(i64, i64), StoreError> {
        let rows = self
            .fetch_where(
                filter,
                |c| {
                    format!(
                        "SELECT count(*) AS total,
                           coalesce(sum(CASE WHEN status NOT IN {EXCLUDED} THEN impact_s END), 0) AS impact_s
                         FROM incidents INDEXED BY incidents_insights WHERE 1 = 1{c}"
                    )
                },
                Vec::new(),
            )
            .await?;
        let row = rows.first().ok_or(StoreError::NotFound)?;
        Ok((row.try_get("total")?, row.try_get("impact_s")?))
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
        let rows = self
            .fetch_where_on(
                filter,
                "i.",
                |c| {
                    format!(
                        "SELECT t.name AS name, count(*) AS count, coalesce(sum(i.impact_s), 0) AS impact_s
                         FROM incident_factors f JOIN incidents i INDEXED BY incidents_facts ON i.id = f.incident_id
                         JOIN factor_taxonomy t ON t.id = f.factor_id
                         WHERE i.status NOT IN {EXCLUDED}{c}
                         GROUP BY t.name ORDER BY count DESC, impact_s DESC, name LIMIT {limit}"
                    )
                },
                Vec::new(),
            )
            .await?;
        ranked(&rows)
    }

    async fn service_ranking(
        &self,
        filter: &InsightFilter,
        limit: i64,
    ) -> Result<Vec<RankedCause>, StoreError> {
        let rows = self
            .fetch_where_on(
                filter,
                "i.",
                |c| {
                    format!(
                        "SELECT s.service AS name, count(*) AS count, coalesce(sum(i.impact_s), 0) AS impact_s
                         FROM incidents i INDEXED BY incidents_facts JOIN incident_services s ON s.incident_id = i.id
                         WHERE i.status NOT IN {EXCLUDED}{c}
                         GROUP BY s.service ORDER BY count DESC, impact_s DESC, name LIMIT {limit}"
                    )
                },
                Vec::new(),
            )
            .await?;
        ranked(&rows)
    }

    async fn per_month(&self, filter: &InsightFilter) -> Result<Vec<MonthCounts>, StoreError> {
        let rows = self
            .fetch_where(
                filter,
                |c| {
                    format!(
                        "SELECT began_month AS month, severity, count(*) AS n
                         FROM incidents INDEXED BY incidents_insights
                         WHERE status NOT IN {EXCLUDED} AND began_at IS NOT NULL{c}
                         GROUP BY began_month, severity ORDER BY began_month"
                    )
                },
                Vec::new(),
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
        // Counts per month, then each month's middle value(s) by position in
        // the index ordered by (month, TTR): no sort, no window function.
        let months = self
            .fetch_where(
                filter,
                |c| {
                    format!(
                        "SELECT began_month AS month, count(*) AS n FROM incidents INDEXED BY incidents_ttr_month
                         WHERE ttr_s IS NOT NULL{c} GROUP BY began_month ORDER BY began_month"
                    )
                },
                Vec::new(),
            )
            .await?;
        let mut trend = Vec::with_capacity(months.len());
        for row in &months {
            let month: String = row.try_get("month")?;
            let n: i64 = row.try_get("n")?;
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
        let rows = self
            .fetch_over(
                filter,
                " SELECT sel.id, i.title, o.id AS original_id, o.title AS original_title
                  FROM sel JOIN incidents i ON i.id = sel.id JOIN incidents o ON o.id = sel.repeat_of
                  ORDER BY o.id, sel.id",
                Vec::new(),
            )
            .await?;
        let mut groups: BTreeMap<i64, RepeatGroup> = BTreeMap::new();
        for row in &rows {
            let original: i64 = row.try_get("original_id")?;
            let id: i64 = row.try_get("id")?;
            let group = match groups.entry(original) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => e.insert(RepeatGroup {
                    original: IncidentLink {
                        id: original,
                        human_id: human_id(original),
                        title: row.try_get("original_title")?,
                    },
                    repeats: Vec::new(),
                }),
            };
            group.repeats.push(IncidentLink {
                id,
                human_id: human_id(id),
                title: row.try_get("title")?,
            });
        }
        let mut groups: Vec<RepeatGroup> = groups.into_values().collect();
        groups.sort_by_key(|g| std::cmp::Reverse(g.repeats.len()));
        groups.truncate(limit.max(0) as usize);
        Ok(groups)
    }

    async fn action_months(
        &self,
        filter: &InsightFilter,
        today: NaiveDate,
    ) -> Result<Vec<ActionMonth>, StoreError> {
        let rows = self
            .fetch_over(
                filter,
                ", a AS MATERIALIZED (SELECT a.id, a.status, a.due_on,
                       (SELECT min(e.at) FROM action_item_events e WHERE e.action_id = a.id AND e.status = 'done') AS done_at
                     FROM action_items a WHERE a.incident_id IN (SELECT id FROM sel))
                 SELECT month, sum(kind = 'done') AS completed, sum(kind = 'late') AS overdue FROM (
                   SELECT substr(done_at, 1, 7) AS month, 'done' AS kind FROM a WHERE status = 'done' AND done_at IS NOT NULL
                   UNION ALL
                   SELECT substr(due_on, 1, 7), 'late' FROM a
                     WHERE due_on < ? AND status <> 'wont_do' AND (done_at IS NULL OR substr(done_at, 1, 10) > due_on))
                 GROUP BY month ORDER BY month",
                vec![Bind::Text(today.to_string())],
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
        let rows = self
            .fetch_over(
                filter,
                &format!(
                    " SELECT sel.id, i.title FROM sel JOIN incidents i ON i.id = sel.id WHERE sel.status NOT IN {EXCLUDED}
                     ORDER BY sel.began_at DESC, sel.id DESC LIMIT {limit}"
                ),
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
