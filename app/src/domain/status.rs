use serde::{Deserialize, Serialize};

use super::Milestone;

/// Where an incident stands. The active flow is
/// investigating → identified → monitoring → resolved; an incident can also
/// be closed as a duplicate (with a link) or declined (with a reason).
///
/// Every move between statuses is allowed: responders skip steps, step back
/// when a fix does not hold, and reopen closed incidents. What a move needs
/// is checked in [`Status::requirement`].
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
    Duplicate,
    Declined,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Self::Investigating,
        Self::Identified,
        Self::Monitoring,
        Self::Resolved,
        Self::Duplicate,
        Self::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Investigating => "investigating",
            Self::Identified => "identified",
            Self::Monitoring => "monitoring",
            Self::Resolved => "resolved",
            Self::Duplicate => "duplicate",
            Self::Declined => "declined",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Investigating => "Investigating",
            Self::Identified => "Identified",
            Self::Monitoring => "Monitoring",
            Self::Resolved => "Resolved",
            Self::Duplicate => "Duplicate",
            Self::Declined => "Declined",
        }
    }

    /// A text symbol shown beside the label, never instead of it.
    pub fn icon(self) -> &'static str {
        match self {
            Self::Investigating => "◎",
            Self::Identified => "◆",
            Self::Monitoring => "◐",
            Self::Resolved => "✓",
            Self::Duplicate => "⧉",
            Self::Declined => "⊘",
        }
    }

    /// Still burning: investigating, identified or monitoring.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            Self::Investigating | Self::Identified | Self::Monitoring
        )
    }

    /// The timestamp that moving into this status sets, unless one is given.
    pub fn milestone(self) -> Option<Milestone> {
        match self {
            Self::Identified => Some(Milestone::Acknowledged),
            Self::Monitoring => Some(Milestone::Mitigated),
            Self::Resolved => Some(Milestone::Resolved),
            _ => None,
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == t)
            .ok_or_else(|| {
                if t.is_empty() {
                    "is required".to_string()
                } else {
                    format!(
                        "'{}' is not a status: use investigating, identified, monitoring, resolved, duplicate or declined",
                        super::text::printable_excerpt(text.trim())
                    )
                }
            })
    }

    /// What moving into this status needs: duplicates link to the incident
    /// they repeat, and declined incidents say why.
    pub fn requirement(
        self,
        duplicate_of: Option<i64>,
        decline_reason: Option<&str>,
    ) -> Result<(), (&'static str, &'static str)> {
        match self {
            Self::Duplicate if duplicate_of.is_none() => Err((
                "duplicate_of",
                "is required when closing as duplicate: name the incident this one duplicates",
            )),
            Self::Declined if decline_reason.is_none_or(|r| r.trim().is_empty()) => Err((
                "decline_reason",
                "is required when declining an incident: say why",
            )),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_status_and_rejects_others() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Ok(s));
            assert_eq!(Status::parse(&s.as_str().to_uppercase()), Ok(s));
        }
        assert!(
            Status::parse("closed")
                .unwrap_err()
                .contains("not a status")
        );
        assert!(Status::parse("").unwrap_err().contains("required"));
    }

    #[test]
    fn active_statuses_are_the_first_three() {
        let active: Vec<_> = Status::ALL.into_iter().filter(|s| s.is_active()).collect();
        assert_eq!(
            active,
            vec![
                Status::Investigating,
                Status::Identified,
                Status::Monitoring
            ]
        );
    }

    #[test]
    fn moving_forward_sets_the_matching_milestone() {
        assert_eq!(Status::Investigating.milestone(), None);
        assert_eq!(
            Status::Identified.milestone(),
            Some(Milestone::Acknowledged)
        );
        assert_eq!(Status::Monitoring.milestone(), Some(Milestone::Mitigated));
        assert_eq!(Status::Resolved.milestone(), Some(Milestone::Resolved));
        assert_eq!(Status::Declined.milestone(), None);
    }

    #[test]
    fn duplicate_needs_a_link_and_declined_needs_a_reason() {
        assert_eq!(
            Status::Duplicate.requirement(None, None).unwrap_err().0,
            "duplicate_of"
        );
        assert!(Status::Duplicate.requirement(Some(3), None).is_ok());
        assert_eq!(
            Status::Declined
                .requirement(None, Some("  "))
                .unwrap_err()
                .0,
            "decline_reason"
        );
        assert!(
            Status::Declined
                .requirement(None, Some("test alert"))
                .is_ok()
        );
        assert!(Status::Resolved.requirement(None, None).is_ok());
    }
}
