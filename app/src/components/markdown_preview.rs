use leptos::prelude::*;

use crate::markdown::render_markdown;

/// The live preview of `source`, rendered in the browser by the same
/// renderer the server stores with.
#[component]
pub fn MarkdownPreview(
    id: String,
    #[prop(into)] source: Signal<String>,
    /// Whether screen readers hear each change (off where it would chatter).
    #[prop(optional)]
    announce: bool,
) -> impl IntoView {
    view! {
        <div id=id class="markdown-preview prose" aria-live=announce.then_some("polite") aria-label="Preview">
            {move || {
                let source = source.get();
                if source.trim().is_empty() {
                    view! { <p class="hint">"The preview appears here as you type."</p> }.into_any()
                } else {
                    view! { <div inner_html=render_markdown(&source)></div> }.into_any()
                }
            }}
        </div>
    }
}
