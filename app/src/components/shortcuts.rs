use leptos::prelude::*;

use super::focus_walk::{RESULT_LINKS, focus_is_on, walk_focus};

/// The shortcut list. Shown by `?`, or by following the footer link, which
/// works without JavaScript (CSS `:target`).
#[component]
pub fn ShortcutHelp() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <a href="#shortcuts">"Keyboard shortcuts"</a>
            " · Firebreak: incidents and what we learned from them."
        </footer>
        <section id="shortcuts" class="shortcut-help" aria-labelledby="shortcuts-title">
            <h2 id="shortcuts-title">"Keyboard shortcuts"</h2>
            <dl>
                <dt><kbd>"/"</kbd></dt><dd>"Search incidents"</dd>
                <dt><kbd>"j"</kbd>" "<kbd>"k"</kbd></dt><dd>"Next or previous result (then "<kbd>"↓"</kbd>" "<kbd>"↑"</kbd>" too, "<kbd>"Enter"</kbd>" opens it)"</dd>
                <dt><kbd>"n"</kbd></dt><dd>"Declare a new incident"</dd>
                <dt><kbd>"g"</kbd>" "<kbd>"i"</kbd></dt><dd>"Go to incidents"</dd>
                <dt><kbd>"?"</kbd></dt><dd>"Show this list"</dd>
                <dt><kbd>"Esc"</kbd></dt><dd>"Leave the search box or close this list"</dd>
            </dl>
            <p><a href="#">"Close"</a></p>
        </section>
    }
}

/// Installs the key bindings once hydrated, and marks the body so tests
/// (and curious people) can see that hydration happened. An island placed
/// last in the page: islands hydrate in document order, so when the mark
/// appears every island above it is interactive.
#[island]
pub fn KeyboardShortcuts() -> impl IntoView {
    Effect::new(move || {
        let body = document().body();
        if let Some(body) = body {
            let _ = body.set_attribute("data-hydrated", "true");
        }
        let pending_g = StoredValue::new(false);
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
                return;
            }
            let key = ev.key();
            if key == "Escape" {
                blur_active_element();
                if window().location().hash().unwrap_or_default() == "#shortcuts" {
                    let _ = window().location().set_hash("");
                }
                return;
            }
            if typing_in_a_field() {
                return;
            }
            // On a result, the arrow keys walk the list too.
            let on_result = focus_is_on(RESULT_LINKS);
            let step = match key.as_str() {
                "j" => Some(1),
                "k" => Some(-1),
                "ArrowDown" if on_result => Some(1),
                "ArrowUp" if on_result => Some(-1),
                _ => None,
            };
            if let Some(step) = step
                && walk_focus(RESULT_LINKS, step)
            {
                ev.prevent_default();
                return;
            }
            let after_g = pending_g.get_value();
            pending_g.set_value(false);
            match key.as_str() {
                "/" => {
                    ev.prevent_default();
                    focus_search();
                }
                "n" => go_to("/incidents/new"),
                "g" => pending_g.set_value(true),
                "i" if after_g => go_to("/incidents"),
                "?" => {
                    let _ = window().location().set_hash("shortcuts");
                }
                _ => {}
            }
        });
        on_cleanup(move || handle.remove());
    });
}

/// A full page load: pages are rendered on the server, islands hydrate.
fn go_to(path: &str) {
    let _ = window().location().set_href(path);
}

fn typing_in_a_field() -> bool {
    document().active_element().is_some_and(|el| {
        let tag = el.tag_name().to_ascii_lowercase();
        matches!(tag.as_str(), "input" | "textarea" | "select")
            || el.has_attribute("contenteditable")
    })
}

fn focus_search() {
    use wasm_bindgen::JsCast;
    if let Some(input) = document()
        .get_element_by_id("global-search")
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = input.focus();
    }
}

fn blur_active_element() {
    use wasm_bindgen::JsCast;
    if let Some(el) = document()
        .active_element()
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.blur();
    }
}
