//! The values at many ranks of one duration (the TTR distribution), read
//! in one walk of the metric's index: each rank continues after the row
//! of the one before (a keyset on the index's whole order), so the walk
//! passes every selected row once and no window function numbers them.
use sqlx::Row;

use super::SqliteStore;
use super::insight_query::Bind;
use crate::store::{InsightFilter, StoreError};

/// The row a rank was found at, in the order of `incidents_<metric>`.
struct Position {
    seconds: i64,
    severity: String,
    began_at: String,
    status: String,
    id: i64,
}

impl Position {
    /// The key to continue after; the severity only when the walk passes
    /// every severity (one severity's index leaves it out of the order).
    fn binds(&self, by_severity: bool) -> Vec<Bind> {
        let mut binds = vec![Bind::Int(self.seconds)];
        if !by_severity {
            binds.push(Bind::Text(self.severity.clone()));
        }
        binds.extend([
            Bind::Text(self.began_at.clone()),
            Bind::Text(self.status.clone()),
            Bind::Int(self.id),
        ]);
        binds
    }
}

impl SqliteStore {
    /// `(rank, seconds)` for the ascending 1-based `wanted` ranks of metric
    /// `m`, or `None` when a row has no time to continue after (then the
    /// caller numbers the rows instead).
    pub(super) async fn walk_ranks(
        &self,
        filter: &InsightFilter,
        m: &str,
        wanted: &[u64],
    ) -> Result<Option<Vec<(u64, i64)>>, StoreError> {
        // One severity walks its own index (`incidents_<m>_by_severity`).
        let by_severity = filter.severity.is_some();
        let (index, order, marks) = if by_severity {
            (
                format!("incidents_{m}_by_severity"),
                format!("{m}_s, began_at, status, id"),
                "?, ?, ?, ?",
            )
        } else {
            (
                format!("incidents_{m}"),
                format!("{m}_s, severity, began_at, status, id"),
                "?, ?, ?, ?, ?",
            )
        };
        let mut last: Option<Position> = None;
        let mut reached = 0u64;
        let mut out = Vec::with_capacity(wanted.len());
        for &rank in wanted {
            if rank <= reached {
                continue;
            }
            let (after, mut extra) = match &last {
                None => (String::new(), Vec::new()),
                Some(p) => (format!(" AND ({order}) > ({marks})"), p.binds(by_severity)),
            };
            extra.push(Bind::Int((rank - reached - 1) as i64));
            let rows = self
                .fetch_where(
                    filter,
                    |c| {
                        format!(
                            "SELECT {m}_s, severity, began_at, status, id FROM incidents INDEXED BY {index}
                             WHERE {m}_s IS NOT NULL{c}{after} ORDER BY {order} LIMIT 1 OFFSET ?"
                        )
                    },
                    extra,
                )
                .await?;
            let Some(row) = rows.first() else { break };
            let Some(began_at) = row.try_get::<Option<String>, _>("began_at")? else {
                return Ok(None);
            };
            let position = Position {
                seconds: row.try_get(format!("{m}_s").as_str())?,
                severity: row.try_get("severity")?,
                began_at,
                status: row.try_get("status")?,
                id: row.try_get("id")?,
            };
            out.push((rank, position.seconds));
            reached = rank;
            last = Some(position);
        }
        Ok(Some(out))
    }
}

#[cfg(test)]
mod tests {
    use app::domain::Severity;

    use super::*;

    /// 300 incidents whose TTR takes only 7 values, so ranks fall inside
    /// runs of ties, spread over severities and start times.
    async fn registry(dir: &tempfile::TempDir) -> SqliteStore {
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = SqliteStore::connect(&url).await.unwrap();
        for i in 0..300i64 {
            let started = format!("2025-{:02}-{:02}T00:00:00Z", 1 + i % 12, 1 + i % 28);
            let resolved = format!("2026-01-01T00:{:02}:00Z", (i * 37) % 7);
            sqlx::query(
                "INSERT INTO incidents (title, severity, status, declared_at, started_at, resolved_at,
                   version, created_at, updated_at) VALUES (?, ?, 'resolved', ?, ?, ?, 1, ?, ?)",
            )
            .bind(format!("incident {i}"))
            .bind(Severity::ALL[(i % 4) as usize].as_str())
            .bind(&started)
            .bind(&started)
            .bind(&resolved)
            .bind(&started)
            .bind(&started)
            .execute(&store.writer)
            .await
            .unwrap();
        }
        store
    }

    /// Every rank's value as numbered by a window function.
    async fn numbered(store: &SqliteStore, filter: &InsightFilter) -> Vec<(u64, i64)> {
        store
            .fetch_where(
                filter,
                |c| {
                    format!(
                        "SELECT row_number() OVER (ORDER BY ttr_s) AS rn, ttr_s FROM incidents
                         WHERE ttr_s IS NOT NULL{c} ORDER BY rn"
                    )
                },
                Vec::new(),
            )
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get::<i64, _>("rn") as u64, r.get("ttr_s")))
            .collect()
    }

    #[tokio::test]
    async fn the_walk_reads_the_same_values_as_numbering_every_row() {
        let dir = tempfile::tempdir().unwrap();
        let store = registry(&dir).await;
        for filter in [
            InsightFilter::default(),
            InsightFilter {
                severity: Some(Severity::Sev2),
                ..InsightFilter::default()
            },
        ] {
            let all = numbered(&store, &filter).await;
            assert!(all.len() >= 75, "{}", all.len());
            let wanted: Vec<u64> = (1..=all.len() as u64)
                .filter(|r| r % 7 == 1 || *r == all.len() as u64)
                .collect();
            let walked = store
                .walk_ranks(&filter, "ttr", &wanted)
                .await
                .unwrap()
                .unwrap();
            let expected: Vec<(u64, i64)> = all
                .iter()
                .copied()
                .filter(|(r, _)| wanted.contains(r))
                .collect();
            assert_eq!(walked, expected, "{filter:?}");
            // Consecutive ranks inside one run of ties, too.
            let run: Vec<u64> = (40..60).collect();
            let walked = store
                .walk_ranks(&filter, "ttr", &run)
                .await
                .unwrap()
                .unwrap();
            let expected: Vec<(u64, i64)> =
                all.into_iter().filter(|(r, _)| run.contains(r)).collect();
            assert_eq!(walked, expected, "{filter:?}");
        }
    }

    #[tokio::test]
    async fn ranks_past_the_end_are_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let store = registry(&dir).await;
        let walked = store
            .walk_ranks(&InsightFilter::default(), "ttr", &[1, 300, 301, 400])
            .await
            .unwrap()
            .unwrap();
        assert_eq!(walked.iter().map(|(r, _)| *r).collect::<Vec<_>>(), [1, 300]);
    }
}
