use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::insights::{InsightsFilters, insights_query};
use crate::api::get_recurring_causes;
use crate::components::ErrorPanel;
use crate::model::{IncidentLink, RankedCause, RecurringCauses};
use crate::page_resource::page_resource;

/// What keeps causing incidents: factors and services ranked, incidents
/// marked as repeats, and clusters of alike incidents from the search index.
#[component]
pub fn RecurringCausesPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| insights_query(|k| params.read().get(k)));
    let data = page_resource(move || query.get(), get_recurring_causes);
    view! {
        <Title text="Recurring causes"/>
        <div class="page">
            <p class="breadcrumb"><a href="/insights">"Insights"</a>" / Recurring causes"</p>
            <h1>"Recurring causes"</h1>
            <InsightsFilters query=query.get_untracked() action="/insights/recurring"/>
            <Suspense fallback=|| view! { <p class="loading">"Comparing incidents…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(r) => view! { <RecurringView data=r/> }.into_any(),
                        Err(error) => {
                            crate::http_status::set_http_status(error.status());
                            view! { <ErrorPanel error/> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}

fn link(l: &IncidentLink) -> impl IntoView + use<> {
    view! { <a href=format!("/incidents/{}", l.human_id)><span class="mono">{l.human_id.clone()}</span>" "{l.title.clone()}</a> }
}

#[component]
fn Ranking(title: &'static str, filter: &'static str, rows: Vec<RankedCause>) -> impl IntoView {
    view! {
        <div class="table-scroll card">
            <table class="stats-table">
                <caption>{title}</caption>
                <thead><tr><th scope="col">"Name"</th><th scope="col">"Incidents"</th><th scope="col">"Impact minutes"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let href = format!("/search?q={}", crate::model::encode_query_value(&format!("{filter}:{}", r.name.replace(' ', "_"))));
                        view! { <tr><th scope="row"><a href=href>{r.name}</a></th><td>{r.count}</td><td>{r.impact_minutes}</td></tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn RecurringView(data: RecurringCauses) -> impl IntoView {
    view! {
        <div class="stats-grid">
            <Ranking title="Contributing factors" filter="factor" rows=data.factors/>
            <Ranking title="Services" filter="service" rows=data.services/>
        </div>
        <section class="card" aria-labelledby="clusters-title">
            <h2 id="clusters-title">"Clusters of similar incidents"</h2>
            <p class="hint">{format!("The {} newest incidents, each compared with every other by the search index; incidents that share at least three key terms with a near neighbour are grouped.", data.compared)}</p>
            {if data.clusters.is_empty() {
                view! { <p class="empty">"No clusters found."</p> }.into_any()
            } else {
                view! {
                    <ol class="cluster-list">
                        {data.clusters.into_iter().map(|c| view! {
                            <li>
                                <p><strong>{c.terms.join(", ")}</strong>{format!(" · {} incidents", c.incidents.len())}</p>
                                <ul>{c.incidents.iter().map(|l| view! { <li>{link(l)}</li> }).collect_view()}</ul>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="repeat-title">
            <h2 id="repeat-title">"Marked as repeats"</h2>
            {if data.repeats.is_empty() {
                view! { <p class="empty">"No incident is marked as a repeat of another."</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {data.repeats.into_iter().map(|g| view! {
                            <li>{link(&g.original)}" ← "{g.repeats.iter().map(|r| view! { {link(r)}" " }).collect_view()}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
