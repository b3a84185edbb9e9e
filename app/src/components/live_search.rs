use std::time::Duration;

use leptos::prelude::*;

use super::SeverityBadge;
use super::focus_walk::walk_focus;
use super::live_query::live_answer;
use crate::api::search_incidents;
use crate::model::{SearchQuery, encode_query_value};

const LIVE_HITS: i64 = 6;
/// The search box and its live results, in the order the arrow keys walk them.
const LIVE_LINKS: &str = "#global-search, #live-results:not([hidden]) .live-hit";
const PAUSE: Duration = Duration::from_millis(150);

/// The header's search box, holding `initial` (the query being shown). A
/// plain GET form to `/search`; with JavaScript (an island), results appear
/// under it as you type, and the arrow keys walk them.
#[island]
pub fn LiveSearch(initial: String) -> impl IntoView {
    let (text, set_text) = signal(String::new());
    let (open, set_open) = signal(false);
    let answer = live_answer(text.into(), PAUSE, |q: String| async move {
        // The last word is probably still being typed: match its beginning.
        let q = if q.ends_with(char::is_alphanumeric) {
            format!("{q}*")
        } else {
            q
        };
        let query = SearchQuery {
            q: Some(q),
            limit: Some(LIVE_HITS),
            ..Default::default()
        };
        search_incidents(query).await.ok()
    });
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "ArrowDown" => {
            ev.prevent_default();
            walk_focus(LIVE_LINKS, 1);
        }
        "ArrowUp" => {
            ev.prevent_default();
            walk_focus(LIVE_LINKS, -1);
        }
        "Escape" => set_open.set(false),
        _ => {}
    };
    view! {
        <form action="/search" method="get" class="site-search" role="search" on:keydown=on_keydown>
            <label for="global-search" class="visually-hidden">"Search incidents"</label>
            <input id="global-search" type="search" name="q" placeholder="Search incidents  ( / )" value=initial autocomplete="off"
                aria-controls="live-results"
                on:input=move |ev| {
                    set_text.set(event_target_value(&ev));
                    set_open.set(true);
                }/>
            <div id="live-results" class="live-results" hidden=move || !open.get() || answer.get().is_none()>
                {move || answer.get().map(|results| {
                    let all = format!("/search?q={}", encode_query_value(&text.get_untracked()));
                    let total = results.total;
                    view! {
                        <ul>
                            {results.hits.into_iter().map(|hit| view! {
                                <li>
                                    <a class="live-hit" href=format!("/incidents/{}", hit.human_id)>
                                        <SeverityBadge severity=hit.severity/>" "
                                        <span class="mono">{hit.human_id.clone()}</span>" "{hit.title.clone()}
                                        <span class="live-snippet" inner_html=hit.snippet.clone()></span>
                                    </a>
                                </li>
                            }).collect_view()}
                        </ul>
                        <a class="live-hit live-all" href=all>{format!("All {total} results")}</a>
                    }
                })}
            </div>
        </form>
    }
}
