use leptos::prelude::*;

use super::ActionError;
use crate::api::{AddFactor, RemoveFactor};
use crate::model::{Factor, IncidentFactor};

/// The actions the contributing-factors card uses.
#[derive(Clone, Copy)]
pub struct FactorActions {
    pub add: ServerAction<AddFactor>,
    pub remove: ServerAction<RemoveFactor>,
}

/// An incident's contributing factors: several, each with why. Never one
/// root cause, never a person.
#[component]
pub fn FactorsCard(
    incident: String,
    factors: Vec<IncidentFactor>,
    taxonomy: Vec<Factor>,
    can_edit: bool,
    actions: FactorActions,
) -> impl IntoView {
    let empty = factors.is_empty();
    view! {
        <section class="card factors" aria-labelledby="factors-title">
            <h2 id="factors-title">"Contributing factors"</h2>
            <p class="hint">"Several conditions together made this possible. Name each, and why; never one root cause, never a person."</p>
            <ActionError error=Signal::derive(move || actions.add.value().get().and_then(Result::err))/>
            <ActionError error=Signal::derive(move || actions.remove.value().get().and_then(Result::err))/>
            {empty.then(|| view! { <p class="empty">"None recorded yet."</p> })}
            <ul class="factor-list">
                {factors.into_iter().map(|f| {
                    let incident = incident.clone();
                    view! {
                        <li>
                            <strong>{f.factor}</strong>
                            {(!f.explanation.is_empty()).then(|| view! { ": "{f.explanation} })}
                            {can_edit.then(|| view! {
                                <ActionForm action=actions.remove attr:class="inline-form">
                                    <input type="hidden" name="removal[incident]" value=incident/>
                                    <input type="hidden" name="removal[id]" value=f.id/>
                                    <button type="submit" class="button button-small">"Remove"</button>
                                </ActionForm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {can_edit.then(|| view! {
                <ActionForm action=actions.add attr:class="factor-form">
                    <input type="hidden" name="factor[incident]" value=incident.clone()/>
                    <label for="factor-name">"Factor"</label>
                    <select id="factor-name" name="factor[factor]">
                        {taxonomy.into_iter().map(|f| view! { <option value=f.name.clone() title=f.description>{f.name.clone()}</option> }).collect_view()}
                    </select>
                    <label for="factor-explanation">"Why it contributed"</label>
                    <input type="text" id="factor-explanation" name="factor[explanation]" placeholder="e.g. the pool limit was removed by the config push"/>
                    <button type="submit" class="button">"Add factor"</button>
                </ActionForm>
            })}
        </section>
    }
}
