//! Action items and their status history in SQLite. Every status change
//! appends an event in the same transaction as the change; completion
//! times are read from those events.
use app::domain::{ActionKind, ActionStatus, Priority, Severity, human_id};
use app::model::{ActionEvent, ActionItem, IncidentLink, OverdueItem, UserRef};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, Transaction};

use super::postmortems::json_list;
use super::{SqliteStore, audit, classify};
use crate::store::common::actions::{days_overdue, is_overdue};
use crate::store::{
    ActionFilter, ActionSort, ActionStore, ActionWrite, AuditWrite, ChangedBy, StoreError,
};

/// Closed items' latest entry into their closing status: the completion time.
const CLOSED_AT: &str = "CASE WHEN a.status IN ('done', 'wont_do') THEN
        (SELECT max(e.at) FROM action_item_events e WHERE e.action_id = a.id AND e.status = a.status) END";

fn select_items() -> String {
    format!(
        "SELECT a.id, a.incident_id, i.title AS incident_title, i.severity, a.section_key, a.title,
            a.description_md, a.owner_id, u.email AS owner_email, u.name AS owner_name, a.due_on,
            a.priority, a.kind, a.status, a.reason, a.tracker_url, a.version, a.created_at,
            a.updated_at, {CLOSED_AT} AS closed_at,
            (SELECT json_group_array(service) FROM (SELECT service FROM incident_services
              WHERE incident_id = a.incident_id ORDER BY position)) AS services
         FROM action_items a JOIN incidents i ON i.id = a.incident_id
         LEFT JOIN users u ON u.id = a.owner_id"
    )
}

fn decode(column: &str, message: String) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.into(),
        source: message.into(),
    }
}

fn item(row: &SqliteRow, today: NaiveDate) -> Result<ActionItem, sqlx::Error> {
    let text = |c: &str| -> Result<String, sqlx::Error> { row.try_get(c) };
    let status = ActionStatus::parse(&text("status")?).map_err(|e| decode("status", e))?;
    let due_on: Option<NaiveDate> = row.try_get("due_on")?;
    let incident_id: i64 = row.try_get("incident_id")?;
    let owner_id: Option<i64> = row.try_get("owner_id")?;
    let owner = match (
        owner_id,
        row.try_get("owner_email")?,
        row.try_get("owner_name")?,
    ) {
        (Some(id), Some(email), Some(name)) => Some(UserRef { id, email, name }),
        _ => None,
    };
    Ok(ActionItem {
        id: row.try_get("id")?,
        incident: IncidentLink {
            id: incident_id,
            human_id: human_id(incident_id),
            title: text("incident_title")?,
        },
        severity: Severity::parse(&text("severity")?).map_err(|e| decode("severity", e))?,
        services: json_list(row, "services")?,
        section_key: row.try_get("section_key")?,
        title: text("title")?,
        description: text("description_md")?,
        owner,
        due_on,
        priority: Priority::parse(&text("priority")?).map_err(|e| decode("priority", e))?,
        kind: ActionKind::parse(&text("kind")?).map_err(|e| decode("kind", e))?,
        status,
        reason: row.try_get("reason")?,
        tracker_url: row.try_get("tracker_url")?,
        overdue: is_overdue(status, due_on, today),
        closed_at: row.try_get("closed_at")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        history: Vec::new(),
    })
}

async fn append_event(
    tx: &mut Transaction<'static, Sqlite>,
    action_id: i64,
    item: &ActionWrite,
    by: &ChangedBy,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO action_item_events (action_id, status, reason, at, by_id, by_name) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(action_id)
    .bind(item.status.as_str())
    .bind(&item.reason)
    .bind(now)
    .bind(by.id)
    .bind(&by.name)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn order_by(sort: ActionSort) -> &'static str {
    match sort {
        ActionSort::Due => "a.due_on IS NULL, a.due_on",
        ActionSort::Priority => {
            "CASE a.priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END"
        }
        ActionSort::Severity => "i.severity",
        ActionSort::Owner => "u.name IS NULL, u.name",
        ActionSort::Status => {
            "CASE a.status WHEN 'blocked' THEN 0 WHEN 'open' THEN 1 WHEN 'in_progress' THEN 2 WHEN 'done' THEN 3 ELSE 4 END"
        }
        ActionSort::Incident => "a.incident_id",
        ActionSort::Created => "a.created_at",
    }
}

