use leptos::prelude::*;

use super::{ActionError, MarkdownField};
use crate::api::UpdateIncident;
use crate::domain::{Milestone, Severity};
use crate::format::datetime_local;
use crate::model::Incident;

/// Every editable field of an incident, behind a disclosure so the page stays
/// calm. Carries the version it was rendered from; a stale save is refused.
#[component]
pub fn EditIncidentDetails(
    incident: Incident,
    action: ServerAction<UpdateIncident>,
) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let has_error = move || error.get().is_some();
    let text_field = |id: &'static str, label: &'static str, value: String| {
        // People fields suggest accounts (a <datalist>); free text still works.
        let list = matches!(id, "commander" | "comms_lead").then_some("people");
        view! {
            <div class="field">
                <label for=format!("edit-{id}")>{label}</label>
                <input id=format!("edit-{id}") name=format!("form[{id}]") type="text" value=value list=list autocomplete="off"/>
            </div>
        }
    };
    let stamp_fields = Milestone::ORDERED
        .into_iter()
        .map(|m| {
            let name = m.field();
            view! {
                <div class="field">
                    <label for=format!("edit-{name}")>{m.label()}" "<span class="hint">"(UTC)"</span></label>
                    <input id=format!("edit-{name}") name=format!("form[{name}]") type="datetime-local" step="1"
                        value=datetime_local(incident.milestones.get(m))/>
                </div>
            }
        })
        .collect_view();
    view! {
        <details class="card" id="edit-details" open=has_error>
            <summary><h2>"Edit details"</h2></summary>
            <ActionError error/>
            <ActionForm action=action attr:class="form-grid">
                <input type="hidden" name="form[id]" value=incident.id.to_string()/>
                <input type="hidden" name="form[version]" value=incident.version.to_string()/>
                <div class="field field-wide">
                    <label for="edit-title">"Title"</label>
                    <input id="edit-title" name="form[title]" type="text" required maxlength="200" value=incident.title.clone()/>
                </div>
                <div class="field">
                    <label for="edit-severity">"Severity"</label>
                    <select id="edit-severity" name="form[severity]">
                        {Severity::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=s == incident.severity>{s.as_str()}" — "{s.description()}</option>
                        }).collect_view()}
                    </select>
                </div>
                {text_field("services", "Services (comma-separated)", incident.services.join(", "))}
                {text_field("tags", "Tags (comma-separated)", incident.tags.join(", "))}
                {text_field("commander", "Incident commander", incident.commander.clone().unwrap_or_default())}
                {text_field("comms_lead", "Communications lead", incident.comms_lead.clone().unwrap_or_default())}
                {text_field("repeat_of", "Repeat of (e.g. INC-12)", incident.repeat_of.as_ref().map(|l| l.human_id.clone()).unwrap_or_default())}
                <div class="field field-wide">
                    <label for="edit-customer_impact">"Customer impact"</label>
                    <textarea id="edit-customer_impact" name="form[customer_impact]" rows="2">{super::textarea_text(incident.customer_impact.as_deref().unwrap_or_default())}</textarea>
                </div>
                <div class="field-wide">
                    <MarkdownField name="form[summary]" id="edit-summary" label="Summary" initial=incident.summary.clone() rows=8/>
                </div>
                <fieldset class="field-wide stamp-fields">
                    <legend>"Timestamps " <span class="hint">"(UTC; leave blank if unknown)"</span></legend>
                    {stamp_fields}
                </fieldset>
                <div class="form-actions">
                    <button type="submit" class="button button-primary">"Save changes"</button>
                </div>
            </ActionForm>
        </details>
    }
}
