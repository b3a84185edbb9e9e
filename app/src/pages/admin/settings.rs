use leptos::prelude::*;
use leptos_meta::Title;

use super::{AdminError, AdminNav};
use crate::api::{ChangeSettings, get_settings};
use crate::components::ActionError;
use crate::page_resource::page_resource;

/// Instance settings.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let change = ServerAction::<ChangeSettings>::new();
    let settings = page_resource(move || change.version().get(), |_| get_settings());
    view! {
        <Title text="Settings"/>
        <div class="page narrow">
            <h1>"Settings"</h1>
            <AdminNav current="/admin/settings"/>
            <ActionError error=Signal::derive(move || change.value().get().and_then(Result::err))/>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(s) => view! {
                            <ActionForm action=change attr:class="card form-stack">
                                <input type="hidden" name="version" value=s.version.to_string()/>
                                <div class="field checkbox-field">
                                    <input id="anonymous-read" name="anonymous_read" type="checkbox" value="on" checked=s.anonymous_read/>
                                    <label for="anonymous-read">"Anyone who can reach this server may read incidents without signing in"</label>
                                </div>
                                <p class="hint">"Off by default. Writing always needs an account."</p>
                                <div class="form-actions">
                                    <button type="submit" class="button button-primary">"Save settings"</button>
                                </div>
                            </ActionForm>
                        }.into_any(),
                        Err(error) => view! { <AdminError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
