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
/// Read through [`LiveEventWire`] (same JSON), so the browser bundle carries
/// no buffering deserializer for internally tagged enums.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "LiveEventWire")]
pub enum LiveEvent {
    SectionSaved { section: PostmortemSection },
    Presence { editors: Vec<Editor> },
}

/// The JSON shape of every [`LiveEvent`]: the `type` tag and its field.
#[derive(Deserialize)]
struct LiveEventWire {
    r#type: String,
    section: Option<PostmortemSection>,
    editors: Option<Vec<Editor>>,
}

impl TryFrom<LiveEventWire> for LiveEvent {
    type Error = String;

    fn try_from(wire: LiveEventWire) -> Result<Self, String> {
        match (wire.r#type.as_str(), wire.section, wire.editors) {
            ("section_saved", Some(section), _) => Ok(Self::SectionSaved { section }),
            ("presence", _, Some(editors)) => Ok(Self::Presence { editors }),
            (kind, _, _) => Err(format!(
                "a `{kind}` event without its field, or of no known type"
            )),
        }
    }
}

/// "I am writing `section`" (empty: no longer writing), sent while typing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceBeat {
    pub incident: String,
    #[serde(default)]
    pub section: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_reads_back_what_it_wrote_and_keeps_its_shape() {
        let event = LiveEvent::Presence {
            editors: vec![Editor {
                user_id: 3,
                name: "Ana".into(),
                section: "summary".into(),
            }],
        };
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json["type"], "presence");
        assert_eq!(serde_json::from_value::<LiveEvent>(json).unwrap(), event);
    }

    #[test]
    fn an_event_without_its_field_or_of_unknown_type_is_refused() {
        assert!(serde_json::from_str::<LiveEvent>(r#"{"type":"presence"}"#).is_err());
        assert!(serde_json::from_str::<LiveEvent>(r#"{"type":"nope","editors":[]}"#).is_err());
    }
}
