//! Admins' templates and per-severity defaults in PostgreSQL.
use app::domain::{SectionSpec, Severity, Template};
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{PgStore, audit, classify};
use crate::store::{AuditWrite, StoreError, TemplateStore};

fn encode(sections: &[SectionSpec]) -> Result<String, StoreError> {
    serde_json::to_string(sections).map_err(|e| StoreError::Database(sqlx::Error::Encode(e.into())))
}

#[async_trait::async_trait]
impl TemplateStore for PgStore {
    async fn custom_templates(&self) -> Result<Vec<(Template, i64)>, StoreError> {
        // Bytewise, as SQLite's BINARY collation orders the names.
        let rows = sqlx::query(
            "SELECT name, label, sections, version FROM postmortem_templates ORDER BY name COLLATE \"C\"",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let sections: String = row.try_get("sections")?;
            let sections = serde_json::from_str(&sections).map_err(|e| {
                StoreError::Database(sqlx::Error::ColumnDecode {
                    index: "sections".into(),
                    source: e.into(),
                })
            })?;
            let template = Template {
                name: row.try_get("name")?,
                label: row.try_get("label")?,
                sections,
            };
            out.push((template, row.try_get("version")?));
        }
        Ok(out)
    }

    async fn insert_template(
        &self,
        t: &Template,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO postmortem_templates (name, label, sections, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&t.name)
            .bind(&t.label)
            .bind(encode(&t.sections)?)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(classify)?;
        audit::append(&mut tx, "template", 0, audit, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn update_template(
        &self,
        t: &Template,
        expected_version: i64,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE postmortem_templates SET label = $1, sections = $2, version = version + 1, updated_at = $3 WHERE name = $4 AND version = $5",
        )
        .bind(&t.label)
        .bind(encode(&t.sections)?)
        .bind(now)
        .bind(&t.name)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            let exists: Option<String> =
                sqlx::query_scalar("SELECT name FROM postmortem_templates WHERE name = $1")
                    .bind(&t.name)
                    .fetch_optional(&mut *tx)
                    .await?;
            return Err(if exists.is_some() {
                StoreError::VersionConflict
            } else {
                StoreError::NotFound
            });
        }
        audit::append(&mut tx, "template", 0, audit, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn template_defaults(&self) -> Result<Vec<(Severity, String)>, StoreError> {
        let rows = sqlx::query("SELECT severity, template FROM template_defaults")
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::new();
        for row in rows {
            let severity: String = row.try_get("severity")?;
            if let Ok(severity) = Severity::parse(&severity) {
                out.push((severity, row.try_get("template")?));
            }
        }
        out.sort();
        Ok(out)
    }

    async fn set_template_defaults(
        &self,
        defaults: &[(Severity, String)],
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        for (severity, template) in defaults {
            sqlx::query(
                "INSERT INTO template_defaults (severity, template) VALUES ($1, $2)
                 ON CONFLICT (severity) DO UPDATE SET template = excluded.template",
            )
            .bind(severity.as_str())
            .bind(template)
            .execute(&mut *tx)
            .await?;
        }
        audit::append(&mut tx, "template", 0, audit, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
