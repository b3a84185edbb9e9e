//! What a postmortem's readers hear while it is open: other people's saves
//! and who is writing which section.
use serde::{Deserialize, Serialize};

use super::PostmortemSection;

/// Someone with a section open for writing.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Editor {
    pub user_id: i64,
    pub name: String,
    /// The section key.
    pub section: String,
}

/// One server-sent event on `/api/v1/incidents/{id}/postmortem/events`.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveEvent {
    SectionSaved { section: PostmortemSection },
    Presence { editors: Vec<Editor> },
}

/// "I am writing `section`" (empty: no longer writing), sent while typing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceBeat {
    pub incident: String,
    #[serde(default)]
    pub section: String,
}
