//! The factor taxonomy and incidents' contributing factors in PostgreSQL.
use app::model::{Factor, IncidentFactor};
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::postgres::PgRow;

use super::{PgStore, append_outbox, audit, classify};
use crate::store::{AuditWrite, FactorStore, FactorWrite, StoreError};

const FACTOR: &str = "SELECT id, name, description, retired, version FROM factor_taxonomy";

const INCIDENT_FACTOR: &str =
    "SELECT f.id, f.incident_id, t.name, f.explanation, f.added_by, f.created_at
     FROM incident_factors f JOIN factor_taxonomy t ON t.id = f.factor_id";

fn incident_factor(row: &PgRow) -> Result<IncidentFactor, sqlx::Error> {
    Ok(IncidentFactor {
        id: row.try_get("id")?,
        factor: row.try_get("name")?,
        explanation: row.try_get("explanation")?,
        added_by: row.try_get("added_by")?,
        created_at: row.try_get("created_at")?,
    })
}

/// The factors of the incidents in `ids_json` (a JSON array), each with its
/// incident's id, in the order they were added.
pub(super) async fn for_incidents(
    db: &sqlx::PgPool,
    ids_json: &str,
) -> Result<Vec<(i64, IncidentFactor)>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "{INCIDENT_FACTOR} WHERE f.incident_id IN (SELECT value::bigint FROM jsonb_array_elements_text($1::jsonb))
         ORDER BY f.incident_id, f.id"
    ))
    .bind(ids_json)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("incident_id")?, incident_factor(row)?)))
        .collect()
}

fn factor(row: &PgRow) -> Result<Factor, sqlx::Error> {
    Ok(Factor {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        retired: row.try_get("retired")?,
        version: row.try_get("version")?,
    })
}

impl PgStore {
    async fn factor_by_id(&self, id: i64) -> Result<Factor, StoreError> {
        let row = sqlx::query(&format!("{FACTOR} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(factor(&row)?)
    }
}

#[async_trait::async_trait]
impl FactorStore for PgStore {
    async fn taxonomy(&self) -> Result<Vec<Factor>, StoreError> {
        // Names ignoring case, as SQLite's NOCASE orders them: lowercased,
        // then bytewise. Unique ignoring case, so `id` never decides.
        let rows = sqlx::query(&format!(
            "{FACTOR} ORDER BY retired, lower(name) COLLATE \"C\", id"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(factor).collect::<Result<_, _>>()?)
    }

    async fn insert_factor(
        &self,
        f: &FactorWrite,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<Factor, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO factor_taxonomy (name, description, retired, created_at, updated_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(&f.name)
        .bind(&f.description)
        .bind(f.retired)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(classify)?;
        audit::append(&mut tx, "factor", id, audit, now).await?;
        tx.commit().await?;
        self.factor_by_id(id).await
    }

    async fn update_factor(
        &self,
        id: i64,
        expected_version: i64,
        f: &FactorWrite,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<Factor, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE factor_taxonomy SET name = $1, description = $2, retired = $3, version = version + 1, updated_at = $4
             WHERE id = $5 AND version = $6",
        )
        .bind(&f.name)
        .bind(&f.description)
        .bind(f.retired)
        .bind(now)
        .bind(id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await
        .map_err(classify)?;
        if done.rows_affected() == 0 {
            let exists: Option<i64> =
                sqlx::query_scalar("SELECT id FROM factor_taxonomy WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            return Err(if exists.is_some() {
                StoreError::VersionConflict
            } else {
                StoreError::NotFound
            });
        }
        audit::append(&mut tx, "factor", id, audit, now).await?;
        // Renaming changes what every incident with this factor is found by.
        let incidents: Vec<i64> = sqlx::query_scalar(
            "SELECT incident_id FROM incident_factors WHERE factor_id = $1 ORDER BY incident_id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        for incident_id in incidents {
            append_outbox(&mut tx, "incident", incident_id, now).await?;
        }
        tx.commit().await?;
        self.factor_by_id(id).await
    }

    async fn incident_factors(&self, incident_id: i64) -> Result<Vec<IncidentFactor>, StoreError> {
        let rows = sqlx::query(&format!(
            "{INCIDENT_FACTOR} WHERE f.incident_id = $1 ORDER BY f.id"
        ))
        .bind(incident_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(incident_factor)
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    async fn add_incident_factor(
        &self,
        incident_id: i64,
        factor_id: i64,
        explanation: &str,
        added_by: Option<&str>,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO incident_factors (incident_id, factor_id, explanation, added_by, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(incident_id)
        .bind(factor_id)
        .bind(explanation)
        .bind(added_by)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(classify)?;
        audit::append(&mut tx, "incident", incident_id, audit, now).await?;
        append_outbox(&mut tx, "incident", incident_id, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn remove_incident_factor(
        &self,
        incident_id: i64,
        id: i64,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM incident_factors WHERE id = $1 AND incident_id = $2")
            .bind(id)
            .bind(incident_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        audit::append(&mut tx, "incident", incident_id, audit, now).await?;
        append_outbox(&mut tx, "incident", incident_id, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
