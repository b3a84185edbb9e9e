//! Readiness and metrics questions on PostgreSQL.
use chrono::{DateTime, Utc};

use super::PgStore;
use crate::store::{HealthStore, OutboxBacklog, PoolUse, StoreError};

#[async_trait::async_trait]
impl HealthStore for PgStore {
    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn outbox_backlog(&self, after_seq: i64) -> Result<OutboxBacklog, StoreError> {
        let head: i64 = sqlx::query_scalar("SELECT coalesce(max(seq), 0)::BIGINT FROM outbox")
            .fetch_one(&self.pool)
            .await?;
        let oldest_pending_at: Option<DateTime<Utc>> =
            sqlx::query_scalar("SELECT created_at FROM outbox WHERE seq > $1 ORDER BY seq LIMIT 1")
                .bind(after_seq)
                .fetch_optional(&self.pool)
                .await?;
        Ok(OutboxBacklog {
            head,
            oldest_pending_at,
        })
    }

    fn pool_use(&self) -> Vec<PoolUse> {
        vec![PoolUse {
            pool: "shared",
            open: self.pool.size(),
            idle: self.pool.num_idle() as u32,
            max: self.pool.options().get_max_connections(),
        }]
    }

    async fn open_incidents_by_severity(&self) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT severity, count(*)::BIGINT FROM incidents \
             WHERE status IN ('investigating', 'identified', 'monitoring') \
             GROUP BY severity ORDER BY severity",
        )
        .fetch_all(&self.pool)
        .await?)
    }
}
