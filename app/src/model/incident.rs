use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{AuditRow, TimelineEntry, UserRef};
use crate::domain::{Milestones, Severity, Status};

/// A reference to another incident, with enough to show a link.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentLink {
    pub id: i64,
    pub human_id: String,
    pub title: String,
}

/// One incident as the API and the pages show it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    /// The number; `human_id` is the same as `INC-<id>`.
    pub id: i64,
    pub human_id: String,
    pub title: String,
    /// Markdown as written.
    pub summary: String,
    /// The summary rendered and sanitised; safe to insert as HTML.
    pub summary_html: String,
    pub severity: Severity,
    pub status: Status,
    pub services: Vec<String>,
    pub tags: Vec<String>,
    /// The commander's name as shown; `commander_user` when they have an account.
    pub commander: Option<String>,
    pub commander_user: Option<UserRef>,
    pub comms_lead: Option<String>,
    pub comms_lead_user: Option<UserRef>,
    pub customer_impact: Option<String>,
    pub repeat_of: Option<IncidentLink>,
    pub duplicate_of: Option<IncidentLink>,
    pub decline_reason: Option<String>,
    /// Where an imported incident came from (a dataset's id); `None` otherwise.
    pub external_id: Option<String>,
    #[serde(flatten)]
    pub milestones: Milestones,
    /// Incremented on every change; a save must name the version it read.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Incident {
    /// Impact time: started → mitigated (or resolved), when both are known.
    pub fn impact_duration(&self) -> Option<chrono::Duration> {
        let end = self
            .milestones
            .mitigated_at
            .or(self.milestones.resolved_at)?;
        Some(end - self.milestones.started_at?)
    }

    pub fn link(&self) -> IncidentLink {
        IncidentLink {
            id: self.id,
            human_id: self.human_id.clone(),
            title: self.title.clone(),
        }
    }
}

/// The incident page: the incident, its timeline (oldest entry first) and
/// its history from the audit log (newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentDetail {
    pub incident: Incident,
    pub timeline: Vec<TimelineEntry>,
    pub history: Vec<AuditRow>,
    /// People with an account, offered when naming a commander.
    pub people: Vec<UserRef>,
    /// Whether the caller may change this incident (responders and admins).
    pub can_edit: bool,
}
