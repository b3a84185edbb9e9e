//! Outbound webhooks in PostgreSQL: the SQL of `sqlite/webhooks.rs` with
//! numbered parameters. Leasing runs under the write lock, so two instances
//! never lease the same delivery.
use app::model::{AuditRow, WebhookDelivery, WebhookEndpoint};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use sqlx::postgres::PgRow;

use super::{PgStore, audit, classify};
use crate::store::{
    AttemptOutcome, AuditWrite, EndpointWrite, Enqueue, EventWrite, LeasedDelivery, OverdueAction,
    StoreError, WebhookStore,
};

const ENDPOINT: &str = "SELECT id, url, description, secret, events, enabled, version, created_at
     FROM webhook_endpoints";

const DELIVERY: &str = "SELECT id, event, status, attempts, last_status_code, last_error,
     next_attempt_at, created_at, delivered_at FROM webhook_deliveries";

fn endpoint(row: &PgRow) -> Result<WebhookEndpoint, sqlx::Error> {
    let events: String = row.try_get("events")?;
    Ok(WebhookEndpoint {
        id: row.try_get("id")?,
        url: row.try_get("url")?,
        description: row.try_get("description")?,
        events: events.split_whitespace().map(String::from).collect(),
        enabled: row.try_get("enabled")?,
        secret: row.try_get("secret")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
    })
}

fn delivery(row: &PgRow) -> Result<WebhookDelivery, sqlx::Error> {
    let status: String = row.try_get("status")?;
    let next: DateTime<Utc> = row.try_get("next_attempt_at")?;
    Ok(WebhookDelivery {
        id: row.try_get("id")?,
        event: row.try_get("event")?,
        next_attempt_at: (status == "pending").then_some(next),
        status,
        attempts: row.try_get("attempts")?,
        last_status_code: row.try_get("last_status_code")?,
        last_error: row.try_get("last_error")?,
        created_at: row.try_get("created_at")?,
        delivered_at: row.try_get("delivered_at")?,
    })
}

fn overdue(row: &PgRow) -> Result<OverdueAction, sqlx::Error> {
    Ok(OverdueAction {
        id: row.try_get("id")?,
        incident_id: row.try_get("incident_id")?,
        title: row.try_get("title")?,
        status: row.try_get("status")?,
        priority: row.try_get("priority")?,
        due_on: row.try_get("due_on")?,
        owner: row.try_get("owner")?,
    })
}

