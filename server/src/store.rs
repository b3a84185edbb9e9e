//! The store: persistence behind one trait, so PostgreSQL can join SQLite.
//!
//! Error policy: [`StoreError`] says what went wrong in terms the service can
//! act on (not found, stale version, a broken reference). Constraint
//! violations are classified by kind, never by matching message text.
//! Driver details stay inside `Database` and are only ever logged.
mod account_store;
mod action_store;
mod audit_store;
mod common;
mod disk_full;
mod factor_store;
mod health_store;
mod insight_store;
mod integration_store;
mod postgres;
mod postmortem_store;
mod review_store;
mod sqlite;
mod template_store;
mod webhook_store;

use std::path::Path;
use std::sync::Arc;

use app::domain::{EntryKind, Milestones, Severity, Status};
use app::model::{Incident, IncidentFactor, ListCounts, PostmortemSection, TimelineEntry};
use chrono::{DateTime, Utc};

pub use account_store::{AccountStore, NewUser, SessionRecord, StoredUser, UserWrite};
pub use action_store::{
    ActionFilter, ActionSort, ActionStore, ActionWrite, ChangedBy, StatsGroup, StoredStats,
};
pub use audit_store::{AuditFilter, AuditStore, AuditWrite};
pub use factor_store::{FactorStore, FactorWrite};
pub use health_store::{HealthStore, OutboxBacklog, PoolUse};
pub use insight_store::{InsightFilter, InsightStore, SelectionTotals, StoredMetric};
pub use integration_store::{
    IntegrationStore, IntegrationUpdate, IntegrationWrite, StoredIntegration,
};
pub use postgres::PgStore;
pub use postmortem_store::{PostmortemStore, SectionWrite, StoredRevision};
pub use review_store::{CommentWrite, ReviewStore};
pub use sqlite::SqliteStore;
pub use template_store::TemplateStore;
pub use webhook_store::{
    AttemptOutcome, EndpointWrite, Enqueue, EventWrite, LeasedDelivery, OverdueAction, WebhookStore,
};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// The row exists but its version is not the one the write expected.
    #[error("version conflict")]
    VersionConflict,
    /// A reference to a row that does not exist.
    #[error("broken reference")]
    ForeignKey,
    /// A unique value (an email, say) is already taken.
    #[error("already exists")]
    Duplicate,
    /// The disk is full (SQLite's SQLITE_FULL, an ENOSPC, PostgreSQL's
    /// disk_full): the write was rolled back.
    #[error("the disk is full")]
    StorageFull,
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("migration error: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        if disk_full::is_disk_full(&error) {
            Self::StorageFull
        } else {
            Self::Database(error)
        }
    }
}

/// The full, validated state of an incident as the service wants it stored.
#[derive(Debug, Clone)]
pub struct IncidentWrite {
    pub title: String,
    pub summary_md: String,
    pub summary_html: String,
    pub severity: Severity,
    pub status: Status,
    pub services: Vec<String>,
    pub tags: Vec<String>,
    pub commander: Option<String>,
    pub commander_id: Option<i64>,
    pub comms_lead: Option<String>,
    pub comms_lead_id: Option<i64>,
    pub customer_impact: Option<String>,
    pub repeat_of: Option<i64>,
    pub duplicate_of: Option<i64>,
    pub decline_reason: Option<String>,
    pub external_id: Option<String>,
    pub milestones: Milestones,
}

/// A validated timeline entry to store.
#[derive(Debug, Clone)]
pub struct EntryWrite {
    pub occurred_at: DateTime<Utc>,
    pub kind: EntryKind,
    pub body_md: String,
    pub body_html: String,
    pub author: Option<String>,
    pub author_id: Option<i64>,
}

/// A column to order the list by. Each maps to a fixed SQL expression.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortKey {
    /// Impact start, or declaration when the start is unknown.
    #[default]
    Started,
    Severity,
    /// Active statuses first, in the order of the flow.
    Status,
    Id,
    Title,
}

/// What the search index holds of one incident, read in bulk.
#[derive(Debug, Clone)]
pub struct IndexSource {
    pub incident: Incident,
    pub timeline: Vec<TimelineEntry>,
    /// The postmortem's sections, in order; empty without a postmortem.
    pub sections: Vec<PostmortemSection>,
    pub factors: Vec<IncidentFactor>,
}

impl IndexSource {
    /// An incident alone: no timeline, postmortem or factors.
    pub fn bare(incident: Incident) -> Self {
        Self {
            incident,
            timeline: Vec::new(),
            sections: Vec::new(),
            factors: Vec::new(),
        }
    }
}

