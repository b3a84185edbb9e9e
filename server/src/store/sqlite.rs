//! The embedded default: one SQLite file in WAL mode with `synchronous=FULL`.
//! Writes go through a single-connection pool and start with
//! `BEGIN IMMEDIATE`, so concurrent writers queue instead of failing with
//! "database is locked"; reads use a separate pool.
mod account_store;
mod action_policy;
mod action_stats;
mod actions;
mod audit;
mod factors;
mod health;
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

use std::str::FromStr;
use std::time::Duration;

use app::model::{Incident, ListCounts, TimelineEntry};
use chrono::{DateTime, Utc};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};

use super::{
    AuditWrite, EntryWrite, IncidentFilter, IncidentStore, IncidentWrite, IndexSource, StoreError,
};

pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
}

impl SqliteStore {
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .after_release(|conn, _| Box::pin(still_usable(conn)))
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("../migrations/sqlite").run(&writer).await?;
        let reader = SqlitePoolOptions::new()
            .acquire_timeout(Duration::from_secs(5))
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Self { writer, reader })
    }

    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
    }
}

/// Whether the writer connection can go back to the pool. A COMMIT that
/// fails with a full disk makes SQLite roll back by itself; sqlx's ROLLBACK
/// then fails and its transaction depth stays at 1, so every later `BEGIN`
/// would fail. Such a connection is closed; the pool opens a new one.
async fn still_usable(conn: &mut sqlx::SqliteConnection) -> Result<bool, sqlx::Error> {
    use sqlx::Connection;
    // Runs the rollback a dropped transaction queued, before looking.
    conn.ping().await?;
    if conn.is_in_transaction() {
        tracing::warn!("a writer connection was left in a transaction; opening a new one");
        return Ok(false);
    }
    Ok(true)
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
    tx: &mut Transaction<'static, Sqlite>,
    entity: &str,
    entity_id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO outbox (entity, entity_id, created_at) VALUES (?, ?, ?)")
        .bind(entity)
        .bind(entity_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[async_trait::async_trait]
impl IncidentStore for SqliteStore {
    async fn insert_incident(
        &self,
        incident: &IncidentWrite,
        now: DateTime<Utc>,
        entries: &[EntryWrite],
        audit: &AuditWrite,
    ) -> Result<Incident, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = incidents::insert(&mut tx, incident, now)
            .await
            .map_err(classify)?;
        for entry in entries {
            timeline::insert(&mut tx, id, entry, now)
                .await
                .map_err(classify)?;
        }
        append_outbox(&mut tx, "incident", id, now).await?;
        audit::append(&mut tx, "incident", id, audit, now).await?;
        tx.commit().await?;
        self.incident(id).await?.ok_or(StoreError::NotFound)
    }

    async fn update_incident(
        &self,
        id: i64,
        expected_version: i64,
        incident: &IncidentWrite,
        now: DateTime<Utc>,
        entries: &[EntryWrite],
        audit: &AuditWrite,
    ) -> Result<Incident, StoreError> {
        let mut tx = self.begin_write().await?;
        if !incidents::update(&mut tx, id, expected_version, incident, now)
            .await
            .map_err(classify)?
        {
            let exists = incidents::exists(&mut *tx, id).await?;
            return Err(if exists {
                StoreError::VersionConflict
            } else {
                StoreError::NotFound
            });
        }
        for entry in entries {
            timeline::insert(&mut tx, id, entry, now)
                .await
                .map_err(classify)?;
        }
        append_outbox(&mut tx, "incident", id, now).await?;
        audit::append(&mut tx, "incident", id, audit, now).await?;
        tx.commit().await?;
        self.incident(id).await?.ok_or(StoreError::NotFound)
    }

    async fn incident(&self, id: i64) -> Result<Option<Incident>, StoreError> {
        Ok(incidents::get(&self.reader, id).await?)
    }

    async fn incident_by_external_id(
        &self,
        external_id: &str,
    ) -> Result<Option<Incident>, StoreError> {
        Ok(incidents::by_external_id(&self.reader, external_id).await?)
    }

    async fn incident_exists(&self, id: i64) -> Result<bool, StoreError> {
        Ok(incidents::exists(&self.reader, id).await?)
    }

    async fn list_incidents(
        &self,
        filter: &IncidentFilter,
    ) -> Result<(i64, Vec<Incident>), StoreError> {
        Ok(incidents::list(&self.reader, filter).await?)
    }

    async fn incident_counts(&self, filter: &IncidentFilter) -> Result<ListCounts, StoreError> {
        Ok(incidents::counts(&self.reader, filter).await?)
    }

    async fn count_incidents(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM incidents")
            .fetch_one(&self.reader)
            .await?)
    }

    async fn outbox_after(
        &self,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT seq, entity, entity_id FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(after_seq)
        .bind(limit)
        .fetch_all(&self.reader)
        .await?)
    }

    async fn outbox_head(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM outbox")
                .fetch_one(&self.reader)
                .await?,
        )
    }

    async fn incident_ids_after(&self, after_id: i64, limit: i64) -> Result<Vec<i64>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT id FROM incidents WHERE id > ? ORDER BY id LIMIT ?")
                .bind(after_id)
                .bind(limit)
                .fetch_all(&self.reader)
                .await?,
        )
    }

    async fn index_sources(&self, ids: &[i64]) -> Result<Vec<IndexSource>, StoreError> {
        Ok(index_sources::read(&self.reader, ids).await?)
    }

    async fn timeline(&self, incident_id: i64) -> Result<Vec<TimelineEntry>, StoreError> {
        Ok(timeline::for_incident(&self.reader, incident_id).await?)
    }

    async fn timeline_entry(&self, entry_id: i64) -> Result<Option<TimelineEntry>, StoreError> {
        Ok(timeline::get(&self.reader, entry_id).await?)
    }

    async fn insert_timeline_entry(
        &self,
        incident_id: i64,
        entry: &EntryWrite,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<TimelineEntry, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = timeline::insert(&mut tx, incident_id, entry, now)
            .await
            .map_err(classify)?;
        append_outbox(&mut tx, "incident", incident_id, now).await?;
        let mut audit = audit.clone();
        audit.changes.insert(0, audit::created("entry", id));
        audit::append(&mut tx, "incident", incident_id, &audit, now).await?;
        tx.commit().await?;
        self.timeline_entry(id).await?.ok_or(StoreError::NotFound)
    }

    async fn update_timeline_entry(
        &self,
        entry_id: i64,
        expected_version: i64,
        entry: &EntryWrite,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<TimelineEntry, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(incident_id) =
            timeline::update(&mut tx, entry_id, expected_version, entry, now).await?
        else {
            let exists = timeline::get(&mut *tx, entry_id).await?.is_some();
            return Err(if exists {
                StoreError::VersionConflict
            } else {
                StoreError::NotFound
            });
        };
        append_outbox(&mut tx, "incident", incident_id, now).await?;
        audit::append(&mut tx, "incident", incident_id, audit, now).await?;
        tx.commit().await?;
        self.timeline_entry(entry_id)
            .await?
            .ok_or(StoreError::NotFound)
    }
}
