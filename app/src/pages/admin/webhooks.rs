use leptos::prelude::*;
use leptos_meta::Title;

use super::{AdminError, AdminNav};
use crate::api::{SaveWebhook, list_webhooks};
use crate::components::ActionError;
use crate::domain::WebhookEvent;
use crate::model::WebhookEndpoint;
use crate::page_resource::page_resource;

/// Outbound webhooks: the endpoints that receive signed events, and a form
/// to add one. Each endpoint's page has its secret and delivery log.
#[component]
pub fn WebhooksPage() -> impl IntoView {
    let save = ServerAction::<SaveWebhook>::new();
    let endpoints = page_resource(move || save.version().get(), |_| list_webhooks());
    view! {
        <Title text="Webhooks"/>
        <div class="page narrow">
            <h1>"Webhooks"</h1>
            <AdminNav current="/admin/webhooks"/>
            <p class="hint">"Firebreak posts signed JSON to these URLs when the events they subscribe to happen, and retries with growing delays until the receiver answers 2xx."</p>
            <ActionError error=Signal::derive(move || save.value().get().and_then(Result::err))/>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match endpoints.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">"No endpoints yet."</p> }.into_any(),
                        Ok(list) => view! { <EndpointTable list/> }.into_any(),
                        Err(error) => view! { <AdminError error/> }.into_any(),
                    }
                })}
            </Suspense>
            <ActionForm action=save attr:class="card form-stack">
                <h2>"Add an endpoint"</h2>
                <EndpointFields endpoint=None/>
                <div class="form-actions"><button type="submit" class="button button-primary">"Add endpoint"</button></div>
            </ActionForm>
        </div>
    }
}

#[component]
fn EndpointTable(list: Vec<WebhookEndpoint>) -> impl IntoView {
    view! {
        <div class="table-scroll"><table class="data-table">
            <thead><tr><th scope="col">"URL"</th><th scope="col">"Events"</th><th scope="col">"State"</th></tr></thead>
            <tbody>
                {list.into_iter().map(|e| view! {
                    <tr>
                        <td><a href=format!("/admin/webhooks/{}", e.id)>{e.url}</a><br/><span class="hint">{e.description}</span></td>
                        <td>{e.events.join(", ")}</td>
                        <td>{if e.enabled { "enabled" } else { "disabled" }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table></div>
    }
}

/// The URL, description, event checkboxes and the enabled switch, named
/// `webhook[…]`; filled from `endpoint` when editing one.
#[component]
pub(super) fn EndpointFields(endpoint: Option<WebhookEndpoint>) -> impl IntoView {
    let prefix = endpoint.as_ref().map_or_else(
        || "new-webhook".to_string(),
        |e| format!("webhook-{}", e.id),
    );
    let subscribed = |event: WebhookEvent| {
        endpoint
            .as_ref()
            .is_none_or(|e| e.events.iter().any(|name| name == event.as_str()))
    };
    let (url, description, enabled) = endpoint.as_ref().map_or_else(
        || (String::new(), String::new(), true),
        |e| (e.url.clone(), e.description.clone(), e.enabled),
    );
    view! {
        <div class="field"><label for=format!("{prefix}-url")>"URL (http or https)"</label><input type="url" id=format!("{prefix}-url") name="webhook[url]" value=url required/></div>
        <div class="field"><label for=format!("{prefix}-description")>"Description"</label><input type="text" id=format!("{prefix}-description") name="webhook[description]" value=description/></div>
        <fieldset class="field">
            <legend>"Events"</legend>
            {WebhookEvent::ALL.into_iter().map(|event| {
                let id = format!("{prefix}-{}", event.slug());
                view! {
                    <div class="checkbox-field">
                        <input id=id.clone() type="checkbox" name=format!("webhook[{}]", event.slug()) value="on" checked=subscribed(event)/>
                        <label for=id>{event.label()}" "<code>{event.as_str()}</code></label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <div class="field checkbox-field">
            <input id=format!("{prefix}-enabled") type="checkbox" name="webhook[enabled]" value="on" checked=enabled/>
            <label for=format!("{prefix}-enabled")>"Enabled"</label>
        </div>
    }
}
