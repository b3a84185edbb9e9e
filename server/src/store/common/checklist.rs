//! The reviewer checklist as a postmortem shows it: every item of
//! [`REVIEW_CHECKLIST`], in its order, ticked where a stored row says so.
use app::domain::REVIEW_CHECKLIST;
use app::model::ChecklistItem;

/// Merges the stored ticks (`(item, checked_by)` rows, in any order) into
/// the full checklist. Rows for items no longer on the list are ignored.
pub(in crate::store) fn checklist(ticked: &[(String, Option<String>)]) -> Vec<ChecklistItem> {
    REVIEW_CHECKLIST
        .iter()
        .map(|(key, label)| {
            let tick = ticked.iter().find(|(item, _)| item == key);
            ChecklistItem {
                key: key.to_string(),
                label: label.to_string(),
                checked: tick.is_some(),
                checked_by: tick.and_then(|(_, by)| by.clone()),
            }
        })
        .collect()
}
