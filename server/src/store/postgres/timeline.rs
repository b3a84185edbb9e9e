//! Timeline entries: the queries of `../sqlite/timeline.rs` with
//! PostgreSQL placeholders; `occurred_at` and the stamps are TIMESTAMPTZ.
use app::model::TimelineEntry;
use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, Postgres, Transaction};

use super::rows;
use crate::store::EntryWrite;

const COLUMNS: &str = "id, incident_id, occurred_at, kind, body_md, body_html, author, author_id, version, created_at, updated_at";

pub async fn insert(
    tx: &mut Transaction<'static, Postgres>,
    incident_id: i64,
    e: &EntryWrite,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO timeline_entries (incident_id, occurred_at, kind, body_md, body_html, author, author_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(incident_id)
    .bind(e.occurred_at)
    .bind(e.kind.as_str())
    .bind(&e.body_md)
    .bind(&e.body_html)
    .bind(&e.author)
    .bind(e.author_id)
    .bind(now)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

/// Returns the entry's incident when the version matched and the row changed.
pub async fn update(
    tx: &mut Transaction<'static, Postgres>,
    entry_id: i64,
    expected_version: i64,
    e: &EntryWrite,
    now: DateTime<Utc>,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE timeline_entries SET occurred_at = $1, kind = $2, body_md = $3, body_html = $4, version = version + 1, updated_at = $5
         WHERE id = $6 AND version = $7 RETURNING incident_id",
    )
    .bind(e.occurred_at)
    .bind(e.kind.as_str())
    .bind(&e.body_md)
    .bind(&e.body_html)
    .bind(now)
    .bind(entry_id)
    .bind(expected_version)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn get(
    db: impl PgExecutor<'_>,
    entry_id: i64,
) -> Result<Option<TimelineEntry>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM timeline_entries WHERE id = $1"
    ))
    .bind(entry_id)
    .fetch_optional(db)
    .await?;
    row.as_ref().map(rows::timeline_entry).transpose()
}

pub async fn for_incident(
    db: impl PgExecutor<'_>,
    incident_id: i64,
) -> Result<Vec<TimelineEntry>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM timeline_entries WHERE incident_id = $1 ORDER BY occurred_at, id"
    ))
    .bind(incident_id)
    .fetch_all(db)
    .await?;
    rows.iter().map(rows::timeline_entry).collect()
}

/// The timelines of the incidents in `ids_json` (a JSON array), by incident
/// and then in order.
pub async fn for_incidents(
    db: impl PgExecutor<'_>,
    ids_json: &str,
) -> Result<Vec<TimelineEntry>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM timeline_entries
         WHERE incident_id IN (SELECT value::bigint FROM jsonb_array_elements_text($1::jsonb))
         ORDER BY incident_id, occurred_at, id"
    ))
    .bind(ids_json)
    .fetch_all(db)
    .await?;
    rows.iter().map(rows::timeline_entry).collect()
}
