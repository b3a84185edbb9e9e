use leptos::prelude::*;

use super::{ActionError, MarkdownField};
use crate::api::{AddTimelineEntry, EditTimelineEntry};
use crate::domain::EntryKind;
use crate::format::{datetime_local, format_time};
use crate::model::TimelineEntry;

fn kind_options(selected: EntryKind) -> impl IntoView {
    let mut kinds = EntryKind::MANUAL.to_vec();
    if !kinds.contains(&selected) {
        kinds.push(selected);
    }
    kinds
        .into_iter()
        .map(|k| view! { <option value=k.as_str() selected=k == selected>{k.label()}</option> })
        .collect_view()
}

/// The timeline, oldest first, with an "add entry" box at the foot.
#[component]
pub fn Timeline(
    incident_id: i64,
    entries: Vec<TimelineEntry>,
    add: ServerAction<AddTimelineEntry>,
    edit: ServerAction<EditTimelineEntry>,
    /// Viewers see the timeline without the forms.
    can_edit: bool,
) -> impl IntoView {
    let add_error = Signal::derive(move || add.value().get().and_then(Result::err));
    let edit_error = Signal::derive(move || edit.value().get().and_then(Result::err));
    let empty = entries.is_empty();
    view! {
        <section class="timeline-section" aria-labelledby="timeline-title">
            <h2 id="timeline-title">"Timeline"</h2>
            <ActionError error=edit_error/>
            {empty.then(|| view! { <p class="empty">"No entries yet. Add what you see and what you try, as it happens."</p> })}
            <ol class="timeline">
                {entries.into_iter().map(|e| view! { <TimelineItem entry=e incident_id edit can_edit/> }).collect_view()}
            </ol>
            {can_edit.then(|| view! {
            <div class="card" id="add-entry">
                <h3>"Add an entry"</h3>
                <ActionError error=add_error/>
                <ActionForm action=add attr:class="form-grid" attr:id="timeline-form">
                    <input type="hidden" name="form[id]" value=incident_id.to_string()/>
                    <div class="field">
                        <label for="entry-kind">"Kind"</label>
                        <select id="entry-kind" name="form[kind]">{kind_options(EntryKind::Note)}</select>
                    </div>
                    <div class="field">
                        <label for="entry-time">"When " <span class="hint">"(UTC; blank = now)"</span></label>
                        <input id="entry-time" name="form[occurred_at]" type="datetime-local" step="1"/>
                    </div>
                    <div class="field-wide">
                        <MarkdownField name="form[body]" id="entry-body" label="What happened" rows=3/>
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="button button-primary">"Add entry"</button>
                    </div>
                </ActionForm>
            </div>
            })}
        </section>
    }
}

#[component]
fn TimelineItem(
    entry: TimelineEntry,
    incident_id: i64,
    edit: ServerAction<EditTimelineEntry>,
    can_edit: bool,
) -> impl IntoView {
    let field_id = format!("entry-{}-body", entry.id);
    view! {
        <li class=format!("timeline-entry kind-{}", entry.kind.as_str()) id=format!("entry-{}", entry.id)>
            <div class="entry-meta">
                <time datetime=entry.occurred_at.to_rfc3339()>{format_time(entry.occurred_at)}</time>
                <span class="entry-kind">{entry.kind.label()}</span>
                {entry.author.clone().map(|a| view! { <span class="entry-author">{a}</span> })}
            </div>
            <div class="entry-body prose" inner_html=entry.body_html.clone()></div>
            {can_edit.then(|| view! {
            <details class="entry-edit">
                <summary>"Edit"<span class="visually-hidden">{format!(" entry {}", entry.id)}</span></summary>
                <ActionForm action=edit attr:class="form-grid">
                    <input type="hidden" name="form[id]" value=incident_id.to_string()/>
                    <input type="hidden" name="form[entry_id]" value=entry.id.to_string()/>
                    <input type="hidden" name="form[version]" value=entry.version.to_string()/>
                    <div class="field">
                        <label for=format!("entry-{}-kind", entry.id)>"Kind"</label>
                        <select id=format!("entry-{}-kind", entry.id) name="form[kind]">{kind_options(entry.kind)}</select>
                    </div>
                    <div class="field">
                        <label for=format!("entry-{}-time", entry.id)>"When (UTC)"</label>
                        <input id=format!("entry-{}-time", entry.id) name="form[occurred_at]" type="datetime-local" step="1" value=datetime_local(Some(entry.occurred_at))/>
                    </div>
                    <div class="field-wide">
                        <MarkdownField name="form[body]" id=field_id label="Entry" initial=entry.body.clone() rows=3/>
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="button">"Save entry"</button>
                    </div>
                </ActionForm>
            </details>
            })}
        </li>
    }
}
