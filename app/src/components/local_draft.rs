//! Unsaved section text kept in this browser's localStorage, so a closed
//! tab or a crash loses nothing. Only used from effects and event handlers,
//! which run in the browser.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalDraft {
    /// The section version the text was written against.
    pub version: i64,
    pub body: String,
}

fn storage() -> Option<web_sys::Storage> {
    leptos::prelude::window().local_storage().ok().flatten()
}

/// The storage key for one section of one incident's postmortem.
pub fn draft_key(incident: &str, section: &str) -> String {
    format!("firebreak:draft:{incident}:{section}")
}

pub fn load_draft(key: &str) -> Option<LocalDraft> {
    let text = storage()?.get_item(key).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

pub fn store_draft(key: &str, draft: &LocalDraft) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(draft)) {
        // A full quota only means no local copy; the editor keeps working.
        let _ = storage.set_item(key, &text);
    }
}

pub fn clear_draft(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}