fn push_filter(q: &mut QueryBuilder<'_, Sqlite>, f: &ActionFilter) {
    q.push(" WHERE 1 = 1");
    if !f.statuses.is_empty() {
        q.push(" AND a.status IN (");
        let mut list = q.separated(", ");
        for s in &f.statuses {
            list.push_bind(s.as_str());
        }
        q.push(")");
    }
    if let Some(owner) = f.owner_id {
        q.push(" AND a.owner_id = ").push_bind(owner);
    }
    if let Some(service) = &f.service {
        q.push(" AND a.incident_id IN (SELECT incident_id FROM incident_services WHERE service = ")
            .push_bind(service.clone())
            .push(")");
    }
    if let Some(severity) = f.severity {
        q.push(" AND i.severity = ").push_bind(severity.as_str());
    }
    if let Some(team) = &f.team {
        q.push(
            " AND a.incident_id IN (SELECT s.incident_id FROM incident_services s
              JOIN service_teams t ON t.service = s.service WHERE t.team = ",
        )
        .push_bind(team.clone())
        .push(")");
    }
    if let Some(day) = f.overdue_before {
        q.push(" AND a.status NOT IN ('done', 'wont_do') AND a.due_on < ")
            .push_bind(day);
    }
    if let Some(incident) = f.incident_id {
        q.push(" AND a.incident_id = ").push_bind(incident);
    }
}

