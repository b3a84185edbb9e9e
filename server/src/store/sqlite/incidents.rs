use app::model::{Incident, ListCounts};
use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Sqlite, SqliteExecutor, Transaction};

use super::rows;
use crate::store::common::incidents::{
    Ignore, Value, like_pattern, list_counts, write_columns, write_values,
};
use crate::store::{IncidentFilter, IncidentWrite, SortKey};

const SELECT: &str = "SELECT i.*,
    (SELECT group_concat(service, ',' ORDER BY position) FROM incident_services s WHERE s.incident_id = i.id) AS services,
    (SELECT group_concat(tag, ',' ORDER BY position) FROM incident_tags t WHERE t.incident_id = i.id) AS tags,
    r.title AS repeat_title, d.title AS duplicate_title,
    cu.email AS commander_email, cu.name AS commander_name,
    lu.email AS comms_lead_email, lu.name AS comms_lead_name
  FROM incidents i
  LEFT JOIN incidents r ON r.id = i.repeat_of
  LEFT JOIN incidents d ON d.id = i.duplicate_of
  LEFT JOIN users cu ON cu.id = i.commander_id
  LEFT JOIN users lu ON lu.id = i.comms_lead_id";

fn push_value(qb: &mut QueryBuilder<'static, Sqlite>, v: Value) {
    match v {
        Value::Text(t) => qb.push_bind(t),
        Value::Int(i) => qb.push_bind(i),
        Value::Time(t) => qb.push_bind(t),
    };
}

pub async fn insert(
    tx: &mut Transaction<'static, Sqlite>,
    w: &IncidentWrite,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let mut qb = QueryBuilder::<Sqlite>::new(format!(
        "INSERT INTO incidents ({}, created_at, updated_at) VALUES (",
        write_columns().join(", ")
    ));
    for v in write_values(w) {
        push_value(&mut qb, v);
        qb.push(", ");
    }
    qb.push_bind(now)
        .push(", ")
        .push_bind(now)
        .push(") RETURNING id");
    let id: i64 = qb.build_query_scalar().fetch_one(&mut **tx).await?;
    replace_labels(tx, id, w).await?;
    Ok(id)
}

/// Returns false when no row has this id and version.
pub async fn update(
    tx: &mut Transaction<'static, Sqlite>,
    id: i64,
    expected_version: i64,
    w: &IncidentWrite,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let mut qb = QueryBuilder::<Sqlite>::new("UPDATE incidents SET ");
    for (col, v) in write_columns().into_iter().zip(write_values(w)) {
        qb.push(format!("{col} = "));
        push_value(&mut qb, v);
        qb.push(", ");
    }
    qb.push("version = version + 1, updated_at = ")
        .push_bind(now);
    qb.push(" WHERE id = ")
        .push_bind(id)
        .push(" AND version = ")
        .push_bind(expected_version);
    if qb.build().execute(&mut **tx).await?.rows_affected() == 0 {
        return Ok(false);
    }
    replace_labels(tx, id, w).await?;
    Ok(true)
}

