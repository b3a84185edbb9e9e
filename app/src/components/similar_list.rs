use leptos::prelude::*;

use crate::model::SimilarHit;

/// Past incidents like this one: the shared words, what fixed it, a link.
#[component]
pub fn SimilarList(hits: Vec<SimilarHit>) -> impl IntoView {
    if hits.is_empty() {
        return view! { <p class="empty">"Nothing similar yet."</p> }.into_any();
    }
    view! {
        <ol class="similar-list">
            {hits.into_iter().map(|hit| view! {
                <li class="similar-hit">
                    <a href=format!("/incidents/{}", hit.human_id)><span class="mono">{hit.human_id.clone()}</span>" "{hit.title.clone()}</a>
                    {(!hit.matched_terms.is_empty()).then(|| view! {
                        <p class="hint">"Shared: "{hit.matched_terms.join(", ")}</p>
                    })}
                    {hit.resolution.clone().map(|r| view! { <p class="similar-fix"><strong>"What fixed it: "</strong>{r}</p> })}
                </li>
            }).collect_view()}
        </ol>
    }
    .into_any()
}
