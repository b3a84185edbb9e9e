use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::incident_page::MissingIncident;
use crate::api::get_postmortem;
use crate::components::SectionView;
use crate::format::format_time;
use crate::model::PostmortemView;
use crate::page_resource::page_resource;

/// The postmortem to read or print: every section, no forms.
#[component]
pub fn PostmortemPrintPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let view = page_resource(id, get_postmortem);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the postmortem…"</p> }>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(v) => view! { <Printable view=v/> }.into_any(),
                    Err(error) => view! { <MissingIncident error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Printable(view: PostmortemView) -> impl IntoView {
    let incident = view.incident;
    let back = format!("/incidents/{}/postmortem", incident.human_id);
    let title = format!("Postmortem: {} {}", incident.human_id, incident.title);
    view! {
        <Title text=title.clone()/>
        <article class="page narrow print-view" aria-labelledby="print-title">
            <p class="breadcrumb no-print"><a href=back>"Back to the postmortem"</a></p>
            <h1 id="print-title">{title}</h1>
            {match view.postmortem {
                Some(p) => view! {
                    <p class="pm-meta">
                        {format!("Severity {} · {} · last changed {}", view.severity.as_str(), p.status.label(), format_time(p.updated_at))}
                    </p>
                    {p.sections.into_iter().map(|section| view! { <SectionView section/> }).collect_view()}
                }.into_any(),
                None => view! { <p class="empty">"Nobody has started a postmortem for this incident yet."</p> }.into_any(),
            }}
        </article>
    }
}