/// Which incidents to list.
#[derive(Debug, Clone, Default)]
pub struct IncidentFilter {
    pub statuses: Vec<Status>,
    pub severity: Option<Severity>,
    pub service: Option<String>,
    pub tag: Option<String>,
    /// Every word must appear in the title or the summary.
    pub words: Vec<String>,
    pub sort: SortKey,
    pub descending: bool,
    pub limit: i64,
    pub offset: i64,
}

/// Everything the service layer stores, one backend per file under `store/`.
pub trait Store:
    IncidentStore
    + AccountStore
    + AuditStore
    + PostmortemStore
    + ReviewStore
    + FactorStore
    + TemplateStore
    + ActionStore
    + InsightStore
    + HealthStore
    + IntegrationStore
    + WebhookStore
{
}
impl<T> Store for T where
    T: IncidentStore
        + AccountStore
        + AuditStore
        + PostmortemStore
        + ReviewStore
        + FactorStore
        + TemplateStore
        + ActionStore
        + InsightStore
        + HealthStore
        + IntegrationStore
        + WebhookStore
{
}

#[async_trait::async_trait]
pub trait IncidentStore: Send + Sync + 'static {
    /// Inserts an incident and its first timeline entries in one transaction.
    async fn insert_incident(
        &self,
        incident: &IncidentWrite,
        now: DateTime<Utc>,
        entries: &[EntryWrite],
        audit: &AuditWrite,
    ) -> Result<Incident, StoreError>;
    /// Replaces an incident's state if its version is still `expected_version`.
    async fn update_incident(
        &self,
        id: i64,
        expected_version: i64,
        incident: &IncidentWrite,
        now: DateTime<Utc>,
        entries: &[EntryWrite],
        audit: &AuditWrite,
    ) -> Result<Incident, StoreError>;
    async fn incident(&self, id: i64) -> Result<Option<Incident>, StoreError>;
    async fn incident_exists(&self, id: i64) -> Result<bool, StoreError>;
    async fn incident_by_external_id(
        &self,
        external_id: &str,
    ) -> Result<Option<Incident>, StoreError>;
    /// The total matching `filter`, and one page of them, newest first.
    async fn list_incidents(
        &self,
        filter: &IncidentFilter,
    ) -> Result<(i64, Vec<Incident>), StoreError>;
    /// Counts by status (ignoring the status filter) and by severity (ignoring the severity filter).
    async fn incident_counts(&self, filter: &IncidentFilter) -> Result<ListCounts, StoreError>;
    async fn count_incidents(&self) -> Result<i64, StoreError>;

    /// Outbox rows after `after_seq`, oldest first: `(seq, entity, entity_id)`.
    async fn outbox_after(
        &self,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String, i64)>, StoreError>;
    /// The newest outbox sequence number, 0 when empty.
    async fn outbox_head(&self) -> Result<i64, StoreError>;
    /// What the index needs of each incident in `ids` that exists, in a
    /// few queries for the whole list.
    async fn index_sources(&self, ids: &[i64]) -> Result<Vec<IndexSource>, StoreError>;
    /// Incident ids above `after_id`, ascending, for a full reindex.
    async fn incident_ids_after(&self, after_id: i64, limit: i64) -> Result<Vec<i64>, StoreError>;

    async fn timeline(&self, incident_id: i64) -> Result<Vec<TimelineEntry>, StoreError>;
    async fn timeline_entry(&self, entry_id: i64) -> Result<Option<TimelineEntry>, StoreError>;
    async fn insert_timeline_entry(
        &self,
        incident_id: i64,
        entry: &EntryWrite,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<TimelineEntry, StoreError>;
    async fn update_timeline_entry(
        &self,
        entry_id: i64,
        expected_version: i64,
        entry: &EntryWrite,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<TimelineEntry, StoreError>;
}

/// Opens the store named by `database_url`, or the embedded SQLite database
/// in `data_dir`, and runs its migrations.
pub async fn open(data_dir: &Path, database_url: Option<&str>) -> anyhow::Result<Arc<dyn Store>> {
    match database_url {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(Arc::new(PgStore::connect(url).await?))
        }
        Some(url) => Ok(Arc::new(SqliteStore::connect(url).await?)),
        None => {
            std::fs::create_dir_all(data_dir)?;
            let path = data_dir.join("firebreak.db");
            Ok(Arc::new(
                SqliteStore::connect(&format!("sqlite://{}", path.display())).await?,
            ))
        }
    }
}
