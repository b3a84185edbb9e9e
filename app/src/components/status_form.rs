use leptos::prelude::*;

use super::ActionError;
use crate::api::ChangeStatus;
use crate::domain::Status;
use crate::model::Incident;

/// Moves an incident to another status. The matching timestamp is set and a
/// timeline entry written by the server.
#[component]
pub fn StatusChangeForm(incident: Incident, action: ServerAction<ChangeStatus>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let current = incident.status;
    view! {
        <section class="card" aria-labelledby="status-form-title">
            <h2 id="status-form-title">"Update status"</h2>
            <ActionError error/>
            <ActionForm action=action attr:class="form-grid" attr:id="status-form">
                <input type="hidden" name="form[id]" value=incident.id.to_string()/>
                <input type="hidden" name="form[version]" value=incident.version.to_string()/>
                <div class="field">
                    <label for="status-select">"New status"</label>
                    <select id="status-select" name="form[status]">
                        {Status::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=s == current>{s.icon()}" "{s.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="status-duplicate-of">"Duplicate of " <span class="hint">"(when closing as duplicate, e.g. INC-12)"</span></label>
                    <input id="status-duplicate-of" name="form[duplicate_of]" type="text" autocomplete="off"/>
                </div>
                <div class="field">
                    <label for="status-decline-reason">"Reason " <span class="hint">"(when declining)"</span></label>
                    <input id="status-decline-reason" name="form[decline_reason]" type="text"/>
                </div>
                <div class="field field-wide">
                    <label for="status-note">"Note for the timeline " <span class="hint">"(optional)"</span></label>
                    <textarea id="status-note" name="form[note]" rows="2"></textarea>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button button-primary">"Update status"</button>
                </div>
            </ActionForm>
        </section>
    }
}
