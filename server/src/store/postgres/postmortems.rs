//! Postmortems, their sections and the sections' revisions in PostgreSQL.
use app::domain::{PostmortemStatus, SectionSpec, Severity, human_id};
use app::model::{ChecklistItem, IncidentLink, Postmortem, PostmortemSection, ReviewThread};
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::postgres::PgRow;

use super::{PgStore, append_outbox, audit, classify};
use crate::store::{AuditWrite, PostmortemStore, SectionWrite, StoreError, StoredRevision};

/// `authors` lists each author once, in the order SQLite's
/// `json_group_array(DISTINCT …)` yields them there: by where they first
/// appear, sections by key (bytewise), then revisions by version.
const POSTMORTEM: &str = "SELECT p.id, p.incident_id, i.title, i.severity, p.template,
       CASE WHEN p.completed_at IS NOT NULL THEN 'complete' ELSE p.status END AS status, p.version, p.created_at, p.updated_at,
       (SELECT json_agg(service ORDER BY position)::text FROM incident_services WHERE incident_id = p.incident_id) AS services,
       (SELECT json_agg(a.author ORDER BY a.key, a.version)::text FROM (
          SELECT DISTINCT ON (r.author) r.author, s.key COLLATE \"C\" AS key, r.version
          FROM section_revisions r JOIN postmortem_sections s ON s.id = r.section_id
          WHERE s.postmortem_id = p.id AND r.author IS NOT NULL
          ORDER BY r.author, s.key COLLATE \"C\", r.version) a) AS authors
     FROM postmortems p JOIN incidents i ON i.id = p.incident_id";
const SECTION: &str = "SELECT id, key, heading, guidance, body_md, body_html, version, updated_by, updated_at FROM postmortem_sections";

fn decode_error(column: &str, message: String) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.into(),
        source: message.into(),
    }
}

fn section(row: &PgRow) -> Result<PostmortemSection, sqlx::Error> {
    Ok(PostmortemSection {
        id: row.try_get("id")?,
        key: row.try_get("key")?,
        heading: row.try_get("heading")?,
        guidance: row.try_get("guidance")?,
        body: row.try_get("body_md")?,
        body_html: row.try_get("body_html")?,
        version: row.try_get("version")?,
        updated_by: row.try_get("updated_by")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// The postmortem sections of the incidents in `ids_json` (a JSON array),
/// each with its incident's id, in section order.
pub(super) async fn sections_for_incidents(
    db: &sqlx::PgPool,
    ids_json: &str,
) -> Result<Vec<(i64, PostmortemSection)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT p.incident_id, s.id, s.key, s.heading, s.guidance, s.body_md, s.body_html, s.version, s.updated_by, s.updated_at
         FROM postmortem_sections s JOIN postmortems p ON p.id = s.postmortem_id
         WHERE p.incident_id IN (SELECT value::bigint FROM jsonb_array_elements_text($1::jsonb))
         ORDER BY p.incident_id, s.position, s.id",
    )
    .bind(ids_json)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("incident_id")?, section(row)?)))
        .collect()
}

/// A JSON array column as a list of strings: TEXT holding a JSON array
/// (`json_agg(…)::text`); NULL, as `json_agg` gives over no rows, is empty.
pub(super) fn json_list(row: &PgRow, column: &str) -> Result<Vec<String>, sqlx::Error> {
    let text: Option<String> = row.try_get(column)?;
    match text {
        Some(text) => serde_json::from_str(&text).map_err(|e| decode_error(column, e.to_string())),
        None => Ok(Vec::new()),
    }
}

/// What a postmortem holds besides its own row.
struct Parts {
    sections: Vec<PostmortemSection>,
    checklist: Vec<ChecklistItem>,
    threads: Vec<ReviewThread>,
}

