//! Admins' postmortem templates and the default template per severity.
use app::domain::{Severity, Template};
use chrono::{DateTime, Utc};

use super::{AuditWrite, StoreError};

#[async_trait::async_trait]
pub trait TemplateStore: Send + Sync + 'static {
    /// Admins' templates, by name, each with its version.
    async fn custom_templates(&self) -> Result<Vec<(Template, i64)>, StoreError>;
    /// Adds a template (`Duplicate` when the name is taken).
    async fn insert_template(
        &self,
        template: &Template,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError>;
    /// Changes a template if its version is still `expected_version`.
    async fn update_template(
        &self,
        template: &Template,
        expected_version: i64,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError>;
    async fn template_defaults(&self) -> Result<Vec<(Severity, String)>, StoreError>;
    async fn set_template_defaults(
        &self,
        defaults: &[(Severity, String)],
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError>;
}
