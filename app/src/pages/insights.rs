use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::get_insights;
use crate::components::ErrorPanel;
use crate::components::charts::{BarSeries, Chart, LineSpec, bar_chart, line_chart, ranked_bars};
use crate::domain::{Metric, SMALL_SAMPLE, Severity};
use crate::format::format_seconds;
use crate::model::{IncidentBrief, Insights, InsightsQuery, MetricSummary, encode_query_value};
use crate::page_resource::page_resource;

const FIELDS: [&str; 6] = ["from", "to", "severity", "service", "tag", "factor"];

pub(crate) fn insights_query(get: impl Fn(&str) -> Option<String>) -> InsightsQuery {
    InsightsQuery {
        from: get("from"),
        to: get("to"),
        severity: get("severity"),
        service: get("service"),
        tag: get("tag"),
        factor: get("factor"),
    }
}

/// The filters as a query string, for links to the CSV of each chart.
fn filter_string(q: &InsightsQuery) -> String {
    let values = [&q.from, &q.to, &q.severity, &q.service, &q.tag, &q.factor];
    FIELDS
        .iter()
        .zip(values)
        .filter_map(|(k, v)| {
            v.as_deref()
                .filter(|v| !v.is_empty())
                .map(|v| format!("&{k}={}", encode_query_value(v)))
        })
        .collect()
}

