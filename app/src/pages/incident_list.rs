use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::list_incidents;
use crate::components::{ErrorPanel, SeverityBadge, StatusBadge};
use crate::domain::{Severity, Status};
use crate::format::{format_duration, format_time};
use crate::model::{DEFAULT_SORT, Incident, IncidentPage, IncidentQuery};
use crate::page_resource::page_resource;

fn query_from_url(map: &leptos_router::params::ParamsMap) -> IncidentQuery {
    let get = |k: &str| map.get(k).filter(|v| !v.is_empty());
    IncidentQuery {
        status: get("status"),
        severity: get("severity"),
        service: get("service"),
        tag: get("tag"),
        q: get("q"),
        sort: get("sort"),
        limit: get("limit").and_then(|v| v.parse().ok()),
        offset: get("offset").and_then(|v| v.parse().ok()),
    }
}

/// Newest first, filterable, with counts and pages. Dense: one row each.
#[component]
pub fn IncidentListPage() -> impl IntoView {
    let url_query = use_query_map();
    let query = Memo::new(move |_| query_from_url(&url_query.read()));
    let page = page_resource(move || query.get(), list_incidents);
    view! {
        <Title text="Incidents"/>
        <div class="page">
            <h1>"Incidents"</h1>
            <Filters query/>
            <Suspense fallback=|| view! { <p class="loading">"Loading incidents…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! { <Results page=p query=query.get_untracked()/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Filters(query: Memo<IncidentQuery>) -> impl IntoView {
    let current =
        move |f: fn(&IncidentQuery) -> Option<String>| f(&query.get()).unwrap_or_default();
    view! {
        <Form action="/incidents" method="GET" attr:class="filters" attr:aria-label="Filter incidents">
            <div class="field">
                <label for="filter-status">"Status"</label>
                <select id="filter-status" name="status">
                    <option value="" selected=move || current(|q| q.status.clone()).is_empty()>"Any"</option>
                    <option value="open" selected=move || current(|q| q.status.clone()) == "open">"Open (not resolved)"</option>
                    {Status::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=move || current(|q| q.status.clone()) == s.as_str()>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-severity">"Severity"</label>
                <select id="filter-severity" name="severity">
                    <option value="" selected=move || current(|q| q.severity.clone()).is_empty()>"Any"</option>
                    {Severity::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=move || current(|q| q.severity.clone()).eq_ignore_ascii_case(s.as_str())>{s.as_str()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-service">"Service"</label>
                <input id="filter-service" name="service" type="text" value=move || current(|q| q.service.clone())/>
            </div>
            <div class="field">
                <label for="filter-tag">"Tag"</label>
                <input id="filter-tag" name="tag" type="text" value=move || current(|q| q.tag.clone())/>
            </div>
            <div class="field">
                <label for="filter-q">"Words"</label>
                <input id="filter-q" name="q" type="text" value=move || current(|q| q.q.clone())/>
            </div>
            <div class="form-actions">
                <button type="submit" class="button">"Filter"</button>
                <a href="/incidents" class="button button-quiet">"Clear"</a>
            </div>
        </Form>
    }
}

#[component]
fn Results(page: IncidentPage, query: IncidentQuery) -> impl IntoView {
    let IncidentPage {
        total,
        limit,
        offset,
        items,
        counts,
    } = page;
    let shown_to = offset + items.len() as i64;
    let chip = |label: String, n: i64, filtered: IncidentQuery| {
        let href = format!("/incidents{}", filtered.to_query_string(0));
        view! { <li><a href=href>{label}": "{n}</a></li> }
    };
    let status_counts = counts
        .by_status
        .into_iter()
        .map(|(s, n)| {
            chip(
                s.clone(),
                n,
                IncidentQuery {
                    status: Some(s),
                    ..query.clone()
                },
            )
        })
        .collect_view();
    let severity_counts = counts
        .by_severity
        .into_iter()
        .map(|(s, n)| {
            chip(
                s.clone(),
                n,
                IncidentQuery {
                    severity: Some(s),
                    ..query.clone()
                },
            )
        })
        .collect_view();
    if items.is_empty() {
        return view! {
            <div class="empty-state">
                <p><strong>"No incidents match."</strong></p>
                <p>"Declare one with " <a href="/incidents/new">"New incident"</a> " (or press " <kbd>"n"</kbd> "), clear the filters, or start Firebreak with " <code>"--demo"</code> " to see a living registry."</p>
            </div>
        }
        .into_any();
    }
    let prev = (offset > 0).then(|| {
        format!(
            "/incidents{}",
            query.to_query_string((offset - limit).max(0))
        )
    });
    let next =
        (shown_to < total).then(|| format!("/incidents{}", query.to_query_string(offset + limit)));
    view! {
        <div class="counts" aria-label="Counts">
            <p class="result-count" role="status">{format!("{total} incident{}", if total == 1 { "" } else { "s" })}</p>
            <ul class="count-chips" aria-label="By status">{status_counts}</ul>
            <ul class="count-chips" aria-label="By severity">{severity_counts}</ul>
        </div>
        <table class="incident-table">
            <caption class="visually-hidden">"Incidents, newest first"</caption>
            <thead>
                <tr>
                    <SortHeader label="Severity" column="severity" query=query.clone()/>
                    <SortHeader label="ID" column="id" query=query.clone()/>
                    <SortHeader label="Title" column="title" query=query.clone()/>
                    <SortHeader label="Status" column="status" query=query.clone()/>
                    <th scope="col">"Services"</th>
                    <SortHeader label="Started" column="started" query=query.clone()/>
                    <th scope="col">"Impact"</th>
                </tr>
            </thead>
            <tbody>{items.into_iter().map(|i| view! { <Row incident=i/> }).collect_view()}</tbody>
        </table>
        <nav class="pagination" aria-label="Pages">
            <span>{format!("{}–{} of {total}", offset + 1, shown_to)}</span>
            {prev.map(|href| view! { <a href=href rel="prev">"← Newer"</a> })}
            {next.map(|href| view! { <a href=href rel="next">"Older →"</a> })}
        </nav>
    }
    .into_any()
}

/// A column header that sorts by its column: a plain link, so it works
/// without JavaScript. Clicking the sorted column reverses it.
#[component]
fn SortHeader(label: &'static str, column: &'static str, query: IncidentQuery) -> impl IntoView {
    let current = query
        .sort
        .clone()
        .unwrap_or_else(|| DEFAULT_SORT.to_string());
    let descending_first = matches!(column, "started" | "id");
    let (aria, next) = if current == column {
        ("ascending", format!("-{column}"))
    } else if current.strip_prefix('-') == Some(column) {
        ("descending", column.to_string())
    } else if descending_first {
        ("none", format!("-{column}"))
    } else {
        ("none", column.to_string())
    };
    let arrow = match aria {
        "ascending" => " ↑",
        "descending" => " ↓",
        _ => "",
    };
    let href = format!(
        "/incidents{}",
        IncidentQuery {
            sort: Some(next),
            offset: None,
            ..query
        }
        .to_query_string(0)
    );
    view! {
        <th scope="col" aria-sort=aria>
            <a class="sort-link" href=href>{label}<span aria-hidden="true">{arrow}</span></a>
        </th>
    }
}

#[component]
fn Row(incident: Incident) -> impl IntoView {
    let href = format!("/incidents/{}", incident.human_id);
    let started = incident
        .milestones
        .started_at
        .or(incident.milestones.declared_at)
        .map(format_time)
        .unwrap_or_default();
    let impact = match incident.impact_duration() {
        Some(d) => format_duration(d),
        None if incident.status.is_active() => "ongoing".into(),
        None => "—".into(),
    };
    view! {
        <tr>
            <td><SeverityBadge severity=incident.severity/></td>
            <td class="mono"><a href=href.clone()>{incident.human_id.clone()}</a></td>
            <td class="title-cell"><a href=href>{incident.title.clone()}</a></td>
            <td><StatusBadge status=incident.status/></td>
            <td>{incident.services.join(", ")}</td>
            <td class="mono">{started}</td>
            <td class="mono">{impact}</td>
        </tr>
    }
}
