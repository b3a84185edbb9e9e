//! Moving keyboard focus through a list of links: the header's live results
//! and the result lists (`j` / `k`, or the arrow keys once on a result).

/// Links a results page offers to `j` / `k`: search hits and incident rows.
pub const RESULT_LINKS: &str = ".search-hit-link, .title-cell a";

/// Moves focus `step` places through the elements matching `selector`,
/// wrapping around. From outside the list, forward goes to the first and
/// back to the last. Returns false when nothing matches.
pub fn walk_focus(selector: &str, step: i32) -> bool {
    use wasm_bindgen::JsCast;
    let doc = leptos::prelude::document();
    let Ok(found) = doc.query_selector_all(selector) else {
        return false;
    };
    let items: Vec<web_sys::HtmlElement> = (0..found.length())
        .filter_map(|i| found.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        .collect();
    if items.is_empty() {
        return false;
    }
    let active = doc.active_element();
    let current = items
        .iter()
        .position(|el| active.as_ref().is_some_and(|a| a.is_same_node(Some(el))));
    let len = items.len() as i32;
    let next = match current {
        Some(i) => (i as i32 + step).rem_euclid(len),
        None if step >= 0 => 0,
        None => len - 1,
    };
    let _ = items[next as usize].focus();
    true
}

/// Whether focus is on one of the elements matching `selector`.
pub fn focus_is_on(selector: &str) -> bool {
    leptos::prelude::document()
        .active_element()
        .is_some_and(|el| el.matches(selector).unwrap_or(false))
}