/// The leadership view: each duration with the pair of timestamps it
/// measures, frequency, causes, and follow-through. Server-rendered SVG.
#[component]
pub fn InsightsPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| insights_query(|k| params.read().get(k)));
    let data = page_resource(move || query.get(), get_insights);
    view! {
        <Title text="Insights"/>
        <div class="page insights">
            <h1>"Insights"</h1>
            <p class="hint">
                <a href="/insights/recurring">"Recurring causes"</a>" · "
                <a href="/digest">"This week's digest"</a>" · "
                <a href="/actions">"Action items"</a>
            </p>
            <InsightsFilters query=query.get_untracked() action="/insights"/>
            <Suspense fallback=|| view! { <p class="loading">"Counting…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(i) => view! { <InsightsView insights=i query=query.get_untracked()/> }.into_any(),
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
pub(crate) fn InsightsFilters(query: InsightsQuery, action: &'static str) -> impl IntoView {
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    view! {
        <form method="get" action=action class="filters" role="search" aria-label="Choose incidents">
            <label>"From "<input type="date" name="from" value=v(&query.from)/></label>
            <label>"To "<input type="date" name="to" value=v(&query.to)/></label>
            <label>"Severity "
                <select name="severity">
                    <option value="">"any"</option>
                    {Severity::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=query.severity.as_deref().is_some_and(|q| q.eq_ignore_ascii_case(s.as_str()))>{s.as_str()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"Service "<input type="text" name="service" value=v(&query.service)/></label>
            <label>"Tag "<input type="text" name="tag" value=v(&query.tag)/></label>
            <label>"Factor "<input type="text" name="factor" value=v(&query.factor)/></label>
            <button type="submit" class="button">"Apply"</button>
        </form>
    }
}

fn seconds(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), format_seconds)
}

#[component]
fn MetricCard(metric: Metric, m: MetricSummary) -> impl IntoView {
    let pair = format!("{} → {}", m.from_field, m.to_field);
    view! {
        <section class="card metric" aria-labelledby=format!("metric-{}", metric.as_str())>
            <h2 id=format!("metric-{}", metric.as_str())>{metric.label()}" "<span class="mono">{format!("({})", metric.as_str().to_uppercase())}</span></h2>
            <p class="metric-pair mono">{pair}</p>
            <dl class="metric-figures">
                <div><dt>"Median"</dt><dd title=m.median_s.map(|s| format!("{s} s")).unwrap_or_default()>{seconds(m.median_s)}</dd></div>
                <div><dt>"p90"</dt><dd title=m.p90_s.map(|s| format!("{s} s")).unwrap_or_default()>{seconds(m.p90_s.map(|s| s as f64))}</dd></div>
                <div><dt>"Mean"</dt><dd>{seconds(m.mean_s)}</dd></div>
                <div><dt>"n"</dt><dd>{m.n}</dd></div>
            </dl>
            {m.small_sample.then(|| view! {
                <p class="warning" role="note">{format!("Small sample: fewer than {SMALL_SAMPLE} incidents. The median and the mean swing widely; read the distribution.")}</p>
            })}
            {(m.missing > 0).then(|| view! {
                <p class="hint">{format!("{} resolved incident{} without both timestamps, not counted.", m.missing, if m.missing == 1 { "" } else { "s" })}</p>
            })}
        </section>
    }
}

#[component]
fn InsightsView(insights: Insights, query: InsightsQuery) -> impl IntoView {
    let filters = filter_string(&query);
    let csv = move |chart: &str| format!("/api/v1/insights/csv?chart={chart}{filters}");
    let i = insights;
    view! {
        <p class="hint" role="status">
            {format!("{} incidents selected · {} open · {} excluded (duplicate or declined) · {} impact minutes (started → mitigated)",
                i.total, i.open.len(), i.excluded.len(), i.impact_minutes)}
            " · "<a href=csv("metrics")>"Figures as CSV"</a>
        </p>
        <p class="hint">
            {format!("Figures as of {}", crate::format::format_time(i.as_of))}
            {i.catching_up.then_some(". Changes made since then are being counted: reload in a moment to see them.")}
        </p>
        <div class="metric-grid">
            <MetricCard metric=Metric::Ttd m=i.ttd.clone()/>
            <MetricCard metric=Metric::Tta m=i.tta.clone()/>
            <MetricCard metric=Metric::Ttm m=i.ttm.clone()/>
            <MetricCard metric=Metric::Ttr m=i.ttr.clone()/>
        </div>
        <div class="chart-grid">
            <Chart caption="Incidents per month, by severity".into() svg=per_month_svg(&i) csv_href=csv("per_month")/>
            <Chart caption="Time to resolve: share of incidents resolved within each duration (ECDF, log scale)".into() svg=ecdf_svg(&i.ttr) csv_href=csv("ttr_ecdf")/>
            <Chart caption="Median time to resolve, by month of impact start".into() svg=trend_svg(&i) csv_href=csv("ttr_trend")/>
            <Chart caption="Action items completed and gone overdue, by month".into() svg=actions_svg(&i) csv_href=csv("actions")/>
            <Chart caption="Top contributing factors, by incidents".into() svg=ranked_svg("factors-count", "Contributing factors by incidents", &i.factors, false) csv_href=csv("factors")/>
            <Chart caption="Top contributing factors, by impact minutes".into() svg=ranked_svg("factors-impact", "Contributing factors by impact minutes", &i.factors, true) csv_href=csv("factors")/>
            <Chart caption="Top services, by incidents".into() svg=ranked_svg("services", "Services by incidents", &i.services, false) csv_href=csv("services")/>
        </div>
        <section class="card" aria-labelledby="repeats-title">
            <h2 id="repeats-title">"Repeat incidents"</h2>
            {(!i.repeats.is_empty()).then(|| view! { <div class="chart-box" inner_html=repeats_svg(&i)></div> })}
            {if i.repeats.is_empty() {
                view! { <p class="empty">"No incident is marked as a repeat of another."</p> }.into_any()
            } else {
                view! {
                    <ul class="repeat-list">
                        {i.repeats.iter().map(|g| view! {
                            <li>
                                <a href=format!("/incidents/{}", g.original.human_id)>{format!("{} {}", g.original.human_id, g.original.title)}</a>
                                {format!(" happened again {} time{}: ", g.repeats.len(), if g.repeats.len() == 1 { "" } else { "s" })}
                                {g.repeats.iter().map(|r| view! { <a href=format!("/incidents/{}", r.human_id)>{r.human_id.clone()}</a>" " }).collect_view()}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <p class="hint"><a href=csv("repeats")>"Repeats as CSV"</a></p>
        </section>
        <BriefList title="Open incidents (no duration yet; never counted with now())" id="open-list" rows=i.open/>
        <BriefList title="Excluded: closed as duplicate or declined" id="excluded-list" rows=i.excluded/>
    }
}

#[component]
fn BriefList(title: &'static str, id: &'static str, rows: Vec<IncidentBrief>) -> impl IntoView {
    let n = rows.len();
    view! {
        <details class="card brief-list" id=id>
            <summary>{format!("{title}: {n}")}</summary>
            <ul>
                {rows.into_iter().map(|b| view! {
                    <li><a href=format!("/incidents/{}", b.human_id)><span class="mono">{b.human_id.clone()}</span>" "{b.title.clone()}</a>" · "{b.severity.as_str()}" · "{b.status.label()}</li>
                }).collect_view()}
            </ul>
        </details>
    }
}

fn per_month_svg(i: &Insights) -> String {
    let months: Vec<String> = i.per_month.iter().map(|m| m.month.clone()).collect();
    let classes = ["sev1", "sev2", "sev3", "sev4"];
    let series: Vec<BarSeries> = Severity::ALL
        .iter()
        .enumerate()
        .map(|(k, s)| BarSeries {
            class: classes[k],
            label: s.as_str().into(),
            values: i
                .per_month
                .iter()
                .map(|m| m.by_severity[k] as f64)
                .collect(),
        })
        .collect();
    let total: i64 = i.per_month.iter().flat_map(|m| m.by_severity).sum();
    bar_chart(
        "per-month",
        "Incidents per month, by severity",
        &format!(
            "{total} incidents over {} months, stacked by severity.",
            months.len()
        ),
        &months,
        &series,
        true,
    )
}

fn ecdf_svg(m: &MetricSummary) -> String {
    if m.ecdf.is_empty() {
        return String::from(r#"<p class="empty">No resolved incidents with both timestamps.</p>"#);
    }
    let points: Vec<(f64, f64)> = m.ecdf.iter().map(|(s, f)| (*s as f64, *f)).collect();
    line_chart(&LineSpec {
        id: "ttr-ecdf",
        title: "Time to resolve, cumulative distribution",
        desc: &format!(
            "{} incidents. Half were resolved within {}; 90% within {}.",
            m.n,
            seconds(m.median_s),
            seconds(m.p90_s.map(|s| s as f64))
        ),
        points: &points,
        log_x: true,
        step: true,
        x_fmt: &format_seconds,
        y_fmt: &|y| format!("{:.0}%", y * 100.0),
        x_names: None,
    })
}

fn trend_svg(i: &Insights) -> String {
    if i.ttr_trend.is_empty() {
        return String::from(r#"<p class="empty">No resolved incidents with both timestamps.</p>"#);
    }
    let names: Vec<String> = i.ttr_trend.iter().map(|m| m.month.clone()).collect();
    let points: Vec<(f64, f64)> = i
        .ttr_trend
        .iter()
        .enumerate()
        .map(|(k, m)| (k as f64, m.median_s))
        .collect();
    line_chart(&LineSpec {
        id: "ttr-trend",
        title: "Median time to resolve by month",
        desc: &format!("The monthly median over {} months.", names.len()),
        points: &points,
        log_x: false,
        step: false,
        x_fmt: &|x| format!("{x}"),
        y_fmt: &format_seconds,
        x_names: Some(&names),
    })
}

fn actions_svg(i: &Insights) -> String {
    if i.actions.is_empty() {
        return String::from(r#"<p class="empty">No action items on these incidents yet.</p>"#);
    }
    let months: Vec<String> = i.actions.iter().map(|m| m.month.clone()).collect();
    let series = [
        BarSeries {
            class: "done",
            label: "Completed".into(),
            values: i.actions.iter().map(|m| m.completed as f64).collect(),
        },
        BarSeries {
            class: "late",
            label: "Went overdue".into(),
            values: i.actions.iter().map(|m| m.overdue as f64).collect(),
        },
    ];
    bar_chart(
        "actions",
        "Action items completed and gone overdue",
        "Per month: items done, beside items whose due date passed before they were done.",
        &months,
        &series,
        false,
    )
}

fn repeats_svg(i: &Insights) -> String {
    let rows: Vec<(String, f64, String)> = i
        .repeats
        .iter()
        .map(|g| {
            (
                g.original.human_id.clone(),
                g.repeats.len() as f64,
                format!("{} repeats", g.repeats.len()),
            )
        })
        .collect();
    ranked_bars(
        "repeats",
        "Incidents that happened again",
        &format!(
            "{} incidents were marked as repeated; the bars count their repeats.",
            rows.len()
        ),
        &rows,
    )
}

fn ranked_svg(
    id: &str,
    title: &str,
    rows: &[crate::model::RankedCause],
    by_impact: bool,
) -> String {
    if rows.is_empty() {
        return String::from(r#"<p class="empty">Nothing recorded yet.</p>"#);
    }
    let mut rows: Vec<(String, f64, String)> = rows
        .iter()
        .map(|r| {
            if by_impact {
                (
                    r.name.clone(),
                    r.impact_minutes as f64,
                    format!("{} min", r.impact_minutes),
                )
            } else {
                (r.name.clone(), r.count as f64, r.count.to_string())
            }
        })
        .collect();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    if rows.iter().all(|r| r.1 <= 0.0) {
        return String::from(
            r#"<p class="empty">No impact minutes recorded: none of these incidents has both started_at and mitigated_at.</p>"#,
        );
    }
    ranked_bars(
        id,
        title,
        &format!("{} entries, largest first.", rows.len()),
        &rows,
    )
}
