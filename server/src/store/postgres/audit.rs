//! The audit log: appended in the writer's transaction, never updated (a
//! trigger refuses UPDATE, DELETE and TRUNCATE), read newest first.
use app::model::AuditRow;
use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::{Postgres, QueryBuilder, Row, Transaction};

use super::PgStore;
pub(super) use crate::store::common::audit::created;
use crate::store::{AuditFilter, AuditStore, AuditWrite, StoreError};

pub async fn append(
    tx: &mut Transaction<'static, Postgres>,
    entity: &str,
    entity_id: i64,
    audit: &AuditWrite,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let changes = serde_json::to_string(&audit.changes)
        .map_err(|e| StoreError::Database(sqlx::Error::Encode(e.into())))?;
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor, channel, entity, entity_id, action, changes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(now)
    .bind(audit.actor_id)
    .bind(&audit.actor)
    .bind(audit.channel)
    .bind(entity)
    .bind(entity_id)
    .bind(&audit.action)
    .bind(changes)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn push_where(qb: &mut QueryBuilder<'static, Postgres>, f: &AuditFilter) {
    qb.push(" WHERE 1 = 1");
    if let Some(entity) = &f.entity {
        qb.push(" AND entity = ").push_bind(entity.clone());
    }
    if let Some(id) = f.entity_id {
        qb.push(" AND entity_id = ").push_bind(id);
    }
    if let Some(actor) = &f.actor {
        qb.push(" AND actor = ").push_bind(actor.clone());
    }
}

pub(super) fn row_to_audit(row: &PgRow) -> Result<AuditRow, sqlx::Error> {
    let changes: String = row.try_get("changes")?;
    Ok(AuditRow {
        id: row.try_get("id")?,
        at: row.try_get("at")?,
        actor: row.try_get("actor")?,
        channel: row.try_get("channel")?,
        entity: row.try_get("entity")?,
        entity_id: row.try_get("entity_id")?,
        action: row.try_get("action")?,
        changes: serde_json::from_str(&changes).map_err(|e| sqlx::Error::ColumnDecode {
            index: "changes".into(),
            source: e.into(),
        })?,
    })
}

#[async_trait::async_trait]
impl AuditStore for PgStore {
    async fn audit(&self, filter: &AuditFilter) -> Result<(i64, Vec<AuditRow>), StoreError> {
        let mut count = QueryBuilder::<Postgres>::new("SELECT count(*) FROM audit_log");
        push_where(&mut count, filter);
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
        let mut page = QueryBuilder::<Postgres>::new("SELECT * FROM audit_log");
        push_where(&mut page, filter);
        page.push(" ORDER BY id DESC LIMIT ")
            .push_bind(filter.limit)
            .push(" OFFSET ")
            .push_bind(filter.offset);
        let rows = page.build().fetch_all(&self.pool).await?;
        let items = rows.iter().map(row_to_audit).collect::<Result<_, _>>()?;
        Ok((total, items))
    }
}
