use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::search_incidents;
use crate::components::{ErrorPanel, FacetSidebar, SearchHitItem};
use crate::model::{SearchQuery, SearchResults, encode_query_value};
use crate::page_resource::page_resource;

const PAGE_SIZE: i64 = 20;

/// Full-text search over every incident: "have we seen this before?".
/// A plain GET form, so it works without JavaScript.
#[component]
pub fn SearchPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let p = params.read();
        SearchQuery {
            q: p.get("q"),
            limit: Some(PAGE_SIZE),
            offset: p.get("offset").and_then(|o| o.parse().ok()),
            sort: p.get("sort").filter(|s| !s.is_empty()),
        }
    });
    let results = page_resource(move || query.get(), search_incidents);
    let q = move || query.get().q.unwrap_or_default();
    let by_date = move || query.get().sort.as_deref() == Some("date");
    view! {
        <Title text=move || if q().is_empty() { "Search".to_string() } else { format!("{} — search", q()) }/>
        <div class="page">
            <h1>"Search incidents"</h1>
            <form action="/search" method="get" class="search-form" role="search">
                <label for="search-q" class="visually-hidden">"Search"</label>
                <input id="search-q" type="search" name="q" value=q autocomplete="off"
                    placeholder="words, \"a phrase\", service:checkout severity:sev1 tag:dns status:resolved after:2025-01-01"/>
                <label for="search-sort" class="visually-hidden">"Order"</label>
                <select id="search-sort" name="sort">
                    <option value="" selected=move || !by_date()>"Best match"</option>
                    <option value="date" selected=by_date>"Newest first"</option>
                </select>
                <button type="submit" class="button button-primary">"Search"</button>
            </form>
            <Suspense fallback=|| view! { <p class="loading">"Searching…"</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(r) => view! { <SearchResultsView results=r query=query.get_untracked()/> }.into_any(),
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

fn page_link(query: &SearchQuery, offset: i64) -> String {
    let mut link = format!(
        "/search?q={}",
        encode_query_value(query.q.as_deref().unwrap_or_default())
    );
    if let Some(sort) = &query.sort {
        link.push_str(&format!("&sort={}", encode_query_value(sort)));
    }
    if offset > 0 {
        link.push_str(&format!("&offset={offset}"));
    }
    link
}

#[component]
fn SearchResultsView(results: SearchResults, query: SearchQuery) -> impl IntoView {
    let offset = query.offset.unwrap_or(0);
    let total = results.total as i64;
    let newer = (offset > 0).then(|| page_link(&query, (offset - PAGE_SIZE).max(0)));
    let older = (offset + PAGE_SIZE < total).then(|| page_link(&query, offset + PAGE_SIZE));
    let q = query.q.clone().unwrap_or_default();
    let count = format!(
        "{total} incident{}{}",
        if total == 1 { "" } else { "s" },
        if results.fuzzy {
            " (close spellings included)"
        } else {
            ""
        }
    );
    view! {
        <div class="search-layout">
            <FacetSidebar facets=results.facets.clone() q=q/>
            <div class="search-main">
                <p class="result-count" role="status">{count}" · "{format!("{:.1} ms", results.took_ms)}</p>
                {if results.hits.is_empty() {
                    view! { <p class="empty">"Nothing matches. Try fewer words, or remove a filter."</p> }.into_any()
                } else {
                    view! {
                        <ol class="search-hits" id="search-hits">
                            {results.hits.into_iter().map(|hit| view! { <SearchHitItem hit/> }).collect_view()}
                        </ol>
                    }.into_any()
                }}
                <nav class="pagination" aria-label="Pages">
                    {newer.map(|href| view! { <a href=href rel="prev">"Previous"</a> })}
                    {older.map(|href| view! { <a href=href rel="next">"Next"</a> })}
                </nav>
            </div>
        </div>
    }
}
