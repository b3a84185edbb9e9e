//! The values at many ranks of one duration (the TTR distribution), read
//! in one walk of the metric's order: each rank continues after the row
//! of the one before (a keyset on the whole order), so the walk passes
//! every selected row once and no window function numbers them.
//!
//! The order is SQLite's: `began_at` sorts NULLS FIRST there, so it does
//! here too. Then a row without a start that ties the last position on
//! the columns before it is already behind the walk, and its NULL
//! comparison (which leaves it out) is right.
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::PgStore;
use super::insight_query::Bind;
use crate::store::{InsightFilter, StoreError};

/// The row a rank was found at, in the order of the walk.
struct Position {
    seconds: i64,
    severity: String,
    began_at: DateTime<Utc>,
    status: String,
    id: i64,
}

impl Position {
    /// The key to continue after; the severity only when the walk passes
    /// every severity (one severity's walk leaves it out of the order).
    fn binds(&self, by_severity: bool) -> Vec<Bind> {
        let mut binds = vec![Bind::Int(self.seconds)];
        if !by_severity {
            binds.push(Bind::Text(self.severity.clone()));
        }
        binds.extend([
            Bind::Time(self.began_at),
            Bind::Text(self.status.clone()),
            Bind::Int(self.id),
        ]);
        binds
    }
}

impl PgStore {
    /// `(rank, seconds)` for the ascending 1-based `wanted` ranks of metric
    /// `m`, or `None` when a row has no time to continue after (then the
    /// caller numbers the rows instead).
    pub(super) async fn walk_ranks(
        &self,
        filter: &InsightFilter,
        m: &str,
        wanted: &[u64],
    ) -> Result<Option<Vec<(u64, i64)>>, StoreError> {
        // One severity is fixed by the filter, so it leaves the key (and
        // `incidents_<m>_by_severity` holds that order).
        let by_severity = filter.severity.is_some();
        let (key, order) = if by_severity {
            (
                format!("{m}_s, began_at, status, id"),
                format!("{m}_s, began_at NULLS FIRST, status, id"),
            )
        } else {
            (
                format!("{m}_s, severity, began_at, status, id"),
                format!("{m}_s, severity, began_at NULLS FIRST, status, id"),
            )
        };
        let mut last: Option<Position> = None;
        let mut reached = 0u64;
        let mut out = Vec::with_capacity(wanted.len());
        for &rank in wanted {
            if rank <= reached {
                continue;
            }
            // The key's parameters, then the offset: `$1…$k`.
            let mut extra = match &last {
                None => Vec::new(),
                Some(p) => p.binds(by_severity),
            };
            let marks: Vec<String> = (1..=extra.len()).map(|i| format!("${i}")).collect();
            let after = if marks.is_empty() {
                String::new()
            } else {
                format!(" AND ({key}) > ({})", marks.join(", "))
            };
            extra.push(Bind::Int((rank - reached - 1) as i64));
            let offset = extra.len();
            let rows = self
                .fetch_where(
                    filter,
                    |c| {
                        format!(
                            "SELECT {m}_s, severity, began_at, status, id FROM incidents
                             WHERE {m}_s IS NOT NULL{c}{after} ORDER BY {order} LIMIT 1 OFFSET ${offset}"
                        )
                    },
                    extra,
                )
                .await?;
            let Some(row) = rows.first() else { break };
            let Some(began_at) = row.try_get::<Option<DateTime<Utc>>, _>("began_at")? else {
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
