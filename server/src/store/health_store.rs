//! What readiness checks and metrics read from the database: cheap
//! questions, each one indexed query, safe to ask every few seconds.
use chrono::{DateTime, Utc};

use super::StoreError;

/// How far the outbox runs ahead of a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutboxBacklog {
    /// The newest sequence number, 0 when the outbox is empty.
    pub head: i64,
    /// When the oldest row after the position was written; `None` when
    /// nothing is pending.
    pub oldest_pending_at: Option<DateTime<Utc>>,
}

/// One connection pool's use right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolUse {
    /// `read` or `write` on SQLite, `shared` on PostgreSQL.
    pub pool: &'static str,
    pub open: u32,
    pub idle: u32,
    pub max: u32,
}

#[async_trait::async_trait]
pub trait HealthStore: Send + Sync + 'static {
    /// Answers when the database answers a trivial query.
    async fn ping(&self) -> Result<(), StoreError>;
    /// The outbox head, and the age of the first row after `after_seq`.
    async fn outbox_backlog(&self, after_seq: i64) -> Result<OutboxBacklog, StoreError>;
    /// The connection pools' use.
    fn pool_use(&self) -> Vec<PoolUse>;
    /// Incidents not yet resolved (investigating, identified, monitoring),
    /// counted by severity: `(severity, count)`, only severities with some.
    async fn open_incidents_by_severity(&self) -> Result<Vec<(String, i64)>, StoreError>;
}
