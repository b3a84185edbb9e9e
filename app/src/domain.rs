//! Domain types, parsed once at the edge into validated values.
//!
//! Everything here compiles for both the server and the browser, so the
//! new-incident form can check a field with the same rule the service uses.
mod account;
mod action_item;
mod blameless;
mod entry_kind;
mod label;
mod metrics;
mod milestone;
mod postmortem_status;
mod review;
mod role;
mod severity;
mod status;
mod template;
mod text;
mod timestamp;
mod webhook;

pub use account::{
    MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, check_new_password, parse_display_name, parse_email,
};
pub use action_item::{ActionKind, ActionStatus, DueDays, Priority, check_action_status};
pub use blameless::{Finding, FindingKind, check_blameless, names_to_check};
pub use entry_kind::EntryKind;
pub use label::{MAX_LABELS, parse_labels, split_list};
pub use metrics::{DurationStats, Metric, SMALL_SAMPLE, median_ranks, needed_ranks, summary_ranks};
pub use milestone::{Milestone, Milestones, StampMeta, StampSource, check_milestone_order};
pub use postmortem_status::PostmortemStatus;
pub use review::{REVIEW_CHECKLIST, check_status_move, checklist_label};
pub use role::Role;
pub use severity::Severity;
pub use status::Status;
pub use template::{
    PREVENTION_KEYS, SectionSpec, Template, WHAT_HAPPENED, built_in, google_sre, heroku,
    parse_sections, parse_template_name, section_key, sections_text,
};
pub use text::{
    MAX_MARKDOWN_BYTES, MAX_TITLE_CHARS, parse_markdown, parse_optional_line, parse_title,
};
pub use timestamp::parse_timestamp;
pub use webhook::{MAX_WEBHOOK_URL_CHARS, PING_EVENT, WebhookEvent, parse_webhook_url};

/// `INC-42` for incident 42.
pub fn human_id(id: i64) -> String {
    format!("INC-{id}")
}

/// Accepts `42`, `INC-42` or `inc-42`.
pub fn parse_incident_ref(text: &str) -> Option<i64> {
    let t = text.trim();
    let digits = t
        .strip_prefix("INC-")
        .or_else(|| t.strip_prefix("inc-"))
        .or_else(|| t.strip_prefix("Inc-"))
        .unwrap_or(t);
    digits.parse::<i64>().ok().filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incident_refs_accept_number_and_human_id() {
        assert_eq!(parse_incident_ref("42"), Some(42));
        assert_eq!(parse_incident_ref("INC-42"), Some(42));
        assert_eq!(parse_incident_ref(" inc-7 "), Some(7));
        assert_eq!(parse_incident_ref("INC-"), None);
        assert_eq!(parse_incident_ref("-3"), None);
        assert_eq!(parse_incident_ref("0"), None);
        assert_eq!(parse_incident_ref("'; DROP TABLE incidents;--"), None);
        assert_eq!(human_id(42), "INC-42");
    }
}
