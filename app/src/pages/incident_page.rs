use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{
    AddTimelineEntry, ChangeStatus, EditTimelineEntry, UpdateIncident, get_incident,
    get_similar_incidents,
};
use crate::components::{
    ActionItemsPanel, EditIncidentDetails, ErrorPanel, FactsStrip, IncidentHistory, PeopleList,
    SeverityBadge, SimilarList, StatusChangeForm, Timeline,
};
use crate::error::ApiError;
use crate::model::IncidentDetail;
use crate::page_resource::page_resource;

/// One incident: the facts, the summary, the timeline, and the forms that
/// change them. Each form is a plain post that redirects back here, so the
/// page always shows the stored version.
#[component]
pub fn IncidentPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let status = ServerAction::<ChangeStatus>::new();
    let update = ServerAction::<UpdateIncident>::new();
    let add_entry = ServerAction::<AddTimelineEntry>::new();
    let edit_entry = ServerAction::<EditTimelineEntry>::new();
    let detail = page_resource(id, get_incident);
    let actions = Actions {
        status,
        update,
        add_entry,
        edit_entry,
    };
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading incident…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <IncidentView detail=d actions/> }.into_any(),
                    Err(e) => view! { <MissingIncident error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[derive(Clone, Copy)]
struct Actions {
    status: ServerAction<ChangeStatus>,
    update: ServerAction<UpdateIncident>,
    add_entry: ServerAction<AddTimelineEntry>,
    edit_entry: ServerAction<EditTimelineEntry>,
}

#[component]
fn IncidentView(detail: IncidentDetail, actions: Actions) -> impl IntoView {
    let IncidentDetail {
        incident,
        timeline,
        history,
        people,
        can_edit,
    } = detail;
    let summary_html = incident.summary_html.clone();
    let impact = incident.customer_impact.clone();
    view! {
        <Title text=format!("{} {}", incident.human_id, incident.title)/>
        <article class="page incident" aria-labelledby="incident-title">
            <header class="incident-head">
                <p class="breadcrumb"><a href="/incidents">"Incidents"</a>" / "<span class="mono">{incident.human_id.clone()}</span></p>
                <h1 id="incident-title">
                    <SeverityBadge severity=incident.severity/>" "
                    <span class="mono">{incident.human_id.clone()}</span>" "
                    {incident.title.clone()}
                </h1>
                <p class="hint">
                    {format!("Version {} · last changed {}", incident.version, crate::format::format_time(incident.updated_at))}
                    " · "<a href=format!("/incidents/{}/postmortem", incident.human_id)>"Postmortem"</a>
                </p>
            </header>
            {view! { <FactsStrip incident=incident.clone()/> }.into_any()}
            <div class="incident-body">
                <div class="incident-main">
                    <section aria-labelledby="summary-title">
                        <h2 id="summary-title">"Summary"</h2>
                        {if summary_html.trim().is_empty() {
                            view! { <p class="empty">"No summary yet. Use “Edit details” to write one."</p> }.into_any()
                        } else {
                            view! { <div class="prose" inner_html=summary_html></div> }.into_any()
                        }}
                    </section>
                    {impact.map(|text| view! {
                        <section aria-labelledby="impact-title">
                            <h2 id="impact-title">"Who was affected"</h2>
                            <p class="prose">{text}</p>
                        </section>
                    })}
                    {view! { <Timeline incident_id=incident.id entries=timeline add=actions.add_entry edit=actions.edit_entry can_edit/> }.into_any()}
                    {view! { <ActionItemsPanel incident=incident.human_id.clone() can_edit/> }.into_any()}
                    {view! { <SimilarPanel id=incident.human_id.clone()/> }.into_any()}
                    {view! { <IncidentHistory rows=history/> }.into_any()}
                </div>
                <aside class="incident-side" aria-label="Actions">
                    {if can_edit {
                        view! {
                            <StatusChangeForm incident=incident.clone() action=actions.status/>
                            <EditIncidentDetails incident=incident action=actions.update/>
                            <PeopleList people/>
                        }.into_any()
                    } else {
                        view! { <p class="notice">"You can read this incident. Responders and admins can change it."</p> }.into_any()
                    }}
                </aside>
            </div>
        </article>
    }
}

#[component]
pub(crate) fn MissingIncident(error: ApiError) -> impl IntoView {
    let status = error.status();
    crate::http_status::set_http_status(status);
    view! {
        <Title text="Incident not found"/>
        <div class="page narrow">
            <h1>{if status == 404 { "Incident not found" } else { "Could not load this incident" }}</h1>
            <ErrorPanel error/>
            <p><a href="/incidents">"Back to all incidents"</a></p>
        </div>
    }
}

/// "Have we seen this before?": past incidents like this one.
#[component]
fn SimilarPanel(id: String) -> impl IntoView {
    let similar = page_resource(move || id.clone(), |id| get_similar_incidents(id, 5));
    view! {
        <section class="card similar" aria-labelledby="similar-title">
            <h2 id="similar-title">"Similar past incidents"</h2>
            <Suspense fallback=|| view! { <p class="loading">"Looking…"</p> }>
                {move || Suspend::new(async move {
                    match similar.await {
                        Ok(s) => view! { <SimilarList hits=s.hits/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
