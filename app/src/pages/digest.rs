use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::action_board::OldestOverdue;
use crate::api::get_weekly_digest;
use crate::components::{ErrorPanel, SeverityBadge};
use crate::format::format_seconds;
use crate::model::WeeklyDigest;
use crate::page_resource::page_resource;

/// The week for leadership: new incidents, how fast the week's incidents
/// were resolved, and the action items that are late.
#[component]
pub fn DigestPage() -> impl IntoView {
    let params = use_query_map();
    let week = Memo::new(move |_| params.read().get("week"));
    let data = page_resource(move || week.get(), get_weekly_digest);
    view! {
        <Title text="Weekly digest"/>
        <div class="page narrow">
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! { <DigestView digest=d/> }.into_any(),
                        Err(error) => {
                            crate::http_status::set_http_status(error.status());
                            view! { <h1>"Weekly digest"</h1><ErrorPanel error/> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}

fn shift(day: &str, days: i64) -> String {
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(|d| (d + chrono::Duration::days(days)).to_string())
        .unwrap_or_default()
}

#[component]
fn DigestView(digest: WeeklyDigest) -> impl IntoView {
    let d = digest;
    let ttr = d.ttr.clone();
    view! {
        <h1>{format!("Week of {} to {}", d.week_start, d.week_end)}</h1>
        <p class="hint">
            <a href=format!("/digest?week={}", shift(&d.week_start, -7))>"← Previous week"</a>" · "
            <a href=format!("/digest?week={}", shift(&d.week_start, 7))>"Next week →"</a>
        </p>
        <section class="card" aria-labelledby="digest-figures">
            <h2 id="digest-figures">"In numbers"</h2>
            <ul>
                <li>{format!("{} new incident{} declared", d.new_incidents.len(), if d.new_incidents.len() == 1 { "" } else { "s" })}</li>
                <li>{format!("{} resolved", d.resolved)}</li>
                <li>
                    {format!("Time to resolve (started_at → resolved_at) of the week's resolutions: median {}, p90 {}, n = {}",
                        ttr.median_s.map_or_else(|| "—".into(), format_seconds),
                        ttr.p90_s.map_or_else(|| "—".into(), |s| format_seconds(s as f64)),
                        ttr.n)}
                    {ttr.small_sample.then_some(" (a small sample: read it as a few stories, not a trend)")}
                </li>
                <li>{format!("{} action item{} completed", d.completed_actions, if d.completed_actions == 1 { "" } else { "s" })}</li>
                <li>{format!("{} action item{} overdue now", d.overdue.len(), if d.overdue.len() == 1 { "" } else { "s" })}</li>
            </ul>
        </section>
        <section class="card" aria-labelledby="digest-new">
            <h2 id="digest-new">"New incidents"</h2>
            {if d.new_incidents.is_empty() {
                view! { <p class="empty">"None this week."</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {d.new_incidents.into_iter().map(|b| view! {
                            <li><SeverityBadge severity=b.severity/>" "<a href=format!("/incidents/{}", b.human_id)><span class="mono">{b.human_id.clone()}</span>" "{b.title.clone()}</a>" · "{b.status.label()}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <OldestOverdue items=d.overdue/>
    }
}
