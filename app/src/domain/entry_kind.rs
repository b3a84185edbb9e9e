use serde::{Deserialize, Serialize};

/// What a timeline entry records.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Note,
    StatusChange,
    ActionTaken,
    Alert,
}

impl EntryKind {
    pub const ALL: [EntryKind; 4] = [
        Self::Note,
        Self::StatusChange,
        Self::ActionTaken,
        Self::Alert,
    ];
    /// The kinds a person picks when adding an entry; status changes are written by the system.
    pub const MANUAL: [EntryKind; 3] = [Self::Note, Self::ActionTaken, Self::Alert];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Note => "note",
            Self::StatusChange => "status_change",
            Self::ActionTaken => "action_taken",
            Self::Alert => "alert",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Note => "Note",
            Self::StatusChange => "Status change",
            Self::ActionTaken => "Action taken",
            Self::Alert => "Alert",
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim().to_ascii_lowercase();
        if t.is_empty() {
            return Ok(Self::Note);
        }
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == t)
            .ok_or_else(|| {
                format!(
                    "'{}' is not an entry kind: use note, status_change, action_taken or alert",
                    super::text::printable_excerpt(text)
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_default_to_note() {
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::parse(k.as_str()), Ok(k));
        }
        assert_eq!(EntryKind::parse(""), Ok(EntryKind::Note));
        assert!(EntryKind::parse("gossip").is_err());
    }
}
