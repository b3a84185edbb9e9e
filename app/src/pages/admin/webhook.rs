use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::webhooks::EndpointFields;
use super::{AdminError, AdminNav};
use crate::api::{RetryWebhookDelivery, SaveWebhook, TestWebhook, get_webhook};
use crate::components::ActionError;
use crate::format::format_time;
use crate::model::{WebhookDelivery, WebhookDetail};
use crate::page_resource::page_resource;

/// One endpoint: its settings (saved with the version read), its signing
/// secret, a test event, and the log of its newest deliveries.
#[component]
pub fn WebhookPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let save = ServerAction::<SaveWebhook>::new();
    let test = ServerAction::<TestWebhook>::new();
    let retry = ServerAction::<RetryWebhookDelivery>::new();
    let detail = page_resource(
        move || {
            (
                id(),
                save.version().get(),
                test.version().get(),
                retry.version().get(),
            )
        },
        |(id, ..)| get_webhook(id),
    );
    view! {
        <Title text="Webhook"/>
        <div class="page narrow">
            <h1>"Webhook"</h1>
            <AdminNav current="/admin/webhooks"/>
            <p><a href="/admin/webhooks">"All webhooks"</a></p>
            <ActionError error=Signal::derive(move || save.value().get().and_then(Result::err))/>
            <ActionError error=Signal::derive(move || test.value().get().and_then(Result::err))/>
            <ActionError error=Signal::derive(move || retry.value().get().and_then(Result::err))/>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => view! { <Endpoint detail=d save test retry/> }.into_any(),
                        Err(error) => view! { <AdminError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Endpoint(
    detail: WebhookDetail,
    save: ServerAction<SaveWebhook>,
    test: ServerAction<TestWebhook>,
    retry: ServerAction<RetryWebhookDelivery>,
) -> impl IntoView {
    let endpoint = detail.endpoint;
    let (id, secret) = (endpoint.id, endpoint.secret.clone());
    view! {
        <ActionForm action=save attr:class="card form-stack">
            <h2>{endpoint.url.clone()}</h2>
            <input type="hidden" name="webhook[id]" value=id/>
            <input type="hidden" name="webhook[version]" value=endpoint.version/>
            <EndpointFields endpoint=Some(endpoint.clone())/>
            <div class="form-actions"><button type="submit" class="button button-primary">"Save endpoint"</button></div>
        </ActionForm>
        <section class="card">
            <h2>"Signing secret"</h2>
            <p class="hint">"Each request carries " <code>"X-Firebreak-Signature: t=<unix time>,v1=<hex>"</code> ": HMAC-SHA256 with this secret over " <code>"<t>.<body>"</code> "."</p>
            <details><summary>"Show the secret"</summary><code class="secret">{secret}</code></details>
        </section>
        <ActionForm action=test attr:class="card">
            <input type="hidden" name="test[id]" value=id/>
            <button type="submit" class="button">"Send a test event"</button>
        </ActionForm>
        <section class="card">
            <h2>"Deliveries"</h2>
            <p class="hint">"The newest 100."</p>
            <DeliveryLog deliveries=detail.deliveries endpoint=id retry/>
        </section>
    }
}

#[component]
fn DeliveryLog(
    deliveries: Vec<WebhookDelivery>,
    endpoint: i64,
    retry: ServerAction<RetryWebhookDelivery>,
) -> impl IntoView {
    if deliveries.is_empty() {
        return view! { <p class="empty">"Nothing sent yet."</p> }.into_any();
    }
    view! {
        <div class="table-scroll"><table class="data-table delivery-log">
            <thead><tr>
                <th scope="col">"Event"</th><th scope="col">"Created"</th><th scope="col">"Status"</th>
                <th scope="col">"Attempts"</th><th scope="col">"Last answer"</th><th scope="col">"Next attempt"</th><th scope="col"><span class="visually-hidden">"Retry"</span></th>
            </tr></thead>
            <tbody>
                {deliveries.into_iter().map(|d| {
                    let failed = d.status == "failed";
                    view! {
                        <tr>
                            <td><code>{d.event}</code></td>
                            <td>{format_time(d.created_at)}</td>
                            <td>{d.status}</td>
                            <td>{d.attempts}</td>
                            <td>{d.last_status_code.map(|c| c.to_string())}" "{d.last_error}</td>
                            <td>{d.next_attempt_at.map(format_time)}</td>
                            <td>{failed.then(|| view! {
                                <ActionForm action=retry attr:class="inline-form">
                                    <input type="hidden" name="retry[endpoint]" value=endpoint/>
                                    <input type="hidden" name="retry[delivery]" value=d.id/>
                                    <button type="submit" class="button button-small">"Retry now"</button>
                                </ActionForm>
                            })}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}
