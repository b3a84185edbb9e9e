//! Action items as the pages and the API see them, the board that lists
//! them across incidents, and their statistics.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{IncidentLink, UserRef};
use crate::domain::{ActionKind, ActionStatus, DueDays, Priority, Severity};

/// One status an item has had: when, who, and why (for "won't do").
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionEvent {
    pub status: ActionStatus,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
    pub by: Option<String>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionItem {
    pub id: i64,
    pub incident: IncidentLink,
    pub severity: Severity,
    pub services: Vec<String>,
    /// The postmortem section it was written in, if any.
    pub section_key: Option<String>,
    pub title: String,
    pub description: String,
    pub owner: Option<UserRef>,
    pub due_on: Option<NaiveDate>,
    pub priority: Priority,
    pub kind: ActionKind,
    pub status: ActionStatus,
    /// Why it will not be done (required for `wont_do`).
    pub reason: Option<String>,
    pub tracker_url: Option<String>,
    /// Past its due date and not closed, as of today (UTC).
    pub overdue: bool,
    /// When it was last closed, from the status history; `None` while open.
    pub closed_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Every status it has had, oldest first.
    pub history: Vec<ActionEvent>,
}

/// A new action item, as typed. Empty `due_on` takes the default for the
/// incident's severity; `owner` is a user's id or email, or empty.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionInput {
    /// Taken from the path in the REST API.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(ignore))]
    pub incident: String,
    #[serde(default)]
    pub section_key: Option<String>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub due_on: String,
    #[serde(default)]
    pub priority: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub tracker_url: String,
}

/// A change to an action item, made against the version it read. Absent
/// fields stay as they are; an empty `owner`, `due_on` or `tracker_url`
/// clears it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionPatch {
    /// Taken from the path in the REST API.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(ignore))]
    pub id: i64,
    pub version: i64,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub due_on: Option<String>,
    #[serde(default)]
    pub priority: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub tracker_url: Option<String>,
}

/// The board's filters, as typed in its GET form or the API's query string.
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionQuery {
    /// A status, `open` by default meaning every item not closed; `all` for every item.
    #[serde(default)]
    pub status: Option<String>,
    /// A user's id or email, or `me`.
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub service: Option<String>,
    #[serde(default)]
    pub severity: Option<String>,
    #[serde(default)]
    pub team: Option<String>,
    /// `true` for overdue items only.
    #[serde(default)]
    pub overdue: Option<String>,
    /// `due`, `priority`, `severity`, `owner`, `status`, `incident` or `created`.
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default)]
    pub dir: Option<String>,
    /// Only this incident's items.
    #[serde(default)]
    pub incident: Option<String>,
}

/// Completion figures for one group of items (a severity, or a team).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionStats {
    pub group: String,
    pub total: i64,
    pub done: i64,
    pub wont_do: i64,
    pub open: i64,
    pub overdue: i64,
    /// done ÷ (total − won't do); `None` when nothing counts.
    pub completion_rate: Option<f64>,
    /// Creation → done, over done items, in seconds.
    pub median_time_to_complete_s: Option<f64>,
}

/// An overdue item, for the oldest-overdue lists.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueItem {
    pub id: i64,
    pub title: String,
    pub incident: IncidentLink,
    pub owner: Option<String>,
    pub due_on: NaiveDate,
    pub days_overdue: i64,
}

/// The action-item board: the matching items and the figures beside them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionBoard {
    pub items: Vec<ActionItem>,
    pub by_severity: Vec<ActionStats>,
    pub by_team: Vec<ActionStats>,
    pub oldest_overdue: Vec<OverdueItem>,
    pub owners: Vec<UserRef>,
    pub services: Vec<String>,
    pub teams: Vec<String>,
    /// The caller's id, for "My action items".
    pub viewer_id: Option<i64>,
    pub can_edit: bool,
    pub today: NaiveDate,
}

/// Which team owns a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceTeam {
    pub service: String,
    pub team: Option<String>,
    /// 0 when no team was ever set.
    pub version: i64,
}

/// Admins' rules for action items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionPolicy {
    pub due_days: DueDays,
    /// A postmortem may be marked complete only when its prevention items are closed.
    pub complete_requires_actions: bool,
    pub version: i64,
}

/// An admin's change to the policy, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionPolicyInput {
    pub sev1_days: String,
    pub sev2_days: String,
    pub sev3_days: String,
    pub sev4_days: String,
    #[serde(default)]
    pub complete_requires_actions: Option<String>,
    pub version: i64,
}

/// An admin sets (or, with an empty `team`, clears) a service's team.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamInput {
    pub service: String,
    #[serde(default)]
    pub team: String,
    #[serde(default)]
    pub version: i64,
}

/// The admin page for action items: the policy and the service teams.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionAdmin {
    pub policy: ActionPolicy,
    pub teams: Vec<ServiceTeam>,
}