fn postmortem(row: &PgRow, parts: Parts) -> Result<Postmortem, sqlx::Error> {
    let incident_id: i64 = row.try_get("incident_id")?;
    let severity: String = row.try_get("severity")?;
    let status: String = row.try_get("status")?;
    Ok(Postmortem {
        id: row.try_get("id")?,
        incident: IncidentLink {
            id: incident_id,
            human_id: human_id(incident_id),
            title: row.try_get("title")?,
        },
        severity: Severity::parse(&severity).map_err(|e| decode_error("severity", e))?,
        template: row.try_get("template")?,
        status: PostmortemStatus::parse(&status).map_err(|e| decode_error("status", e))?,
        version: row.try_get("version")?,
        sections: parts.sections,
        services: json_list(row, "services")?,
        authors: json_list(row, "authors")?,
        checklist: parts.checklist,
        threads: parts.threads,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

impl PgStore {
    async fn sections_of(&self, postmortem_id: i64) -> Result<Vec<PostmortemSection>, StoreError> {
        let rows = sqlx::query(&format!(
            "{SECTION} WHERE postmortem_id = $1 ORDER BY position, id"
        ))
        .bind(postmortem_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(section).collect::<Result<_, _>>()?)
    }

    async fn postmortem_by_id(&self, id: i64) -> Result<Option<Postmortem>, StoreError> {
        let row = sqlx::query(&format!("{POSTMORTEM} WHERE p.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => {
                let parts = Parts {
                    sections: self.sections_of(id).await?,
                    checklist: self.checklist_of(id).await?,
                    threads: self.threads_of(id).await?,
                };
                Ok(Some(postmortem(&row, parts)?))
            }
            None => Ok(None),
        }
    }
}

#[async_trait::async_trait]
impl PostmortemStore for PgStore {
    async fn postmortems(&self) -> Result<Vec<Postmortem>, StoreError> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM postmortems ORDER BY updated_at DESC, id DESC")
                .fetch_all(&self.pool)
                .await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(self.postmortem_by_id(id).await?);
        }
        Ok(out)
    }

    async fn insert_postmortem(
        &self,
        incident_id: i64,
        template: &str,
        sections: &[SectionSpec],
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<Postmortem, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO postmortems (incident_id, template, created_by_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(incident_id)
        .bind(template)
        .bind(audit.actor_id)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(classify)?;
        for (position, spec) in sections.iter().enumerate() {
            let section_id: i64 = sqlx::query_scalar(
                "INSERT INTO postmortem_sections (postmortem_id, position, key, heading, guidance, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(id)
            .bind(position as i64)
            .bind(&spec.key)
            .bind(&spec.heading)
            .bind(&spec.guidance)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(classify)?;
            sqlx::query(
                "INSERT INTO section_revisions (section_id, version, body_md, author, author_id, created_at)
                 VALUES ($1, 1, '', NULL, $2, $3)",
            )
            .bind(section_id)
            .bind(audit.actor_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        audit::append(&mut tx, "postmortem", id, audit, now).await?;
        append_outbox(&mut tx, "incident", incident_id, now).await?;
        tx.commit().await?;
        self.postmortem_by_id(id).await?.ok_or(StoreError::NotFound)
    }

    async fn postmortem_for_incident(
        &self,
        incident_id: i64,
    ) -> Result<Option<Postmortem>, StoreError> {
        let id: Option<i64> =
            sqlx::query_scalar("SELECT id FROM postmortems WHERE incident_id = $1")
                .bind(incident_id)
                .fetch_optional(&self.pool)
                .await?;
        match id {
            Some(id) => self.postmortem_by_id(id).await,
            None => Ok(None),
        }
    }

    async fn save_section(
        &self,
        postmortem_id: i64,
        key: &str,
        expected_version: i64,
        write: &SectionWrite,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<PostmortemSection, StoreError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "UPDATE postmortem_sections
             SET body_md = $1, body_html = $2, version = version + 1, updated_by = $3, updated_by_id = $4, updated_at = $5
             WHERE postmortem_id = $6 AND key = $7 AND version = $8
             RETURNING id, version",
        )
        .bind(&write.body_md)
        .bind(&write.body_html)
        .bind(&write.author)
        .bind(write.author_id)
        .bind(now)
        .bind(postmortem_id)
        .bind(key)
        .bind(expected_version)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            let exists: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM postmortem_sections WHERE postmortem_id = $1 AND key = $2",
            )
            .bind(postmortem_id)
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?;
            return Err(match exists {
                Some(_) => StoreError::VersionConflict,
                None => StoreError::NotFound,
            });
        };
        let (section_id, version): (i64, i64) = (row.try_get("id")?, row.try_get("version")?);
        sqlx::query(
            "INSERT INTO section_revisions (section_id, version, body_md, author, author_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(section_id)
        .bind(version)
        .bind(&write.body_md)
        .bind(&write.author)
        .bind(write.author_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let incident_id: i64 = sqlx::query_scalar(
            "UPDATE postmortems SET version = version + 1, updated_at = $1 WHERE id = $2 RETURNING incident_id",
        )
        .bind(now)
        .bind(postmortem_id)
        .fetch_one(&mut *tx)
        .await?;
        audit::append(&mut tx, "postmortem", postmortem_id, audit, now).await?;
        append_outbox(&mut tx, "incident", incident_id, now).await?;
        tx.commit().await?;
        let row = sqlx::query(&format!("{SECTION} WHERE id = $1"))
            .bind(section_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(section(&row)?)
    }

    async fn section_revisions(&self, section_id: i64) -> Result<Vec<StoredRevision>, StoreError> {
        let rows = sqlx::query(
            "SELECT version, body_md, author, created_at FROM section_revisions
             WHERE section_id = $1 ORDER BY version DESC",
        )
        .bind(section_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(StoredRevision {
                    version: row.try_get("version")?,
                    body_md: row.try_get("body_md")?,
                    author: row.try_get("author")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}
