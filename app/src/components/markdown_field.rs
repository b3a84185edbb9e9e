use leptos::prelude::*;

use super::MarkdownPreview;

/// A markdown textarea with a live preview, rendered in the browser by the
/// same renderer the server uses. Without JavaScript it is a plain textarea.
/// An island: it is the only part of its form that runs in the browser.
#[island]
pub fn MarkdownField(
    #[prop(into)] name: String,
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(optional)] initial: Option<String>,
    #[prop(optional)] rows: Option<u32>,
) -> impl IntoView {
    let initial = initial.unwrap_or_default();
    let text = RwSignal::new(initial.clone());
    let preview_id = format!("{id}-preview");
    view! {
        <div class="field markdown-field">
            <label for=id.clone()>{label}" "<span class="hint">"(markdown)"</span></label>
            <div class="editor-pair">
                <textarea id=id name=name rows=rows.unwrap_or(6) aria-describedby=preview_id.clone()
                    on:input=move |ev| text.set(event_target_value(&ev))>{super::textarea_text(&initial)}</textarea>
                <MarkdownPreview id=preview_id source=text announce=true/>
            </div>
        </div>
    }
}
