use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::incident_page::MissingIncident;
use crate::api::{RestoreRevision, get_section_history};
use crate::components::ActionError;
use crate::format::format_time;
use crate::model::{DiffKind, SectionHistory, SectionRevision};
use crate::page_resource::page_resource;

/// Every saved state of one section, newest first, each with what changed;
/// any of them can be brought back (as a new revision).
#[component]
pub fn SectionHistoryPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        (
            p.get("id").unwrap_or_default(),
            p.get("key").unwrap_or_default(),
        )
    };
    let restore = ServerAction::<RestoreRevision>::new();
    let history = page_resource(
        move || (key(), restore.version().get()),
        |((id, key), _)| get_section_history(id, key),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the history…"</p> }>
            {move || Suspend::new(async move {
                match history.await {
                    Ok(h) => view! { <HistoryView history=h restore/> }.into_any(),
                    Err(error) => view! { <MissingIncident error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HistoryView(history: SectionHistory, restore: ServerAction<RestoreRevision>) -> impl IntoView {
    let SectionHistory {
        incident,
        section,
        revisions,
        can_edit,
    } = history;
    let back = format!(
        "/incidents/{}/postmortem#section-{}",
        incident.human_id, section.key
    );
    let current = section.version;
    view! {
        <Title text=format!("History of “{}”, {}", section.heading, incident.human_id)/>
        <article class="page narrow" aria-labelledby="history-title">
            <p class="breadcrumb"><a href=back>"Back to the postmortem"</a></p>
            <h1 id="history-title">"History of “"{section.heading.clone()}"”"</h1>
            <ActionError error=Signal::derive(move || restore.value().get().and_then(Result::err))/>
            <ol class="revisions">
                {revisions.into_iter().map(|r| {
                    let (incident, key) = (incident.human_id.clone(), section.key.clone());
                    let restore_form = (can_edit && r.version != current).then(move || view! {
                        <ActionForm action=restore>
                            <input type="hidden" name="restore[incident]" value=incident/>
                            <input type="hidden" name="restore[key]" value=key/>
                            <input type="hidden" name="restore[revision]" value=r.version/>
                            <input type="hidden" name="restore[version]" value=current/>
                            <button type="submit" class="button">{format!("Restore version {}", r.version)}</button>
                        </ActionForm>
                    });
                    view! { <Revision revision=r current/> {restore_form} }
                }).collect_view()}
            </ol>
        </article>
    }
}

#[component]
fn Revision(revision: SectionRevision, current: i64) -> impl IntoView {
    let who = match (&revision.author, revision.version) {
        (Some(name), _) => name.clone(),
        (None, 1) => "started from the template".into(),
        (None, _) => "system".into(),
    };
    view! {
        <li class="revision">
            <h2 class="revision-head">
                {format!("Version {}", revision.version)}
                {(revision.version == current).then_some(" (current)")}
                <span class="hint">" · "{who}" · "<time datetime=revision.created_at.to_rfc3339()>{format_time(revision.created_at)}</time></span>
            </h2>
            {if revision.diff.is_empty() {
                view! { <p class="hint">"Empty."</p> }.into_any()
            } else {
                view! {
                    <pre class="diff" aria-label="Changes from the version before">
                        {revision.diff.into_iter().map(|line| {
                            let (class, sign) = match line.kind {
                                DiffKind::Added => ("diff-added", "+ "),
                                DiffKind::Removed => ("diff-removed", "− "),
                                DiffKind::Same => ("diff-same", "  "),
                            };
                            view! { <span class=class>{sign}{line.text}"\n"</span> }
                        }).collect_view()}
                    </pre>
                }.into_any()
            }}
        </li>
    }
}
