//! Reviewing a postmortem: the checklist (after Google's postmortem review
//! criteria) and the moves between draft, review and published.
use super::PostmortemStatus;

/// The reviewer checklist: every item must be ticked before publishing.
pub const REVIEW_CHECKLIST: [(&str, &str); 5] = [
    (
        "key_data",
        "Key data is captured: times, numbers, and links to graphs and logs",
    ),
    (
        "impact_assessed",
        "The impact is assessed: who was affected, how many, and for how long",
    ),
    (
        "causes_deep",
        "The contributing factors go deep enough: why it was possible, not only what set it off",
    ),
    (
        "actions_appropriate",
        "The action items are appropriate, owned and prioritised",
    ),
    (
        "shared",
        "It is ready to share with everyone who should learn from it",
    ),
];

pub fn checklist_label(key: &str) -> Option<&'static str> {
    REVIEW_CHECKLIST
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, label)| *label)
}

/// Whether a postmortem may move from `from` to `to`, as far as the order
/// goes (publishing has conditions of its own, checked by the service).
pub fn check_status_move(from: PostmortemStatus, to: PostmortemStatus) -> Result<(), String> {
    use PostmortemStatus::{Complete, Draft, InReview, Published};
    match (from, to) {
        (a, b) if a == b => Err(format!("it is already {}", a.label().to_lowercase())),
        (Draft, Published) => Err("send it for review before publishing".into()),
        (Draft, InReview) | (InReview, Draft) | (InReview, Published) => Ok(()),
        // Reopening a published postmortem (audited like every change).
        (Published, Draft) | (Published, InReview) => Ok(()),
        // Completing needs the prevention items closed (the service checks).
        (Published, Complete) => Ok(()),
        (Complete, Published) | (Complete, Draft) | (Complete, InReview) => Ok(()),
        (Draft | InReview, Complete) => Err("publish it before marking it complete".into()),
        _ => Err("that move is not possible".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PostmortemStatus::{Draft, InReview, Published};

    #[test]
    fn publishing_goes_through_review_and_published_can_be_reopened() {
        assert!(check_status_move(Draft, InReview).is_ok());
        assert!(check_status_move(InReview, Published).is_ok());
        assert!(check_status_move(Published, Draft).is_ok());
        assert!(check_status_move(Draft, Published).is_err());
        assert!(check_status_move(Draft, Draft).is_err());
        assert!(check_status_move(Published, PostmortemStatus::Complete).is_ok());
        assert!(check_status_move(InReview, PostmortemStatus::Complete).is_err());
        assert_eq!(
            checklist_label("shared").map(|l| l.starts_with("It is ready")),
            Some(true)
        );
        assert_eq!(checklist_label("nope"), None);
    }
}