async fn replace_labels(
    tx: &mut Transaction<'static, Sqlite>,
    id: i64,
    w: &IncidentWrite,
) -> Result<(), sqlx::Error> {
    for (table, column, labels) in [
        ("incident_services", "service", &w.services),
        ("incident_tags", "tag", &w.tags),
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE incident_id = ?"))
            .bind(id)
            .execute(&mut **tx)
            .await?;
        for (position, label) in labels.iter().enumerate() {
            sqlx::query(&format!(
                "INSERT INTO {table} (incident_id, position, {column}) VALUES (?, ?, ?)"
            ))
            .bind(id)
            .bind(position as i64)
            .bind(label)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

pub async fn by_external_id(
    db: impl SqliteExecutor<'_>,
    external_id: &str,
) -> Result<Option<Incident>, sqlx::Error> {
    let row = sqlx::query(&format!("{SELECT} WHERE i.external_id = ?"))
        .bind(external_id)
        .fetch_optional(db)
        .await?;
    row.as_ref().map(rows::incident).transpose()
}

pub async fn exists(db: impl SqliteExecutor<'_>, id: i64) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM incidents WHERE id = ?)")
        .bind(id)
        .fetch_one(db)
        .await
}

pub async fn get(db: impl SqliteExecutor<'_>, id: i64) -> Result<Option<Incident>, sqlx::Error> {
    let row = sqlx::query(&format!("{SELECT} WHERE i.id = ?"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.as_ref().map(rows::incident).transpose()
}

/// The incidents whose ids are in `ids_json` (a JSON array), in no order.
pub async fn many(
    db: impl SqliteExecutor<'_>,
    ids_json: &str,
) -> Result<Vec<Incident>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE i.id IN (SELECT value FROM json_each(?))"
    ))
    .bind(ids_json)
    .fetch_all(db)
    .await?;
    rows.iter().map(rows::incident).collect()
}

fn push_where(qb: &mut QueryBuilder<'static, Sqlite>, f: &IncidentFilter, ignore: Ignore) {
    qb.push(" WHERE 1 = 1");
    if ignore != Ignore::Status && !f.statuses.is_empty() {
        qb.push(" AND i.status IN (");
        let mut list = qb.separated(", ");
        for s in &f.statuses {
            list.push_bind(s.as_str());
        }
        qb.push(")");
    }
    if let (Some(sev), true) = (f.severity, ignore != Ignore::Severity) {
        qb.push(" AND i.severity = ").push_bind(sev.as_str());
    }
    if let Some(service) = &f.service {
        qb.push(" AND EXISTS (SELECT 1 FROM incident_services s WHERE s.incident_id = i.id AND s.service = ").push_bind(service.clone()).push(")");
    }
    if let Some(tag) = &f.tag {
        qb.push(
            " AND EXISTS (SELECT 1 FROM incident_tags t WHERE t.incident_id = i.id AND t.tag = ",
        )
        .push_bind(tag.clone())
        .push(")");
    }
    for word in &f.words {
        let pattern = like_pattern(word);
        qb.push(" AND (i.title LIKE ")
            .push_bind(pattern.clone())
            .push(" ESCAPE '\\' OR i.summary_md LIKE ")
            .push_bind(pattern)
            .push(" ESCAPE '\\')");
    }
}

/// ORDER BY for a sort key. Ties fall back to newest first, then id.
fn order_by(f: &IncidentFilter) -> String {
    let column = match f.sort {
        SortKey::Started => "coalesce(i.started_at, i.declared_at)",
        SortKey::Severity => "i.severity",
        SortKey::Status => {
            "CASE i.status WHEN 'investigating' THEN 0 WHEN 'identified' THEN 1 WHEN 'monitoring' THEN 2 \
             WHEN 'resolved' THEN 3 WHEN 'duplicate' THEN 4 ELSE 5 END"
        }
        SortKey::Id => "i.id",
        SortKey::Title => "i.title COLLATE NOCASE",
    };
    let direction = if f.descending { "DESC" } else { "ASC" };
    format!(" ORDER BY {column} {direction}, coalesce(i.started_at, i.declared_at) DESC, i.id DESC")
}

pub async fn list(
    db: &sqlx::SqlitePool,
    f: &IncidentFilter,
) -> Result<(i64, Vec<Incident>), sqlx::Error> {
    let mut count = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM incidents i");
    push_where(&mut count, f, Ignore::Nothing);
    let total: i64 = count.build_query_scalar().fetch_one(db).await?;

    let mut page = QueryBuilder::<Sqlite>::new(SELECT);
    push_where(&mut page, f, Ignore::Nothing);
    page.push(order_by(f))
        .push(" LIMIT ")
        .push_bind(f.limit)
        .push(" OFFSET ")
        .push_bind(f.offset);
    let rows = page.build().fetch_all(db).await?;
    let items = rows.iter().map(rows::incident).collect::<Result<_, _>>()?;
    Ok((total, items))
}

pub async fn counts(db: &sqlx::SqlitePool, f: &IncidentFilter) -> Result<ListCounts, sqlx::Error> {
    let mut by_status = QueryBuilder::<Sqlite>::new("SELECT i.status, count(*) FROM incidents i");
    push_where(&mut by_status, f, Ignore::Status);
    by_status.push(" GROUP BY i.status");
    let status_rows: Vec<(String, i64)> = by_status.build_query_as().fetch_all(db).await?;

    let mut by_severity =
        QueryBuilder::<Sqlite>::new("SELECT i.severity, count(*) FROM incidents i");
    push_where(&mut by_severity, f, Ignore::Severity);
    by_severity.push(" GROUP BY i.severity");
    let severity_rows: Vec<(String, i64)> = by_severity.build_query_as().fetch_all(db).await?;

    Ok(list_counts(&status_rows, &severity_rows))
}
