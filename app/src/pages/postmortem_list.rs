use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::list_postmortems;
use crate::components::{ErrorPanel, SeverityBadge};
use crate::domain::{PostmortemStatus, Severity};
use crate::format::format_time;
use crate::model::{PostmortemQuery, PostmortemSummary};
use crate::page_resource::page_resource;

/// Every postmortem and where it stands: status, open review threads and
/// blameless-language findings. A plain GET form filters it.
#[component]
pub fn PostmortemListPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let p = params.read();
        PostmortemQuery {
            status: p.get("status"),
            severity: p.get("severity"),
            service: p.get("service"),
            author: p.get("author"),
        }
    });
    let list = page_resource(move || query.get(), list_postmortems);
    let current = move |key: &str| params.read().get(key).unwrap_or_default();
    view! {
        <Title text="Postmortems"/>
        <div class="page">
            <h1>"Postmortems"</h1>
            <form method="get" action="/postmortems" class="filters" role="search" aria-label="Filter postmortems">
                <label>"Status "
                    <select name="status">
                        <option value="">"any"</option>
                        {PostmortemStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=move || current("status") == s.as_str()>{s.label()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>"Severity "
                    <select name="severity">
                        <option value="">"any"</option>
                        {Severity::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=move || current("severity").eq_ignore_ascii_case(s.as_str())>{s.as_str()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>"Service "<input type="text" name="service" value=move || current("service")/></label>
                <label>"Author "<input type="text" name="author" value=move || current("author")/></label>
                <button type="submit" class="button">"Filter"</button>
            </form>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(rows) if rows.is_empty() => view! { <p class="empty">"No postmortems match."</p> }.into_any(),
                        Ok(rows) => view! { <PostmortemTable rows/> }.into_any(),
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

#[component]
fn PostmortemTable(rows: Vec<PostmortemSummary>) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="incident-table">
                <caption class="visually-hidden">"Postmortems, most recently changed first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Severity"</th>
                        <th scope="col">"Incident"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Open threads"</th>
                        <th scope="col">"Blameless findings"</th>
                        <th scope="col">"Written by"</th>
                        <th scope="col">"Last changed"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let href = format!("/incidents/{}/postmortem", row.incident.human_id);
                        view! {
                            <tr>
                                <td><SeverityBadge severity=row.severity/></td>
                                <td class="title-cell"><a href=href><span class="mono">{row.incident.human_id.clone()}</span>" "{row.incident.title.clone()}</a></td>
                                <td>{row.status.label()}</td>
                                <td>{row.open_threads}</td>
                                <td>{row.lint_count}</td>
                                <td>{row.authors.join(", ")}</td>
                                <td>{format_time(row.updated_at)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
