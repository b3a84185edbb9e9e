//! Postmortem review in SQLite: status moves, the checklist, and threads.
use app::domain::PostmortemStatus;
use app::model::{ChecklistItem, ReviewComment, ReviewThread};
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{SqliteStore, audit, classify};
use crate::store::common::checklist::checklist;
use crate::store::{AuditWrite, CommentWrite, ReviewStore, StoreError};

impl SqliteStore {
    pub(super) async fn checklist_of(
        &self,
        postmortem_id: i64,
    ) -> Result<Vec<ChecklistItem>, StoreError> {
        let rows = sqlx::query(
            "SELECT item, checked_by FROM postmortem_checklist WHERE postmortem_id = ?",
        )
        .bind(postmortem_id)
        .fetch_all(&self.reader)
        .await?;
        let ticked: Vec<(String, Option<String>)> = rows
            .iter()
            .map(|r| Ok((r.try_get("item")?, r.try_get("checked_by")?)))
            .collect::<Result<_, sqlx::Error>>()?;
        Ok(checklist(&ticked))
    }

    pub(super) async fn threads_of(
        &self,
        postmortem_id: i64,
    ) -> Result<Vec<ReviewThread>, StoreError> {
        let threads = sqlx::query(
            "SELECT id, section_key, resolved, resolved_by, version FROM review_threads WHERE postmortem_id = ? ORDER BY id",
        )
        .bind(postmortem_id)
        .fetch_all(&self.reader)
        .await?;
        let comments = sqlx::query(
            "SELECT c.id, c.thread_id, c.body_md, c.body_html, c.author, c.created_at FROM review_comments c
             JOIN review_threads t ON t.id = c.thread_id WHERE t.postmortem_id = ? ORDER BY c.id",
        )
        .bind(postmortem_id)
        .fetch_all(&self.reader)
        .await?;
        let mut out = Vec::with_capacity(threads.len());
        for t in &threads {
            let id: i64 = t.try_get("id")?;
            let mut list = Vec::new();
            for c in comments
                .iter()
                .filter(|c| c.try_get::<i64, _>("thread_id").ok() == Some(id))
            {
                list.push(ReviewComment {
                    id: c.try_get("id")?,
                    body: c.try_get("body_md")?,
                    body_html: c.try_get("body_html")?,
                    author: c.try_get("author")?,
                    created_at: c.try_get("created_at")?,
                });
            }
            out.push(ReviewThread {
                id,
                section_key: t.try_get("section_key")?,
                resolved: t.try_get("resolved")?,
                resolved_by: t.try_get("resolved_by")?,
                version: t.try_get("version")?,
                comments: list,
            });
        }
        Ok(out)
    }
}

async fn insert_comment(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    thread_id: i64,
    c: &CommentWrite,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO review_comments (thread_id, body_md, body_html, author, author_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(thread_id)
    .bind(&c.body_md)
    .bind(&c.body_html)
    .bind(&c.author)
    .bind(c.author_id)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(classify)?;
    Ok(())
}

#[async_trait::async_trait]
impl ReviewStore for SqliteStore {
    async fn set_postmortem_status(
        &self,
        postmortem_id: i64,
        expected_version: i64,
        status: PostmortemStatus,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE postmortems SET status = ?, completed_at = ?, version = version + 1, updated_at = ?
             WHERE id = ? AND version = ?",
        )
        // `complete` is stored as published with a completion time (migration 0007).
        .bind(if status == PostmortemStatus::Complete { "published" } else { status.as_str() })
        .bind((status == PostmortemStatus::Complete).then_some(now))
        .bind(now)
        .bind(postmortem_id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::VersionConflict);
        }
        audit::append(&mut tx, "postmortem", postmortem_id, audit, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_checklist_item(
        &self,
        postmortem_id: i64,
        item: &str,
        checked_by: Option<&str>,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        match checked_by {
            Some(by) => sqlx::query(
                "INSERT INTO postmortem_checklist (postmortem_id, item, checked_by, checked_at) VALUES (?, ?, ?, ?)
                 ON CONFLICT (postmortem_id, item) DO NOTHING",
            )
            .bind(postmortem_id)
            .bind(item)
            .bind(by)
            .bind(now),
            None => sqlx::query("DELETE FROM postmortem_checklist WHERE postmortem_id = ? AND item = ?")
                .bind(postmortem_id)
                .bind(item),
        }
        .execute(&mut *tx)
        .await?;
        audit::append(&mut tx, "postmortem", postmortem_id, audit, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn add_thread(
        &self,
        postmortem_id: i64,
        section_key: &str,
        comment: &CommentWrite,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO review_threads (postmortem_id, section_key, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(postmortem_id)
        .bind(section_key)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(classify)?;
        insert_comment(&mut tx, id, comment, now).await?;
        audit::append(&mut tx, "postmortem", postmortem_id, audit, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn add_comment(
        &self,
        postmortem_id: i64,
        thread_id: i64,
        comment: &CommentWrite,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let found = sqlx::query(
            "UPDATE review_threads SET updated_at = ? WHERE id = ? AND postmortem_id = ?",
        )
        .bind(now)
        .bind(thread_id)
        .bind(postmortem_id)
        .execute(&mut *tx)
        .await?;
        if found.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        insert_comment(&mut tx, thread_id, comment, now).await?;
        audit::append(&mut tx, "postmortem", postmortem_id, audit, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn resolve_thread(
        &self,
        postmortem_id: i64,
        thread_id: i64,
        expected_version: i64,
        resolved_by: Option<&str>,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE review_threads SET resolved = ?, resolved_by = ?, version = version + 1, updated_at = ?
             WHERE id = ? AND postmortem_id = ? AND version = ?",
        )
        .bind(resolved_by.is_some())
        .bind(resolved_by)
        .bind(now)
        .bind(thread_id)
        .bind(postmortem_id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            let exists: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM review_threads WHERE id = ? AND postmortem_id = ?",
            )
            .bind(thread_id)
            .bind(postmortem_id)
            .fetch_optional(&mut *tx)
            .await?;
            return Err(if exists.is_some() {
                StoreError::VersionConflict
            } else {
                StoreError::NotFound
            });
        }
        audit::append(&mut tx, "postmortem", postmortem_id, audit, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
