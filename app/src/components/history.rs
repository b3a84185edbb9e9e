use leptos::prelude::*;

use crate::format::format_time;
use crate::model::{AuditChange, AuditRow};

const MAX_VALUE_CHARS: usize = 160;

fn shown(value: &Option<String>) -> String {
    match value {
        None => "—".to_string(),
        Some(v) if v.chars().count() > MAX_VALUE_CHARS => {
            format!("{}…", v.chars().take(MAX_VALUE_CHARS).collect::<String>())
        }
        Some(v) => v.clone(),
    }
}

/// The changed fields, folded behind their names so a long log stays calm.
#[component]
fn ChangeList(changes: Vec<AuditChange>) -> impl IntoView {
    let names: Vec<String> = changes.iter().map(|c| c.field.clone()).collect();
    view! {
        <details class="audit-details">
            <summary>{names.join(", ")}</summary>
            <ul class="audit-changes">
            {changes.into_iter().map(|c| view! {
                <li>
                    <span class="mono">{c.field.clone()}</span>": "
                    <del>{shown(&c.before)}</del>" → "<ins>{shown(&c.after)}</ins>
                </li>
            }).collect_view()}
            </ul>
        </details>
    }
}

/// One audit row: when, who, how, what.
#[component]
pub fn AuditEntry(row: AuditRow, #[prop(optional)] show_entity: bool) -> impl IntoView {
    let entity = show_entity.then(|| {
        let label = format!("{} {}", row.entity, row.entity_id);
        match row.entity.as_str() {
            "incident" => {
                view! { <a href=format!("/incidents/INC-{}", row.entity_id)>{label}</a>" · " }
                    .into_any()
            }
            _ => view! { {label}" · " }.into_any(),
        }
    });
    view! {
        <li class="audit-row">
            <p class="audit-meta">
                <time datetime=row.at.to_rfc3339()>{format_time(row.at)}</time>" · "
                {entity}
                <strong>{row.actor.clone()}</strong>" · "{row.action.clone()}
                <span class="hint">{format!(" via {}", row.channel)}</span>
            </p>
            {(!row.changes.is_empty()).then(|| view! { <ChangeList changes=row.changes.clone()/> })}
        </li>
    }
}

/// An incident's history from the audit log, newest first, folded away.
#[component]
pub fn IncidentHistory(rows: Vec<AuditRow>) -> impl IntoView {
    let count = rows.len();
    view! {
        <details class="card history" id="history">
            <summary><h2>{format!("History ({count})")}</h2></summary>
            <ol class="audit-list">
                {rows.into_iter().map(|row| view! { <AuditEntry row/> }).collect_view()}
            </ol>
        </details>
    }
}
