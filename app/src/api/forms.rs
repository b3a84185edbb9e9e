//! HTML form shapes and their conversion to the API inputs. Lists arrive
//! comma-separated; blank fields mean "none".
use serde::{Deserialize, Serialize};

use crate::domain::split_list;
use crate::model::{IncidentInput, IncidentPatch, TimelineEdit, TimelineInput};

fn blank_to_none(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewIncidentForm {
    pub title: String,
    #[serde(default)]
    pub severity: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub services: String,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub commander: Option<String>,
    #[serde(default)]
    pub comms_lead: Option<String>,
    #[serde(default)]
    pub customer_impact: Option<String>,
    #[serde(default)]
    pub started_at: Option<String>,
    #[serde(default)]
    pub detected_at: Option<String>,
    #[serde(default)]
    pub repeat_of: Option<String>,
}

impl From<NewIncidentForm> for IncidentInput {
    fn from(f: NewIncidentForm) -> Self {
        IncidentInput {
            title: f.title,
            summary: f.summary,
            severity: f.severity,
            services: split_list(&f.services),
            tags: split_list(&f.tags),
            commander: blank_to_none(f.commander),
            comms_lead: blank_to_none(f.comms_lead),
            customer_impact: blank_to_none(f.customer_impact),
            started_at: blank_to_none(f.started_at),
            detected_at: blank_to_none(f.detected_at),
            repeat_of: blank_to_none(f.repeat_of),
            ..Default::default()
        }
    }
}

/// The "edit details" form: every field is sent, so blank clears.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EditIncidentForm {
    pub id: String,
    pub version: i64,
    pub title: String,
    #[serde(default)]
    pub severity: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub services: String,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub commander: String,
    #[serde(default)]
    pub comms_lead: String,
    #[serde(default)]
    pub customer_impact: String,
    #[serde(default)]
    pub repeat_of: String,
    #[serde(default)]
    pub started_at: String,
    #[serde(default)]
    pub detected_at: String,
    #[serde(default)]
    pub acknowledged_at: String,
    #[serde(default)]
    pub mitigated_at: String,
    #[serde(default)]
    pub resolved_at: String,
}

impl From<EditIncidentForm> for IncidentPatch {
    fn from(f: EditIncidentForm) -> Self {
        let cleared = |v: String| Some(Some(v).filter(|v| !v.trim().is_empty()));
        IncidentPatch {
            version: f.version,
            title: Some(f.title),
            severity: Some(f.severity),
            summary: Some(f.summary),
            services: Some(split_list(&f.services)),
            tags: Some(split_list(&f.tags)),
            commander: cleared(f.commander),
            comms_lead: cleared(f.comms_lead),
            customer_impact: cleared(f.customer_impact),
            repeat_of: cleared(f.repeat_of),
            started_at: cleared(f.started_at),
            detected_at: cleared(f.detected_at),
            acknowledged_at: cleared(f.acknowledged_at),
            mitigated_at: cleared(f.mitigated_at),
            resolved_at: cleared(f.resolved_at),
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatusForm {
    pub id: String,
    pub version: i64,
    pub status: String,
    #[serde(default)]
    pub duplicate_of: Option<String>,
    #[serde(default)]
    pub decline_reason: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl From<StatusForm> for IncidentPatch {
    fn from(f: StatusForm) -> Self {
        IncidentPatch {
            version: f.version,
            status: Some(f.status),
            duplicate_of: blank_to_none(f.duplicate_of).map(Some),
            decline_reason: blank_to_none(f.decline_reason).map(Some),
            note: blank_to_none(f.note),
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TimelineForm {
    pub id: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub occurred_at: Option<String>,
}

impl From<TimelineForm> for TimelineInput {
    fn from(f: TimelineForm) -> Self {
        TimelineInput {
            kind: Some(f.kind),
            body: f.body,
            occurred_at: blank_to_none(f.occurred_at),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TimelineEditForm {
    pub id: String,
    pub entry_id: i64,
    pub version: i64,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub occurred_at: String,
}

impl From<TimelineEditForm> for TimelineEdit {
    fn from(f: TimelineEditForm) -> Self {
        TimelineEdit {
            version: f.version,
            kind: Some(f.kind),
            body: Some(f.body),
            occurred_at: Some(f.occurred_at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_incident_form_splits_lists_and_drops_blanks() {
        let input: IncidentInput = NewIncidentForm {
            title: "t".into(),
            severity: "SEV2".into(),
            services: "checkout, payments ,".into(),
            commander: Some("  ".into()),
            ..Default::default()
        }
        .into();
        assert_eq!(input.services, vec!["checkout", "payments"]);
        assert_eq!(input.commander, None);
    }

    #[test]
    fn edit_form_clears_blank_fields() {
        let patch: IncidentPatch = EditIncidentForm {
            id: "1".into(),
            version: 4,
            title: "t".into(),
            resolved_at: "".into(),
            commander: "Ana".into(),
            ..Default::default()
        }
        .into();
        assert_eq!(patch.version, 4);
        assert_eq!(patch.resolved_at, Some(None));
        assert_eq!(patch.commander, Some(Some("Ana".into())));
        assert_eq!(patch.status, None);
    }
}
