use leptos::prelude::*;
use leptos_meta::Title;

use super::{AdminError, AdminNav};
use crate::api::{ChangeTaxonomy, list_taxonomy};
use crate::components::ActionError;
use crate::model::Factor;
use crate::page_resource::page_resource;

/// The contributing-factor taxonomy: what incidents can be attributed to.
/// Conditions, never people. Retired factors stay on past incidents.
#[component]
pub fn FactorsPage() -> impl IntoView {
    let change = ServerAction::<ChangeTaxonomy>::new();
    let taxonomy = page_resource(move || change.version().get(), |_| list_taxonomy());
    view! {
        <Title text="Contributing factors"/>
        <div class="page narrow">
            <h1>"Contributing factors"</h1>
            <AdminNav current="/admin/factors"/>
            <p class="hint">"The taxonomy responders pick from. Name conditions (a deploy, a capacity limit), never people."</p>
            <ActionError error=Signal::derive(move || change.value().get().and_then(Result::err))/>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match taxonomy.await {
                        Ok(list) => view! {
                            <ul class="factor-admin">
                                {list.into_iter().map(|f| view! { <FactorRow factor=f change/> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <AdminError error/> }.into_any(),
                    }
                })}
            </Suspense>
            <ActionForm action=change attr:class="card form-stack">
                <h2>"Add a factor"</h2>
                <div class="field"><label for="new-factor-name">"Name"</label><input type="text" id="new-factor-name" name="change[name]" required/></div>
                <div class="field"><label for="new-factor-description">"Description"</label><input type="text" id="new-factor-description" name="change[description]"/></div>
                <div class="form-actions"><button type="submit" class="button button-primary">"Add factor"</button></div>
            </ActionForm>
        </div>
    }
}

#[component]
fn FactorRow(factor: Factor, change: ServerAction<ChangeTaxonomy>) -> impl IntoView {
    let (name_id, description_id, retired_id) = (
        format!("factor-{}-name", factor.id),
        format!("factor-{}-description", factor.id),
        format!("factor-{}-retired", factor.id),
    );
    view! {
        <li class:retired=factor.retired>
            <ActionForm action=change attr:class="factor-row">
                <input type="hidden" name="change[id]" value=factor.id/>
                <input type="hidden" name="change[version]" value=factor.version/>
                <label for=name_id.clone() class="visually-hidden">"Name"</label>
                <input type="text" id=name_id name="change[name]" value=factor.name.clone()/>
                <label for=description_id.clone() class="visually-hidden">"Description"</label>
                <input type="text" id=description_id name="change[description]" value=factor.description.clone()/>
                <span class="checkbox">
                    <input id=retired_id.clone() type="checkbox" name="change[retired]" value="on" checked=factor.retired/>
                    <label for=retired_id>"Retired"</label>
                </span>
                <button type="submit" class="button button-small">"Save"</button>
            </ActionForm>
        </li>
    }
}