impl PgStore {
    async fn endpoint_by_id(&self, id: i64) -> Result<WebhookEndpoint, StoreError> {
        let row = sqlx::query(&format!("{ENDPOINT} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(endpoint(&row)?)
    }
}

#[async_trait::async_trait]
impl WebhookStore for PgStore {
    async fn webhook_endpoints(&self) -> Result<Vec<WebhookEndpoint>, StoreError> {
        let rows = sqlx::query(&format!("{ENDPOINT} ORDER BY id"))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(endpoint).collect::<Result<_, _>>()?)
    }

    async fn webhook_endpoint(&self, id: i64) -> Result<Option<WebhookEndpoint>, StoreError> {
        let row = sqlx::query(&format!("{ENDPOINT} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(endpoint).transpose()?)
    }

    async fn insert_webhook_endpoint(
        &self,
        e: &EndpointWrite,
        secret: &str,
        created_by: Option<i64>,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<WebhookEndpoint, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO webhook_endpoints (url, description, secret, events, enabled, created_by_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&e.url)
        .bind(&e.description)
        .bind(secret)
        .bind(e.events.join(" "))
        .bind(e.enabled)
        .bind(created_by)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(classify)?;
        audit::append(&mut tx, "webhook_endpoint", id, audit, now).await?;
        tx.commit().await?;
        self.endpoint_by_id(id).await
    }

    async fn update_webhook_endpoint(
        &self,
        id: i64,
        expected_version: i64,
        e: &EndpointWrite,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<WebhookEndpoint, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE webhook_endpoints SET url = $1, description = $2, events = $3, enabled = $4,
             version = version + 1, updated_at = $5 WHERE id = $6 AND version = $7",
        )
        .bind(&e.url)
        .bind(&e.description)
        .bind(e.events.join(" "))
        .bind(e.enabled)
        .bind(now)
        .bind(id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await
        .map_err(classify)?;
        if done.rows_affected() == 0 {
            let exists: Option<i64> =
                sqlx::query_scalar("SELECT id FROM webhook_endpoints WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            return Err(match exists {
                Some(_) => StoreError::VersionConflict,
                None => StoreError::NotFound,
            });
        }
        audit::append(&mut tx, "webhook_endpoint", id, audit, now).await?;
        tx.commit().await?;
        self.endpoint_by_id(id).await
    }

    async fn webhook_deliveries(
        &self,
        endpoint_id: i64,
        limit: i64,
    ) -> Result<Vec<WebhookDelivery>, StoreError> {
        let rows = sqlx::query(&format!(
            "{DELIVERY} WHERE endpoint_id = $1 ORDER BY id DESC LIMIT $2"
        ))
        .bind(endpoint_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(delivery).collect::<Result<_, _>>()?)
    }

    async fn enqueue_for_endpoint(
        &self,
        endpoint_id: i64,
        event: &EventWrite,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO webhook_deliveries (endpoint_id, event_key, event, payload, next_attempt_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (endpoint_id, event_key) DO NOTHING",
        )
        .bind(endpoint_id)
        .bind(&event.key)
        .bind(&event.event)
        .bind(&event.payload)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(classify)?;
        tx.commit().await?;
        Ok(())
    }

    async fn retry_webhook_delivery(
        &self,
        endpoint_id: i64,
        delivery_id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $1, lease_until = NULL
             WHERE id = $2 AND endpoint_id = $3 AND status = 'failed'",
        )
        .bind(now)
        .bind(delivery_id)
        .bind(endpoint_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    async fn webhook_cursor(&self) -> Result<i64, StoreError> {
        let at: Option<i64> =
            sqlx::query_scalar("SELECT audit_id FROM webhook_cursor WHERE id = 1")
                .fetch_optional(&self.pool)
                .await?;
        Ok(at.unwrap_or(0))
    }

    async fn audit_after(&self, after_id: i64, limit: i64) -> Result<Vec<AuditRow>, StoreError> {
        let rows = sqlx::query("SELECT * FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after_id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(audit::row_to_audit)
            .collect::<Result<_, _>>()?)
    }

    async fn postmortem_incident(&self, postmortem_id: i64) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT incident_id FROM postmortems WHERE id = $1")
                .bind(postmortem_id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn unannounced_overdue(
        &self,
        today: NaiveDate,
        limit: i64,
    ) -> Result<Vec<OverdueAction>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.incident_id, a.title, a.status, a.priority, a.due_on, u.name AS owner
             FROM action_items a LEFT JOIN users u ON u.id = a.owner_id
             WHERE a.status IN ('open', 'in_progress', 'blocked') AND a.due_on < $1
               AND NOT EXISTS (SELECT 1 FROM webhook_overdue_announced w
                               WHERE w.action_id = a.id AND w.due_on = a.due_on)
             ORDER BY a.id LIMIT $2",
        )
        .bind(today)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(overdue).collect::<Result<_, _>>()?)
    }

    async fn enqueue_webhooks(
        &self,
        batch: &Enqueue,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let endpoints: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, events FROM webhook_endpoints WHERE enabled ORDER BY id")
                .fetch_all(&mut *tx)
                .await?;
        for event in &batch.events {
            for (endpoint_id, events) in &endpoints {
                if !events.split_whitespace().any(|e| e == event.event) {
                    continue;
                }
                sqlx::query(
                    "INSERT INTO webhook_deliveries (endpoint_id, event_key, event, payload, next_attempt_at, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (endpoint_id, event_key) DO NOTHING",
                )
                .bind(endpoint_id)
                .bind(&event.key)
                .bind(&event.event)
                .bind(&event.payload)
                .bind(now)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(classify)?;
            }
        }
        if let Some(cursor) = batch.audit_cursor {
            sqlx::query("UPDATE webhook_cursor SET audit_id = $1 WHERE id = 1 AND audit_id < $2")
                .bind(cursor)
                .bind(cursor)
                .execute(&mut *tx)
                .await?;
        }
        for (action_id, due_on) in &batch.announced {
            sqlx::query(
                "INSERT INTO webhook_overdue_announced (action_id, due_on, announced_at)
                 VALUES ($1, $2, $3) ON CONFLICT (action_id, due_on) DO NOTHING",
            )
            .bind(action_id)
            .bind(due_on)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(classify)?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn lease_webhook_deliveries(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<LeasedDelivery>, StoreError> {
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(
            "UPDATE webhook_deliveries SET lease_until = $1
             WHERE (lease_until IS NULL OR lease_until < $2) AND id IN (
                 SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                 WHERE d.status = 'pending' AND d.next_attempt_at <= $3 AND e.enabled
                   AND (d.lease_until IS NULL OR d.lease_until < $4)
                 ORDER BY d.next_attempt_at, d.id LIMIT $5)
             RETURNING id, endpoint_id, event, payload, attempts",
        )
        .bind(lease_until)
        .bind(now)
        .bind(now)
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        let mut leased = Vec::with_capacity(rows.len());
        for row in &rows {
            let endpoint_id: i64 = row.try_get("endpoint_id")?;
            let (url, secret): (String, String) =
                sqlx::query_as("SELECT url, secret FROM webhook_endpoints WHERE id = $1")
                    .bind(endpoint_id)
                    .fetch_one(&mut *tx)
                    .await?;
            leased.push(LeasedDelivery {
                id: row.try_get("id")?,
                url,
                secret,
                event: row.try_get("event")?,
                payload: row.try_get("payload")?,
                attempts: row.try_get("attempts")?,
            });
        }
        tx.commit().await?;
        Ok(leased)
    }

    async fn finish_webhook_attempt(
        &self,
        delivery_id: i64,
        outcome: &AttemptOutcome,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let query = match outcome {
            AttemptOutcome::Delivered { status_code } => sqlx::query(
                "UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1,
                 last_status_code = $1, last_error = NULL, delivered_at = $2, lease_until = NULL
                 WHERE id = $3",
            )
            .bind(status_code)
            .bind(now),
            AttemptOutcome::Retry {
                status_code,
                error,
                next_attempt_at,
            } => sqlx::query(
                "UPDATE webhook_deliveries SET attempts = attempts + 1, last_status_code = $1,
                 last_error = $2, next_attempt_at = $3, lease_until = NULL WHERE id = $4",
            )
            .bind(status_code)
            .bind(error)
            .bind(next_attempt_at),
            AttemptOutcome::GaveUp { status_code, error } => sqlx::query(
                "UPDATE webhook_deliveries SET status = 'failed', attempts = attempts + 1,
                 last_status_code = $1, last_error = $2, lease_until = NULL WHERE id = $3",
            )
            .bind(status_code)
            .bind(error),
        };
        query.bind(delivery_id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }
}
