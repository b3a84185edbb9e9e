//! Inbound webhook integrations, received events and links in PostgreSQL.
use app::domain::Severity;
use app::model::IntegrationKind;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::postgres::PgRow;

use super::{PgStore, audit, classify};
use crate::store::{
    AuditWrite, IntegrationStore, IntegrationUpdate, IntegrationWrite, StoreError,
    StoredIntegration,
};

const SELECT: &str = "SELECT i.id, i.kind, i.name, i.token_hash, i.signing_secret, i.secret_hint,
        i.default_severity, i.default_service, i.enabled, i.version, i.created_at, i.created_by,
        (SELECT max(e.received_at) FROM inbound_events e WHERE e.integration_id = i.id) AS last_event_at,
        (SELECT count(*) FROM inbound_events e WHERE e.integration_id = i.id) AS events
    FROM integrations i";

fn decode_error(column: &str, message: String) -> StoreError {
    StoreError::Database(sqlx::Error::ColumnDecode {
        index: column.into(),
        source: message.into(),
    })
}

fn from_row(row: &PgRow) -> Result<StoredIntegration, StoreError> {
    let kind: String = row.try_get("kind")?;
    let severity: String = row.try_get("default_severity")?;
    Ok(StoredIntegration {
        id: row.try_get("id")?,
        kind: IntegrationKind::parse(&kind).map_err(|e| decode_error("kind", e))?,
        name: row.try_get("name")?,
        token_hash: row.try_get("token_hash")?,
        signing_secret: row.try_get("signing_secret")?,
        secret_hint: row.try_get("secret_hint")?,
        default_severity: Severity::parse(&severity)
            .map_err(|e| decode_error("default_severity", e))?,
        default_service: row.try_get("default_service")?,
        enabled: row.try_get("enabled")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        created_by: row.try_get("created_by")?,
        last_event_at: row.try_get("last_event_at")?,
        events: row.try_get("events")?,
    })
}

#[async_trait::async_trait]
impl IntegrationStore for PgStore {
    async fn integrations(&self) -> Result<Vec<StoredIntegration>, StoreError> {
        let rows = sqlx::query(&format!("{SELECT} ORDER BY i.name COLLATE \"C\""))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    async fn integration(&self, id: i64) -> Result<Option<StoredIntegration>, StoreError> {
        let row = sqlx::query(&format!("{SELECT} WHERE i.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    async fn integration_by_token_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<StoredIntegration>, StoreError> {
        let row = sqlx::query(&format!("{SELECT} WHERE i.token_hash = $1"))
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    async fn insert_integration(
        &self,
        i: &IntegrationWrite,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO integrations (kind, name, token_hash, signing_secret, secret_hint,
                default_severity, default_service, created_at, created_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(i.kind.as_str())
        .bind(&i.name)
        .bind(&i.token_hash)
        .bind(&i.signing_secret)
        .bind(&i.secret_hint)
        .bind(i.default_severity.as_str())
        .bind(&i.default_service)
        .bind(now)
        .bind(&i.created_by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(classify)?;
        audit::append(&mut tx, "integration", id, audit, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn update_integration(
        &self,
        id: i64,
        expected_version: i64,
        update: &IntegrationUpdate,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let (token_hash, hint) = update.new_token.clone().unzip();
        let done = sqlx::query(
            "UPDATE integrations SET enabled = $1, token_hash = coalesce($2, token_hash),
                secret_hint = coalesce($3, secret_hint), version = version + 1, updated_at = $4
             WHERE id = $5 AND version = $6",
        )
        .bind(update.enabled)
        .bind(token_hash)
        .bind(hint)
        .bind(now)
        .bind(id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            let exists: Option<i64> =
                sqlx::query_scalar("SELECT id FROM integrations WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            return Err(if exists.is_some() {
                StoreError::VersionConflict
            } else {
                StoreError::NotFound
            });
        }
        audit::append(&mut tx, "integration", id, audit, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn claim_event(
        &self,
        integration_id: i64,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "INSERT INTO inbound_events (integration_id, event_key, received_at, outcome)
             VALUES ($1, $2, $3, 'received') ON CONFLICT DO NOTHING",
        )
        .bind(integration_id)
        .bind(key)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    async fn finish_event(
        &self,
        integration_id: i64,
        key: &str,
        outcome: &str,
        incident_id: Option<i64>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE inbound_events SET outcome = $1, incident_id = $2
             WHERE integration_id = $3 AND event_key = $4",
        )
        .bind(outcome)
        .bind(incident_id)
        .bind(integration_id)
        .bind(key)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn release_event(&self, integration_id: i64, key: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM inbound_events WHERE integration_id = $1 AND event_key = $2")
            .bind(integration_id)
            .bind(key)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn linked_incident(
        &self,
        integration_id: i64,
        external_key: &str,
    ) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT max(incident_id) FROM inbound_links WHERE integration_id = $1 AND external_key = $2",
        )
        .bind(integration_id)
        .bind(external_key)
        .fetch_one(&self.pool)
        .await?)
    }

    async fn link_incident(
        &self,
        integration_id: i64,
        external_key: &str,
        incident_id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO inbound_links (integration_id, external_key, incident_id, created_at)
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(integration_id)
        .bind(external_key)
        .bind(incident_id)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(classify)?;
        tx.commit().await?;
        Ok(())
    }
}
