use std::time::Duration;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::SeverityBadge;
use super::live_query::live_answer;
use crate::api::search_incidents;
use crate::model::{SearchQuery, encode_query_value};

const LIVE_HITS: i64 = 6;
const PAUSE: Duration = Duration::from_millis(150);

/// The header's search box. A plain GET form to `/search`; with JavaScript,
/// results appear under it as you type, and the arrow keys walk them.
#[component]
pub fn LiveSearch() -> impl IntoView {
    let query = use_query_map();
    let initial = move || query.read().get("q").unwrap_or_default();
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
            move_focus(1);
        }
        "ArrowUp" => {
            ev.prevent_default();
            move_focus(-1);
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

/// Moves focus between the search box and the live results.
fn move_focus(step: i32) {
    use wasm_bindgen::JsCast;
    let doc = document();
    let Ok(links) = doc.query_selector_all("#global-search, #live-results:not([hidden]) .live-hit")
    else {
        return;
    };
    let items: Vec<web_sys::HtmlElement> = (0..links.length())
        .filter_map(|i| links.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        .collect();
    if items.len() < 2 {
        return;
    }
    let active = doc.active_element();
    let current = items
        .iter()
        .position(|el| active.as_ref().is_some_and(|a| a.is_same_node(Some(el))))
        .unwrap_or(0) as i32;
    let next = (current + step).rem_euclid(items.len() as i32) as usize;
    let _ = items[next].focus();
}
