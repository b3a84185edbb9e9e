//! Action items: the work that keeps an incident from happening again,
//! tracked to completion. Their status, type and priority, and the rules
//! that hold for every change (a "won't do" needs a reason).
use serde::{Deserialize, Serialize};

use super::Severity;

/// Where an action item is. `Done` and `WontDo` close it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Open,
    InProgress,
    Blocked,
    Done,
    WontDo,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 5] = [
        Self::Open,
        Self::InProgress,
        Self::Blocked,
        Self::Done,
        Self::WontDo,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::InProgress => "in_progress",
            Self::Blocked => "blocked",
            Self::Done => "done",
            Self::WontDo => "wont_do",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Open",
            Self::InProgress => "In progress",
            Self::Blocked => "Blocked",
            Self::Done => "Done",
            Self::WontDo => "Won't do",
        }
    }

    /// Done or won't do: no more work expected.
    pub fn is_closed(self) -> bool {
        matches!(self, Self::Done | Self::WontDo)
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        let t = if t == "won't_do" || t == "wontdo" {
            "wont_do".to_string()
        } else {
            t
        };
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == t)
            .ok_or_else(|| "use open, in_progress, blocked, done or wont_do".to_string())
    }
}

/// What kind of work it is.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Prevent,
    Mitigate,
    Detect,
    Process,
}

impl ActionKind {
    pub const ALL: [ActionKind; 4] = [Self::Prevent, Self::Mitigate, Self::Detect, Self::Process];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Prevent => "prevent",
            Self::Mitigate => "mitigate",
            Self::Detect => "detect",
            Self::Process => "process",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Prevent => "Prevent",
            Self::Mitigate => "Mitigate",
            Self::Detect => "Detect",
            Self::Process => "Process",
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == t)
            .ok_or_else(|| "use prevent, mitigate, detect or process".to_string())
    }
}

/// How soon it matters.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    High,
    Medium,
    Low,
}

impl Priority {
    pub const ALL: [Priority; 3] = [Self::High, Self::Medium, Self::Low];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::High => "high",
            Self::Medium => "medium",
            Self::Low => "low",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::High => "High",
            Self::Medium => "Medium",
            Self::Low => "Low",
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == t)
            .ok_or_else(|| "use high, medium or low".to_string())
    }
}

/// Days until an action item is due, by the incident's severity. The
/// defaults follow PagerDuty's published practice (SEV1 15, SEV2 30).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueDays {
    pub sev1: i64,
    pub sev2: i64,
    pub sev3: i64,
    pub sev4: i64,
}

impl Default for DueDays {
    fn default() -> Self {
        Self {
            sev1: 15,
            sev2: 30,
            sev3: 60,
            sev4: 90,
        }
    }
}

impl DueDays {
    pub const MAX: i64 = 3650;

    pub fn for_severity(&self, severity: Severity) -> i64 {
        match severity {
            Severity::Sev1 => self.sev1,
            Severity::Sev2 => self.sev2,
            Severity::Sev3 => self.sev3,
            Severity::Sev4 => self.sev4,
        }
    }
}

/// Checks a status with its reason: "won't do" must say why.
pub fn check_action_status(status: ActionStatus, reason: Option<&str>) -> Result<(), String> {
    let has_reason = reason.is_some_and(|r| !r.trim().is_empty());
    if status == ActionStatus::WontDo && !has_reason {
        return Err("is required when the status is wont_do: say why it will not be done".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_parse_and_close() {
        for s in ActionStatus::ALL {
            assert_eq!(ActionStatus::parse(s.as_str()), Ok(s));
        }
        assert_eq!(ActionStatus::parse("Won't do"), Ok(ActionStatus::WontDo));
        assert_eq!(
            ActionStatus::parse("in progress"),
            Ok(ActionStatus::InProgress)
        );
        assert!(ActionStatus::parse("finished").is_err());
        assert!(ActionStatus::Done.is_closed());
        assert!(ActionStatus::WontDo.is_closed());
        assert!(!ActionStatus::Blocked.is_closed());
    }

    #[test]
    fn wont_do_needs_a_reason() {
        assert!(check_action_status(ActionStatus::WontDo, None).is_err());
        assert!(check_action_status(ActionStatus::WontDo, Some("  ")).is_err());
        assert!(check_action_status(ActionStatus::WontDo, Some("replaced by INC-9's fix")).is_ok());
        assert!(check_action_status(ActionStatus::Done, None).is_ok());
    }

    #[test]
    fn due_days_follow_severity_with_pagerduty_defaults() {
        let d = DueDays::default();
        assert_eq!(d.for_severity(Severity::Sev1), 15);
        assert_eq!(d.for_severity(Severity::Sev2), 30);
        assert!(d.for_severity(Severity::Sev4) > d.for_severity(Severity::Sev3));
        assert_eq!(ActionKind::parse("Detect"), Ok(ActionKind::Detect));
        assert_eq!(Priority::parse("LOW"), Ok(Priority::Low));
        assert!(Priority::parse("urgent").is_err());
    }
}