impl SqliteStore {
    async fn action_history(&self, id: i64) -> Result<Vec<ActionEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT status, reason, at, by_name FROM action_item_events WHERE action_id = ? ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|row| {
                let status: String = row.try_get("status")?;
                Ok(ActionEvent {
                    status: ActionStatus::parse(&status).map_err(|e| decode("status", e))?,
                    reason: row.try_get("reason")?,
                    at: row.try_get("at")?,
                    by: row.try_get("by_name")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}

#[async_trait::async_trait]
impl ActionStore for SqliteStore {
    async fn insert_action(
        &self,
        incident_id: i64,
        section_key: Option<&str>,
        w: &ActionWrite,
        by: &ChangedBy,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO action_items (incident_id, section_key, title, description_md, owner_id, due_on,
                priority, kind, status, reason, tracker_url, created_by_id, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(incident_id)
        .bind(section_key)
        .bind(&w.title)
        .bind(&w.description)
        .bind(w.owner_id)
        .bind(w.due_on)
        .bind(w.priority.as_str())
        .bind(w.kind.as_str())
        .bind(w.status.as_str())
        .bind(&w.reason)
        .bind(&w.tracker_url)
        .bind(by.id)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(classify)?;
        append_event(&mut tx, id, w, by, now).await?;
        audit::append(&mut tx, "action_item", id, audit, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn update_action(
        &self,
        id: i64,
        expected_version: i64,
        w: &ActionWrite,
        by: &ChangedBy,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let before: Option<(String, Option<String>, i64)> =
            sqlx::query_as("SELECT status, reason, version FROM action_items WHERE id = ?")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((status, reason, version)) = before else {
            return Err(StoreError::NotFound);
        };
        if version != expected_version {
            return Err(StoreError::VersionConflict);
        }
        sqlx::query(
            "UPDATE action_items SET title = ?, description_md = ?, owner_id = ?, due_on = ?, priority = ?,
                kind = ?, status = ?, reason = ?, tracker_url = ?, version = version + 1, updated_at = ?
             WHERE id = ?",
        )
        .bind(&w.title)
        .bind(&w.description)
        .bind(w.owner_id)
        .bind(w.due_on)
        .bind(w.priority.as_str())
        .bind(w.kind.as_str())
        .bind(w.status.as_str())
        .bind(&w.reason)
        .bind(&w.tracker_url)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(classify)?;
        if status != w.status.as_str() || reason != w.reason {
            append_event(&mut tx, id, w, by, now).await?;
        }
        audit::append(&mut tx, "action_item", id, audit, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn action(&self, id: i64, today: NaiveDate) -> Result<Option<ActionItem>, StoreError> {
        let row = sqlx::query(&format!("{} WHERE a.id = ?", select_items()))
            .bind(id)
            .fetch_optional(&self.reader)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let mut found = item(&row, today)?;
        found.history = self.action_history(id).await?;
        Ok(Some(found))
    }

    async fn actions(
        &self,
        filter: &ActionFilter,
        today: NaiveDate,
    ) -> Result<Vec<ActionItem>, StoreError> {
        let mut q = QueryBuilder::<Sqlite>::new(select_items());
        push_filter(&mut q, filter);
        let dir = if filter.descending { "DESC" } else { "ASC" };
        q.push(format!(
            " ORDER BY {} {dir}, a.id {dir}",
            order_by(filter.sort)
        ));
        q.push(" LIMIT ").push_bind(filter.limit.max(1));
        let rows = q.build().fetch_all(&self.reader).await?;
        Ok(rows
            .iter()
            .map(|r| item(r, today))
            .collect::<Result<_, _>>()?)
    }

    async fn open_action_count(&self, incident_id: i64) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT count(*) FROM action_items WHERE incident_id = ? AND status NOT IN ('done', 'wont_do')",
        )
        .bind(incident_id)
        .fetch_one(&self.reader)
        .await?)
    }

    async fn overdue_count(&self, owner_id: i64, today: NaiveDate) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT count(*) FROM action_items WHERE owner_id = ? AND status NOT IN ('done', 'wont_do') AND due_on < ?",
        )
        .bind(owner_id)
        .bind(today)
        .fetch_one(&self.reader)
        .await?)
    }

    async fn action_stats(
        &self,
        group: crate::store::StatsGroup,
        today: NaiveDate,
    ) -> Result<Vec<crate::store::StoredStats>, StoreError> {
        super::action_stats::action_stats(&self.reader, group, today).await
    }

    async fn oldest_overdue(
        &self,
        today: NaiveDate,
        limit: i64,
    ) -> Result<Vec<OverdueItem>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.title, a.incident_id, i.title AS incident_title, u.name AS owner, a.due_on
             FROM action_items a JOIN incidents i ON i.id = a.incident_id LEFT JOIN users u ON u.id = a.owner_id
             WHERE a.status NOT IN ('done', 'wont_do') AND a.due_on < ? ORDER BY a.due_on, a.id LIMIT ?",
        )
        .bind(today)
        .bind(limit)
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|row| {
                let incident_id: i64 = row.try_get("incident_id")?;
                let due_on: NaiveDate = row.try_get("due_on")?;
                Ok(OverdueItem {
                    id: row.try_get("id")?,
                    title: row.try_get("title")?,
                    incident: IncidentLink {
                        id: incident_id,
                        human_id: human_id(incident_id),
                        title: row.try_get("incident_title")?,
                    },
                    owner: row.try_get("owner")?,
                    due_on,
                    days_overdue: days_overdue(today, due_on),
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    async fn completed_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(&format!(
            "SELECT count(*) FROM action_items a WHERE a.status = 'done' AND {CLOSED_AT} >= ? AND {CLOSED_AT} < ?"
        ))
        .bind(from)
        .bind(to)
        .fetch_one(&self.reader)
        .await?)
    }

    async fn action_policy(&self) -> Result<app::model::ActionPolicy, StoreError> {
        super::action_policy::read(&self.reader).await
    }

    async fn update_action_policy(
        &self,
        policy: &app::model::ActionPolicy,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<app::model::ActionPolicy, StoreError> {
        let mut tx = self.begin_write().await?;
        super::action_policy::write(&mut tx, policy, now).await?;
        audit::append(&mut tx, "action_policy", 1, audit, now).await?;
        tx.commit().await?;
        self.action_policy().await
    }

    async fn service_teams(&self) -> Result<Vec<app::model::ServiceTeam>, StoreError> {
        super::action_policy::service_teams(&self.reader).await
    }

    async fn set_service_team(
        &self,
        service: &str,
        team: Option<&str>,
        expected_version: i64,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        super::action_policy::set_team(&mut tx, service, team, expected_version, now).await?;
        audit::append(&mut tx, "service_team", 0, audit, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
