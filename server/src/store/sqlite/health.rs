//! Readiness and metrics questions on SQLite.
use chrono::{DateTime, Utc};

use super::SqliteStore;
use crate::store::{HealthStore, OutboxBacklog, PoolUse, StoreError};

#[async_trait::async_trait]
impl HealthStore for SqliteStore {
    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.reader).await?;
        Ok(())
    }

    async fn outbox_backlog(&self, after_seq: i64) -> Result<OutboxBacklog, StoreError> {
        let head: i64 = sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM outbox")
            .fetch_one(&self.reader)
            .await?;
        let oldest_pending_at: Option<DateTime<Utc>> =
            sqlx::query_scalar("SELECT created_at FROM outbox WHERE seq > ? ORDER BY seq LIMIT 1")
                .bind(after_seq)
                .fetch_optional(&self.reader)
                .await?;
        Ok(OutboxBacklog {
            head,
            oldest_pending_at,
        })
    }

    fn pool_use(&self) -> Vec<PoolUse> {
        [("read", &self.reader), ("write", &self.writer)]
            .into_iter()
            .map(|(pool, p)| PoolUse {
                pool,
                open: p.size(),
                idle: p.num_idle() as u32,
                max: p.options().get_max_connections(),
            })
            .collect()
    }

    async fn open_incidents_by_severity(&self) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT severity, count(*) FROM incidents \
             WHERE status IN ('investigating', 'identified', 'monitoring') \
             GROUP BY severity ORDER BY severity",
        )
        .fetch_all(&self.reader)
        .await?)
    }
}
