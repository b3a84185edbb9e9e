//! Postmortems as the store sees them: created from a template's sections,
//! then each section saved on its own, with a version and a revision kept.
use app::domain::SectionSpec;
use app::model::{Postmortem, PostmortemSection};
use chrono::{DateTime, Utc};

use super::{AuditWrite, StoreError};

/// A section's new text, validated and rendered, and who wrote it.
#[derive(Debug, Clone)]
pub struct SectionWrite {
    pub body_md: String,
    pub body_html: String,
    pub author: Option<String>,
    pub author_id: Option<i64>,
}

/// One saved state of a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRevision {
    pub version: i64,
    pub body_md: String,
    pub author: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[async_trait::async_trait]
pub trait PostmortemStore: Send + Sync + 'static {
    /// Creates the incident's postmortem with empty sections; `Duplicate`
    /// when it already has one.
    async fn insert_postmortem(
        &self,
        incident_id: i64,
        template: &str,
        sections: &[SectionSpec],
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<Postmortem, StoreError>;
    /// Every postmortem, the most recently changed first.
    async fn postmortems(&self) -> Result<Vec<Postmortem>, StoreError>;
    async fn postmortem_for_incident(
        &self,
        incident_id: i64,
    ) -> Result<Option<Postmortem>, StoreError>;
    /// Replaces a section's text if its version is still `expected_version`
    /// (`VersionConflict` otherwise), keeping the new state as a revision.
    async fn save_section(
        &self,
        postmortem_id: i64,
        key: &str,
        expected_version: i64,
        write: &SectionWrite,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<PostmortemSection, StoreError>;
    /// Every saved state of a section, newest first.
    async fn section_revisions(&self, section_id: i64) -> Result<Vec<StoredRevision>, StoreError>;
}
