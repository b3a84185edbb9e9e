//! Inputs as clients send them: raw text, parsed by the service.
//! Every field name here is the name errors use.
use serde::{Deserialize, Deserializer, Serialize};

/// A new incident. Only `title` and `severity` are required; a past incident
/// can be recorded with any status and its timestamps.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentInput {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    pub severity: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub commander: Option<String>,
    #[serde(default)]
    pub comms_lead: Option<String>,
    #[serde(default)]
    pub customer_impact: Option<String>,
    /// Number or human id of an earlier incident this one repeats.
    #[serde(default)]
    pub repeat_of: Option<String>,
    #[serde(default)]
    pub duplicate_of: Option<String>,
    #[serde(default)]
    pub decline_reason: Option<String>,
    #[serde(default)]
    pub started_at: Option<String>,
    #[serde(default)]
    pub detected_at: Option<String>,
    #[serde(default)]
    pub declared_at: Option<String>,
    #[serde(default)]
    pub acknowledged_at: Option<String>,
    #[serde(default)]
    pub mitigated_at: Option<String>,
    #[serde(default)]
    pub resolved_at: Option<String>,
}

/// A change to an incident. Absent fields stay as they are; for nullable
/// fields, `null` clears. `version` is the version the client read.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentPatch {
    pub version: i64,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub severity: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub services: Option<Vec<String>>,
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub commander: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub comms_lead: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub customer_impact: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub repeat_of: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub duplicate_of: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub decline_reason: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub started_at: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub detected_at: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub declared_at: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub acknowledged_at: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub mitigated_at: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub resolved_at: Option<Option<String>>,
    /// A note for the status-change timeline entry.
    #[serde(default)]
    pub note: Option<String>,
}

/// Distinguishes "absent" (outer `None`, via `default`) from `null` (`Some(None)`).
fn nullable<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// A new timeline entry.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineInput {
    #[serde(default)]
    pub kind: Option<String>,
    pub body: String,
    /// Defaults to now.
    #[serde(default)]
    pub occurred_at: Option<String>,
}

/// An edit of a timeline entry; `version` is the version the client read.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineEdit {
    pub version: i64,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub occurred_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_tells_absent_from_null() {
        let p: IncidentPatch = serde_json::from_str(r#"{"version":3,"resolved_at":null}"#).unwrap();
        assert_eq!(p.version, 3);
        assert_eq!(p.resolved_at, Some(None));
        assert_eq!(p.mitigated_at, None);
        let p: IncidentPatch = serde_json::from_str(r#"{"version":3,"commander":"Ana"}"#).unwrap();
        assert_eq!(p.commander, Some(Some("Ana".into())));
    }

    #[test]
    fn unknown_fields_are_refused_by_name() {
        let err =
            serde_json::from_str::<IncidentPatch>(r#"{"version":1,"titel":"x"}"#).unwrap_err();
        assert!(err.to_string().contains("titel"));
    }
}
