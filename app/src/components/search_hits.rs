use leptos::prelude::*;

use super::{SeverityBadge, StatusBadge};
use crate::format::format_time;
use crate::model::{FacetCount, SearchFacets, SearchHit};

/// One result: the title links to the incident; the snippet is HTML whose
/// only markup is `<mark>` (the server escapes everything else).
#[component]
pub fn SearchHitItem(hit: SearchHit) -> impl IntoView {
    let href = format!("/incidents/{}", hit.human_id);
    view! {
        <li class="search-hit">
            <p class="search-hit-title">
                <SeverityBadge severity=hit.severity/>" "
                <a href=href class="search-hit-link"><span class="mono">{hit.human_id.clone()}</span>" "{hit.title.clone()}</a>
            </p>
            <p class="search-hit-meta">
                <StatusBadge status=hit.status/>
                {hit.started_at.map(|at| view! { " · " <time datetime=at.to_rfc3339()>{format_time(at)}</time> })}
            </p>
            <p class="search-hit-snippet" inner_html=hit.snippet.clone()></p>
        </li>
    }
}

/// The query with one more filter, for facet links.
fn with_filter(q: &str, key: &str, value: &str) -> String {
    let value = if value.contains(' ') {
        format!("\"{value}\"")
    } else {
        value.to_string()
    };
    let next = format!("{} {key}:{value}", q.trim()).trim().to_string();
    format!("/search?q={}", crate::model::encode_query_value(&next))
}

#[component]
fn FacetGroup(
    title: &'static str,
    key: &'static str,
    values: Vec<FacetCount>,
    q: String,
) -> impl IntoView {
    if values.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="facet-group" aria-label=title>
            <h3>{title}</h3>
            <ul>
                {values.into_iter().map(|f| view! {
                    <li><a href=with_filter(&q, key, &f.value)>{f.value.clone()}</a>" "<span class="hint">{f.count}</span></li>
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

/// Counts by severity, status, service, tag and year; each value narrows the search.
#[component]
pub fn FacetSidebar(facets: SearchFacets, q: String) -> impl IntoView {
    let year_links: Vec<FacetCount> = facets.year.clone();
    view! {
        <aside class="facets" aria-label="Narrow the results">
            <FacetGroup title="Severity" key="severity" values=facets.severity q=q.clone()/>
            <FacetGroup title="Status" key="status" values=facets.status q=q.clone()/>
            <FacetGroup title="Service" key="service" values=facets.service q=q.clone()/>
            <FacetGroup title="Tag" key="tag" values=facets.tag q=q.clone()/>
            {(!year_links.is_empty()).then(|| view! {
                <section class="facet-group" aria-label="Year">
                    <h3>"Year"</h3>
                    <ul>
                        {year_links.into_iter().map(|f| {
                            let year: i32 = f.value.parse().unwrap_or(1970);
                            let next = format!("{} after:{year}-01-01 before:{}-01-01", q.trim(), year + 1);
                            let href = format!("/search?q={}", crate::model::encode_query_value(next.trim()));
                            view! { <li><a href=href>{f.value.clone()}</a>" "<span class="hint">{f.count}</span></li> }
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </aside>
    }
}
