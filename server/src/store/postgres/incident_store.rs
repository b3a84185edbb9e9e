//! The incidents, their timelines and the outbox on PostgreSQL: the
//! `IncidentStore` of `../sqlite.rs`. Every write takes the write lock
//! (`begin_write`) and appends its outbox and audit rows in its transaction;
//! reads go to the pool.
use app::model::{Incident, ListCounts, TimelineEntry};
use chrono::{DateTime, Utc};

use super::{PgStore, append_outbox, audit, classify, incidents, index_sources, timeline};
use crate::store::{
    AuditWrite, EntryWrite, IncidentFilter, IncidentStore, IncidentWrite, IndexSource, StoreError,
};

#[async_trait::async_trait]
impl IncidentStore for PgStore {
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
        Ok(incidents::get(&self.pool, id).await?)
    }

    async fn incident_by_external_id(
        &self,
        external_id: &str,
    ) -> Result<Option<Incident>, StoreError> {
        Ok(incidents::by_external_id(&self.pool, external_id).await?)
    }

    async fn incident_exists(&self, id: i64) -> Result<bool, StoreError> {
        Ok(incidents::exists(&self.pool, id).await?)
    }

    async fn list_incidents(
        &self,
        filter: &IncidentFilter,
    ) -> Result<(i64, Vec<Incident>), StoreError> {
        Ok(incidents::list(&self.pool, filter).await?)
    }

    async fn incident_counts(&self, filter: &IncidentFilter) -> Result<ListCounts, StoreError> {
        Ok(incidents::counts(&self.pool, filter).await?)
    }

    async fn count_incidents(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM incidents")
            .fetch_one(&self.pool)
            .await?)
    }

    async fn outbox_after(
        &self,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT seq, entity, entity_id FROM outbox WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after_seq)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn outbox_head(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM outbox")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    async fn incident_ids_after(&self, after_id: i64, limit: i64) -> Result<Vec<i64>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT id FROM incidents WHERE id > $1 ORDER BY id LIMIT $2")
                .bind(after_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?,
        )
    }

    async fn index_sources(&self, ids: &[i64]) -> Result<Vec<IndexSource>, StoreError> {
        Ok(index_sources::read(&self.pool, ids).await?)
    }

    async fn timeline(&self, incident_id: i64) -> Result<Vec<TimelineEntry>, StoreError> {
        Ok(timeline::for_incident(&self.pool, incident_id).await?)
    }

    async fn timeline_entry(&self, entry_id: i64) -> Result<Option<TimelineEntry>, StoreError> {
        Ok(timeline::get(&self.pool, entry_id).await?)
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
