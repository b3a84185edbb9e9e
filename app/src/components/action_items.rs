use leptos::prelude::*;

use super::ActionError;
use crate::api::{CreateAction, UpdateAction, incident_actions};
use crate::domain::{ActionKind, ActionStatus, Priority};
use crate::model::{ActionItem, UserRef};
use crate::page_resource::page_resource;

/// An incident's action items, with a form to add one. On the incident
/// page it lists them all; in a postmortem's prevention section it adds
/// new ones to that section. Every control is a form, so it works
/// without JavaScript.
#[component]
pub fn ActionItemsPanel(
    incident: String,
    #[prop(optional)] section_key: Option<String>,
    can_edit: bool,
) -> impl IntoView {
    let create = ServerAction::<CreateAction>::new();
    let update = ServerAction::<UpdateAction>::new();
    let key = incident.clone();
    let items = page_resource(
        move || (key.clone(), create.version().get(), update.version().get()),
        |(incident, _, _)| incident_actions(incident),
    );
    let id = format!("actions-{}", section_key.as_deref().unwrap_or("incident"));
    let heading_id = format!("{id}-title");
    let (labelled_by, section_id) = (heading_id.clone(), id.clone());
    view! {
        <section class="card action-items" aria-labelledby=labelled_by id=section_id>
            <h2 id=heading_id>"Action items"</h2>
            <p class="hint">"What we're doing so it doesn't happen again: each with an owner and a due date, tracked until done."</p>
            <ActionError error=Signal::derive(move || create.value().get().and_then(Result::err))/>
            <ActionError error=Signal::derive(move || update.value().get().and_then(Result::err))/>
            <Suspense fallback=|| view! { <p class="loading">"Loading action items…"</p> }>
                {move || Suspend::new(async move {
                    match items.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">"No action items yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="action-list">
                                {list.into_iter().map(|item| view! { <ActionRow item can_edit owners=Vec::new() update/> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <super::ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
            {can_edit.then(|| view! { <NewActionForm incident section_key id create/> })}
        </section>
    }
}

/// `Due 2026-12-01`, marked when overdue.
#[component]
pub fn DueDate(item: ActionItem) -> impl IntoView {
    match item.due_on {
        Some(day) if item.overdue => {
            view! { <span class="due overdue">{format!("Overdue since {day}")}</span> }.into_any()
        }
        Some(day) => view! { <span class="due">{format!("Due {day}")}</span> }.into_any(),
        None => view! { <span class="due">"No due date"</span> }.into_any(),
    }
}

#[component]
fn ActionRow(
    item: ActionItem,
    can_edit: bool,
    owners: Vec<UserRef>,
    update: ServerAction<UpdateAction>,
) -> impl IntoView {
    let owner = item
        .owner
        .as_ref()
        .map_or_else(|| "No owner".to_string(), |o| o.name.clone());
    let closed = item.status.is_closed();
    view! {
        <li class="action-item" class:closed=closed>
            <div class="action-line">
                <strong>{item.title.clone()}</strong>
                <span class=format!("badge action-status action-status-{}", item.status.as_str())>{item.status.label()}</span>
            </div>
            <p class="hint">
                {item.kind.label()}" · "{item.priority.label()}" priority · "{owner}" · "<DueDate item=item.clone()/>
                {item.tracker_url.clone().map(|url| view! { " · "<a href=url rel="noopener noreferrer">"Tracker"</a> })}
            </p>
            {(!item.description.is_empty()).then(|| view! { <p class="prose">{item.description.clone()}</p> })}
            {item.reason.clone().map(|r| view! { <p class="hint">"Reason: "{r}</p> })}
            {can_edit.then(|| view! { <ActionChangeForm item owners update/> })}
        </li>
    }
}

/// Status, reason, owner and due date of one item, saved with its version.
#[component]
pub fn ActionChangeForm(
    item: ActionItem,
    owners: Vec<UserRef>,
    update: ServerAction<UpdateAction>,
) -> impl IntoView {
    let item_id = item.id;
    let field = move |name: &str| format!("action-{item_id}-{name}");
    let current_owner = item.owner.as_ref().map(|o| o.id);
    view! {
        <details class="action-change">
            <summary>"Update"</summary>
            <ActionForm action=update attr:class="form-row">
                <input type="hidden" name="patch[id]" value=item.id/>
                <input type="hidden" name="patch[version]" value=item.version/>
                <label for=field("status")>"Status"</label>
                <select id=field("status") name="patch[status]">
                    {ActionStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=s == item.status>{s.label()}</option>
                    }).collect_view()}
                </select>
                <label for=field("reason")>"Reason (required for won't do)"</label>
                <input type="text" id=field("reason") name="patch[reason]" value=item.reason.clone().unwrap_or_default()/>
                <label for=field("owner")>"Owner"</label>
                {if owners.is_empty() {
                    let email = item.owner.as_ref().map(|o| o.email.clone()).unwrap_or_default();
                    view! { <input type="email" id=field("owner") name="patch[owner]" value=email/> }.into_any()
                } else {
                    view! {
                        <select id=field("owner") name="patch[owner]">
                            <option value="">"No owner"</option>
                            {owners.into_iter().map(|u| view! {
                                <option value=u.id selected=Some(u.id) == current_owner>{u.name}</option>
                            }).collect_view()}
                        </select>
                    }.into_any()
                }}
                <label for=field("due")>"Due"</label>
                <input type="date" id=field("due") name="patch[due_on]" value=item.due_on.map(|d| d.to_string()).unwrap_or_default()/>
                <button type="submit" class="button button-small">"Save"</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn NewActionForm(
    incident: String,
    section_key: Option<String>,
    id: String,
    create: ServerAction<CreateAction>,
) -> impl IntoView {
    let field = move |name: &str| format!("{id}-new-{name}");
    view! {
        <details class="new-action">
            <summary>"Add an action item"</summary>
            <ActionForm action=create attr:class="form-stack">
                <input type="hidden" name="action[incident]" value=incident/>
                {section_key.map(|k| view! { <input type="hidden" name="action[section_key]" value=k/> })}
                <div class="field">
                    <label for=field("title")>"What will be done"</label>
                    <input type="text" id=field("title") name="action[title]" required maxlength="200"/>
                </div>
                <div class="field-grid">
                    <div class="field">
                        <label for=field("owner")>"Owner (email)"</label>
                        <input type="email" id=field("owner") name="action[owner]" placeholder="name@example.com"/>
                    </div>
                    <div class="field">
                        <label for=field("due")>"Due (blank: the default for this severity)"</label>
                        <input type="date" id=field("due") name="action[due_on]"/>
                    </div>
                    <div class="field">
                        <label for=field("kind")>"Type"</label>
                        <select id=field("kind") name="action[kind]">
                            {ActionKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for=field("priority")>"Priority"</label>
                        <select id=field("priority") name="action[priority]">
                            {Priority::ALL.into_iter().map(|p| view! { <option value=p.as_str() selected=p == Priority::Medium>{p.label()}</option> }).collect_view()}
                        </select>
                    </div>
                </div>
                <div class="field">
                    <label for=field("tracker")>"Tracker link (optional)"</label>
                    <input type="url" id=field("tracker") name="action[tracker_url]" placeholder="https://…"/>
                </div>
                <div class="field">
                    <label for=field("description")>"Details (optional)"</label>
                    <textarea id=field("description") name="action[description]" rows="3"></textarea>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button button-primary">"Add action item"</button>
                </div>
            </ActionForm>
        </details>
    }
}
