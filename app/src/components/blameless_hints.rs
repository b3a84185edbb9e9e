use leptos::prelude::*;

use crate::domain::{Finding, FindingKind};

/// The blameless-language findings for a section: advice, never a blocker.
#[component]
pub fn BlamelessHints(#[prop(into)] findings: Signal<Vec<Finding>>, id: String) -> impl IntoView {
    view! {
        <div id=id class="blameless-hints" aria-live="polite">
            {move || {
                let found = findings.get();
                if found.is_empty() {
                    return ().into_any();
                }
                let count = found.len();
                view! {
                    <p class="hint">
                        <strong>{format!("{count} phrase{} to reconsider", if count == 1 { "" } else { "s" })}</strong>
                        " for a blameless review (saving is never blocked):"
                    </p>
                    <ul>
                        {found.into_iter().map(|f| {
                            let kind = match f.kind {
                                FindingKind::Blame => "blame",
                                FindingKind::Hindsight => "hindsight",
                            };
                            view! {
                                <li>
                                    <mark class="finding">{f.text}</mark>" "
                                    <span class="finding-kind">{kind}</span>": "{f.suggestion}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </div>
    }
}
