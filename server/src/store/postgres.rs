//! PostgreSQL, for several Firebreak instances on one database. The same
//! store traits as [`super::SqliteStore`], over the schema in
//! `migrations/postgres` (the same tables and columns; timestamps are
//! TIMESTAMPTZ). Optimistic versions work as on SQLite: an `UPDATE … WHERE
//! version = $n` re-checks its condition after a concurrent commit.
//!
//! Writes: every write transaction starts by taking one transaction-scoped
//! advisory lock, as SQLite's `BEGIN IMMEDIATE` takes its write lock. Writes
//! queue instead of deadlocking, and outbox rows commit in `seq` order, so a
//! follower reading `seq > last` never skips a row that commits late.
mod account_store;
mod action_policy;
mod action_stats;
mod actions;
mod audit;
mod factors;
mod health;
mod incident_store;
mod incidents;
mod index_sources;
mod insight_cells;
mod insight_query;
mod insights;
mod integrations;
mod postmortems;
mod rank_walk;
mod reviews;
mod rows;
mod templates;
mod timeline;
mod users;
mod webhooks;

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};

use super::StoreError;

/// The advisory lock key every write transaction takes first ("fbwr").
const WRITE_LOCK: i64 = 0x6662_7772;

pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects and runs the migrations; when several instances start at
    /// once, sqlx's migrator holds an advisory lock so they run once.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        sqlx::migrate!("../migrations/postgres").run(&pool).await?;
        Ok(Self { pool })
    }

    /// A transaction holding the write lock until it commits or rolls back.
    async fn begin_write(&self) -> Result<Transaction<'static, Postgres>, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(WRITE_LOCK)
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }
}

/// Classifies constraint violations by kind, not by message text.
fn classify(error: sqlx::Error) -> StoreError {
    match error.as_database_error().map(|e| e.kind()) {
        Some(sqlx::error::ErrorKind::ForeignKeyViolation) => StoreError::ForeignKey,
        Some(sqlx::error::ErrorKind::UniqueViolation) => StoreError::Duplicate,
        _ => StoreError::from(error),
    }
}

async fn append_outbox(
    tx: &mut Transaction<'static, Postgres>,
    entity: &str,
    entity_id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO outbox (entity, entity_id, created_at) VALUES ($1, $2, $3)")
        .bind(entity)
        .bind(entity_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
