//! Reviewing postmortems as the store sees it: the status, the checklist,
//! and comment threads on sections. Every write is audited in its
//! transaction.
use app::domain::PostmortemStatus;
use chrono::{DateTime, Utc};

use super::{AuditWrite, StoreError};

/// A validated, rendered comment and its author.
#[derive(Debug, Clone)]
pub struct CommentWrite {
    pub body_md: String,
    pub body_html: String,
    pub author: Option<String>,
    pub author_id: Option<i64>,
}

#[async_trait::async_trait]
pub trait ReviewStore: Send + Sync + 'static {
    /// Moves the postmortem to `status` if its version is still `expected_version`.
    async fn set_postmortem_status(
        &self,
        postmortem_id: i64,
        expected_version: i64,
        status: PostmortemStatus,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError>;
    async fn set_checklist_item(
        &self,
        postmortem_id: i64,
        item: &str,
        checked_by: Option<&str>,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError>;
    /// Opens a thread on a section with its first comment; the thread id.
    async fn add_thread(
        &self,
        postmortem_id: i64,
        section_key: &str,
        comment: &CommentWrite,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<i64, StoreError>;
    /// Replies in a thread of `postmortem_id` (`NotFound` for another's).
    async fn add_comment(
        &self,
        postmortem_id: i64,
        thread_id: i64,
        comment: &CommentWrite,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError>;
    async fn resolve_thread(
        &self,
        postmortem_id: i64,
        thread_id: i64,
        expected_version: i64,
        resolved_by: Option<&str>,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError>;
}
