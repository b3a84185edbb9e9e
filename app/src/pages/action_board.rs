use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::{UpdateAction, get_action_board};
use crate::components::{ActionChangeForm, ActionError, DueDate, ErrorPanel, SeverityBadge};
use crate::domain::{ActionStatus, Severity};
use crate::format::format_seconds;
use crate::model::{ActionBoard, ActionQuery, ActionStats, OverdueItem, encode_query_value};
use crate::page_resource::page_resource;

const FILTERS: [&str; 8] = [
    "status", "owner", "service", "severity", "team", "overdue", "sort", "dir",
];

/// Every open action item across incidents: filters, sortable columns,
/// overdue items marked, completion figures, and a CSV export.
#[component]
pub fn ActionBoardPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let p = params.read();
        ActionQuery {
            status: p.get("status"),
            owner: p.get("owner"),
            service: p.get("service"),
            severity: p.get("severity"),
            team: p.get("team"),
            overdue: p.get("overdue"),
            sort: p.get("sort"),
            dir: p.get("dir"),
            incident: None,
        }
    });
    let update = ServerAction::<UpdateAction>::new();
    let board = page_resource(
        move || (query.get(), update.version().get()),
        |(q, _)| get_action_board(q),
    );
    let mine = move || params.read().get("owner").as_deref() == Some("me");
    view! {
        <Title text="Action items"/>
        <div class="page">
            <h1>{move || if mine() { "My action items" } else { "Action items" }}</h1>
            <p class="hint">
                <a href="/actions?owner=me">"My action items"</a>" · "
                <a href="/actions?overdue=true">"Overdue"</a>" · "
                <a href="/actions">"All open"</a>" · "
                <a href="/actions?status=all">"Everything, closed included"</a>
            </p>
            <ActionError error=Signal::derive(move || update.value().get().and_then(Result::err))/>
            <Suspense fallback=|| view! { <p class="loading">"Loading action items…"</p> }>
                {move || Suspend::new(async move {
                    match board.await {
                        Ok(b) => view! { <BoardView board=b query=query.get_untracked() update/> }.into_any(),
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

fn query_string(q: &ActionQuery, sort: Option<(&str, &str)>) -> String {
    let values = [
        &q.status,
        &q.owner,
        &q.service,
        &q.severity,
        &q.team,
        &q.overdue,
        &q.sort,
        &q.dir,
    ];
    let mut parts: Vec<String> = FILTERS
        .iter()
        .zip(values)
        .filter(|(k, _)| sort.is_none() || !matches!(**k, "sort" | "dir"))
        .filter_map(|(k, v)| {
            v.as_deref()
                .filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}", encode_query_value(v)))
        })
        .collect();
    if let Some((key, dir)) = sort {
        parts.push(format!("sort={key}&dir={dir}"));
    }
    parts.join("&")
}

#[component]
fn BoardView(
    board: ActionBoard,
    query: ActionQuery,
    update: ServerAction<UpdateAction>,
) -> impl IntoView {
    let csv = format!("/api/v1/actions?format=csv&{}", query_string(&query, None));
    let count = board.items.len();
    let overdue = board.items.iter().filter(|i| i.overdue).count();
    view! {
        <Filters board=board.clone() query=query.clone()/>
        <p class="hint" role="status">
            {format!("{count} item{} · {overdue} overdue · ", if count == 1 { "" } else { "s" })}
            <a href=csv>"Download as CSV"</a>
        </p>
        {if board.items.is_empty() {
            view! { <p class="empty">"No action items match."</p> }.into_any()
        } else {
            view! { <ItemsTable board=board.clone() query update/> }.into_any()
        }}
        <div class="stats-grid">
            <StatsTable caption="By severity" rows=board.by_severity.clone()/>
            <StatsTable caption="By team" rows=board.by_team.clone()/>
        </div>
        <OldestOverdue items=board.oldest_overdue/>
    }
}

#[component]
fn Filters(board: ActionBoard, query: ActionQuery) -> impl IntoView {
    let is = |v: &Option<String>, want: &str| v.as_deref() == Some(want);
    view! {
        <form method="get" action="/actions" class="filters" role="search" aria-label="Filter action items">
            <label>"Status "
                <select name="status">
                    <option value="open" selected=query.status.is_none() || is(&query.status, "open")>"Not closed"</option>
                    <option value="all" selected=is(&query.status, "all")>"Any"</option>
                    {ActionStatus::ALL.into_iter().map(|s| {
                        let v = format!("={}", s.as_str());
                        let selected = is(&query.status, &v);
                        view! { <option value=v selected=selected>{s.label()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>"Owner "
                <select name="owner">
                    <option value="">"anyone"</option>
                    <option value="me" selected=is(&query.owner, "me")>"me"</option>
                    {board.owners.into_iter().map(|u| {
                        let selected = is(&query.owner, &u.id.to_string());
                        view! { <option value=u.id selected=selected>{u.name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>"Severity "
                <select name="severity">
                    <option value="">"any"</option>
                    {Severity::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=is(&query.severity, s.as_str())>{s.as_str()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"Service "
                <select name="service">
                    <option value="">"any"</option>
                    {board.services.into_iter().map(|s| {
                        let selected = is(&query.service, &s);
                        view! { <option value=s.clone() selected=selected>{s.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>"Team "
                <select name="team">
                    <option value="">"any"</option>
                    {board.teams.into_iter().map(|t| {
                        let selected = is(&query.team, &t);
                        view! { <option value=t.clone() selected=selected>{t.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="checkbox-inline">
                <input type="checkbox" name="overdue" value="true" checked=is(&query.overdue, "true")/>
                " Overdue only"
            </label>
            <button type="submit" class="button">"Filter"</button>
        </form>
    }
}

#[component]
fn SortHeader(label: &'static str, key: &'static str, query: ActionQuery) -> impl IntoView {
    let active = query.sort.as_deref().unwrap_or("due") == key;
    let descending = query.dir.as_deref() == Some("desc");
    let next = if active && !descending { "desc" } else { "asc" };
    let href = format!("/actions?{}", query_string(&query, Some((key, next))));
    let sort = match (active, descending) {
        (false, _) => "none",
        (true, false) => "ascending",
        (true, true) => "descending",
    };
    view! { <th scope="col" aria-sort=sort><a href=href>{label}</a></th> }
}

#[component]
fn ItemsTable(
    board: ActionBoard,
    query: ActionQuery,
    update: ServerAction<UpdateAction>,
) -> impl IntoView {
    let owners = board.owners.clone();
    let can_edit = board.can_edit;
    view! {
        <div class="table-scroll">
            <table class="incident-table action-table">
                <caption class="visually-hidden">"Action items; column headings sort"</caption>
                <thead>
                    <tr>
                        <SortHeader label="Due" key="due" query=query.clone()/>
                        <th scope="col">"Action item"</th>
                        <SortHeader label="Incident" key="incident" query=query.clone()/>
                        <SortHeader label="Severity" key="severity" query=query.clone()/>
                        <SortHeader label="Owner" key="owner" query=query.clone()/>
                        <SortHeader label="Priority" key="priority" query=query.clone()/>
                        <SortHeader label="Status" key="status" query=query.clone()/>
                    </tr>
                </thead>
                <tbody>
                    {board.items.into_iter().map(|item| {
                        let owners = owners.clone();
                        let incident_href = format!("/incidents/{}", item.incident.human_id);
                        view! {
                            <tr class:overdue-row=item.overdue>
                                <td><DueDate item=item.clone()/></td>
                                <td class="title-cell">
                                    <span>{item.title.clone()}</span>
                                    <span class="hint">" · "{item.kind.label()}</span>
                                    {item.tracker_url.clone().map(|u| view! { " · "<a href=u rel="noopener noreferrer">"Tracker"</a> })}
                                    {can_edit.then(|| view! { <ActionChangeForm item=item.clone() owners update/> })}
                                </td>
                                <td><a href=incident_href><span class="mono">{item.incident.human_id.clone()}</span></a>" "{item.incident.title.clone()}</td>
                                <td><SeverityBadge severity=item.severity/></td>
                                <td>{item.owner.as_ref().map_or_else(|| "—".to_string(), |o| o.name.clone())}</td>
                                <td>{item.priority.label()}</td>
                                <td>{item.status.label()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn StatsTable(caption: &'static str, rows: Vec<ActionStats>) -> impl IntoView {
    if rows.is_empty() {
        return view! {
            <div class="card"><h2 class="stats-caption">{caption}</h2><p class="empty">"No action items yet."</p></div>
        }
        .into_any();
    }
    view! {
        <div class="table-scroll card">
            <table class="stats-table">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Group"</th>
                        <th scope="col">"Items"</th>
                        <th scope="col" title="done ÷ (items − won't do)">"Completed"</th>
                        <th scope="col" title="creation → done, over done items">"Median time to complete"</th>
                        <th scope="col">"Open"</th>
                        <th scope="col">"Overdue"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.group}</th>
                            <td>{r.total}</td>
                            <td>{r.completion_rate.map_or_else(|| "—".to_string(), |c| format!("{:.0}% ({} of {})", c * 100.0, r.done, r.total - r.wont_do))}</td>
                            <td>{r.median_time_to_complete_s.map_or_else(|| "—".to_string(), format_seconds)}</td>
                            <td>{r.open}</td>
                            <td class:overdue={r.overdue > 0}>{r.overdue}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The longest-overdue items, so they reach someone.
#[component]
pub fn OldestOverdue(items: Vec<OverdueItem>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="oldest-overdue">
            <h2 id="oldest-overdue">"Oldest overdue"</h2>
            {if items.is_empty() {
                view! { <p class="empty">"Nothing is overdue."</p> }.into_any()
            } else {
                view! {
                    <ol class="overdue-list">
                        {items.into_iter().map(|o| view! {
                            <li>
                                <strong>{o.title}</strong>" · "
                                <a href=format!("/incidents/{}", o.incident.human_id)>{o.incident.human_id.clone()}</a>
                                " · "{o.owner.unwrap_or_else(|| "no owner".into())}
                                " · "<span class="overdue">{format!("{} days overdue (due {})", o.days_overdue, o.due_on)}</span>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}
