//! Action items as the store sees them: the items with their status
//! history, the board's filters, completion figures, the admin policy
//! (due days, the completion rule) and which team owns each service.
use app::domain::{ActionKind, ActionStatus, Priority, Severity};
use app::model::{ActionItem, ActionPolicy, ActionStats, OverdueItem, ServiceTeam};
use chrono::{DateTime, NaiveDate, Utc};

use super::{AuditWrite, StoreError};

/// A validated action item to store.
#[derive(Debug, Clone)]
pub struct ActionWrite {
    pub title: String,
    pub description: String,
    pub owner_id: Option<i64>,
    pub due_on: Option<NaiveDate>,
    pub priority: Priority,
    pub kind: ActionKind,
    pub status: ActionStatus,
    pub reason: Option<String>,
    pub tracker_url: Option<String>,
}

/// Who made a change, as recorded in the status history.
#[derive(Debug, Clone, Default)]
pub struct ChangedBy {
    pub name: Option<String>,
    pub id: Option<i64>,
}

/// A column of the board. Each maps to a fixed SQL expression.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ActionSort {
    #[default]
    Due,
    Priority,
    Severity,
    Owner,
    Status,
    Incident,
    Created,
}

/// Which items the board shows.
#[derive(Debug, Clone, Default)]
pub struct ActionFilter {
    /// Empty: every status.
    pub statuses: Vec<ActionStatus>,
    pub owner_id: Option<i64>,
    pub service: Option<String>,
    pub severity: Option<Severity>,
    pub team: Option<String>,
    /// Only items due before this day and not closed.
    pub overdue_before: Option<NaiveDate>,
    pub incident_id: Option<i64>,
    pub sort: ActionSort,
    pub descending: bool,
    pub limit: i64,
}

/// How completion figures are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsGroup {
    Severity,
    Team,
}

/// Figures for one group, before the service derives the median.
#[derive(Debug, Clone)]
pub struct StoredStats {
    pub stats: ActionStats,
    /// Seconds from creation to done, for each done item.
    pub durations_s: Vec<i64>,
}

#[async_trait::async_trait]
pub trait ActionStore: Send + Sync + 'static {
    /// Adds an item and its first status event; returns its id.
    async fn insert_action(
        &self,
        incident_id: i64,
        section_key: Option<&str>,
        item: &ActionWrite,
        by: &ChangedBy,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<i64, StoreError>;
    /// Replaces an item if its version is still `expected_version`; a new
    /// status (or reason) appends a status event in the same transaction.
    async fn update_action(
        &self,
        id: i64,
        expected_version: i64,
        item: &ActionWrite,
        by: &ChangedBy,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError>;
    /// One item with its history; `overdue` as of `today`.
    async fn action(&self, id: i64, today: NaiveDate) -> Result<Option<ActionItem>, StoreError>;
    /// Matching items, without their history.
    async fn actions(
        &self,
        filter: &ActionFilter,
        today: NaiveDate,
    ) -> Result<Vec<ActionItem>, StoreError>;
    /// Items on `incident_id` that are not closed.
    async fn open_action_count(&self, incident_id: i64) -> Result<i64, StoreError>;
    /// Overdue items owned by `owner_id`.
    async fn overdue_count(&self, owner_id: i64, today: NaiveDate) -> Result<i64, StoreError>;
    async fn action_stats(
        &self,
        group: StatsGroup,
        today: NaiveDate,
    ) -> Result<Vec<StoredStats>, StoreError>;
    /// The longest-overdue items, oldest due date first.
    async fn oldest_overdue(
        &self,
        today: NaiveDate,
        limit: i64,
    ) -> Result<Vec<OverdueItem>, StoreError>;
    /// Items done in `[from, to)`.
    async fn completed_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<i64, StoreError>;

    async fn action_policy(&self) -> Result<ActionPolicy, StoreError>;
    /// Saves the policy if its version is still `policy.version`.
    async fn update_action_policy(
        &self,
        policy: &ActionPolicy,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<ActionPolicy, StoreError>;
    /// Every service named on an incident or given a team, with its team.
    async fn service_teams(&self) -> Result<Vec<ServiceTeam>, StoreError>;
    /// Sets or (with `None`) clears a service's team, if `expected_version`
    /// is still current (0: no team was ever set).
    async fn set_service_team(
        &self,
        service: &str,
        team: Option<&str>,
        expected_version: i64,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError>;
}
