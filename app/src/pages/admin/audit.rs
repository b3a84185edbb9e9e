use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::{AdminError, AdminNav};
use crate::api::list_audit;
use crate::components::AuditEntry;
use crate::model::{AuditPage as Page, AuditQuery, encode_query_value};
use crate::page_resource::page_resource;

const PAGE_SIZE: i64 = 50;

fn query_string(q: &AuditQuery, offset: i64) -> String {
    let pairs = [("entity", &q.entity), ("id", &q.id), ("actor", &q.actor)];
    let mut parts: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| {
            v.as_ref()
                .filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}", encode_query_value(v)))
        })
        .collect();
    parts.push(format!("offset={offset}"));
    format!("?{}", parts.join("&"))
}

/// Everything that changed, newest first, filtered by entity, id or actor.
#[component]
pub fn AuditPage() -> impl IntoView {
    let params = use_query_map();
    let query = move || {
        let p = params.read();
        let text = |k: &str| p.get(k).filter(|v| !v.trim().is_empty());
        AuditQuery {
            entity: text("entity"),
            id: text("id"),
            actor: text("actor"),
            limit: Some(PAGE_SIZE),
            offset: text("offset").and_then(|o| o.parse().ok()),
        }
    };
    let page = page_resource(query, list_audit);
    view! {
        <Title text="Audit log"/>
        <div class="page">
            <h1>"Audit log"</h1>
            <AdminNav current="/admin/audit"/>
            <Form action="/admin/audit" method="GET" attr:class="filters" attr:aria-label="Filter the audit log">
                <div class="field">
                    <label for="audit-entity">"Entity"</label>
                    <select id="audit-entity" name="entity">
                        {["", "incident", "user", "settings"].into_iter().map(|e| view! {
                            <option value=e selected=move || params.read().get("entity").unwrap_or_default() == e>{if e.is_empty() { "any" } else { e }}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="audit-id">"Id"</label>
                    <input id="audit-id" name="id" type="text" size="8" value=move || params.read().get("id").unwrap_or_default()/>
                </div>
                <div class="field">
                    <label for="audit-actor">"Actor (email)"</label>
                    <input id="audit-actor" name="actor" type="text" value=move || params.read().get("actor").unwrap_or_default()/>
                </div>
                <button type="submit" class="button">"Filter"</button>
            </Form>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! { <AuditResults page=p query=query()/> }.into_any(),
                        Err(error) => view! { <AdminError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn AuditResults(page: Page, query: AuditQuery) -> impl IntoView {
    let Page {
        total,
        limit,
        offset,
        items,
    } = page;
    let newer = (offset > 0).then(|| query_string(&query, (offset - limit).max(0)));
    let older = (offset + limit < total).then(|| query_string(&query, offset + limit));
    view! {
        <p class="result-count">{format!("{total} change{}", if total == 1 { "" } else { "s" })}</p>
        {if items.is_empty() {
            view! { <p class="empty">"Nothing matches."</p> }.into_any()
        } else {
            view! {
                <ol class="audit-list card">
                    {items.into_iter().map(|row| view! { <AuditEntry row show_entity=true/> }).collect_view()}
                </ol>
            }.into_any()
        }}
        <nav class="pagination" aria-label="Pages">
            {newer.map(|href| view! { <a href=href rel="prev">"Newer"</a> })}
            {older.map(|href| view! { <a href=href rel="next">"Older"</a> })}
        </nav>
    }
}
