use leptos::prelude::*;
use leptos_meta::Title;

use super::{AdminError, AdminNav};
use crate::api::{ChangeIntegration, CreateIntegration, get_integrations};
use crate::components::ActionError;
use crate::domain::Severity;
use crate::format::format_time;
use crate::model::{IntegrationKind, IntegrationView};
use crate::page_resource::page_resource;

const ALERTMANAGER_SNIPPET: &str = "receivers:
  - name: firebreak
    webhook_configs:
      - url: https://firebreak.example.com/api/v1/webhooks/alertmanager
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: fbw_…   # the token shown once here";

/// Inbound webhooks: Alertmanager and PagerDuty integrations that open and
/// update incidents.
#[component]
pub fn IntegrationsPage() -> impl IntoView {
    let create = ServerAction::<CreateIntegration>::new();
    let change = ServerAction::<ChangeIntegration>::new();
    let admin = page_resource(
        move || (create.version().get(), change.version().get()),
        |_| get_integrations(),
    );
    view! {
        <Title text="Integrations"/>
        <div class="page">
            <h1>"Integrations"</h1>
            <AdminNav current="/admin/integrations"/>
            <ActionError error=Signal::derive(move || create.value().get().and_then(Result::err))/>
            <ActionError error=Signal::derive(move || change.value().get().and_then(Result::err))/>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match admin.await {
                        Ok(a) => view! {
                            <NewToken revealed=a.revealed_token/>
                            <IntegrationTable integrations=a.integrations change/>
                            <CreateForm create/>
                        }.into_any(),
                        Err(error) => view! { <AdminError error/> }.into_any(),
                    }
                })}
            </Suspense>
            <HowTo/>
        </div>
    }
}

#[component]
fn NewToken(revealed: Option<String>) -> impl IntoView {
    // Shown from the page load after the form's post (see `reveal.rs`).
    let token = move || revealed.clone();
    move || {
        token().map(|t| view! {
            <div class="notice new-secret" role="status">
                <p><strong>"Alertmanager token, shown once:"</strong></p>
                <p><code id="webhook-token" class="secret">{t}</code></p>
                <p class="hint">"Put it in the receiver's http_config (below). Firebreak keeps only its hash."</p>
            </div>
        })
    }
}

#[component]
fn IntegrationTable(
    integrations: Vec<IntegrationView>,
    change: ServerAction<ChangeIntegration>,
) -> impl IntoView {
    if integrations.is_empty() {
        return view! { <p class="empty">"No integrations yet."</p> }.into_any();
    }
    view! {
        <div class="table-scroll"><table class="data-table">
            <thead>
                <tr>
                    <th scope="col">"Name"</th><th scope="col">"Kind"</th><th scope="col">"Secret"</th>
                    <th scope="col">"Defaults"</th><th scope="col">"Last event"</th>
                    <th scope="col">"Events"</th><th scope="col">"State"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                {integrations.into_iter().map(|i| view! { <IntegrationRow integration=i change/> }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}

#[component]
fn IntegrationRow(
    integration: IntegrationView,
    change: ServerAction<ChangeIntegration>,
) -> impl IntoView {
    let i = integration;
    let button = move |action: &'static str, label: &'static str| {
        view! {
            <ActionForm action=change attr:class="inline-form">
                <input type="hidden" name="change[id]" value=i.id.to_string()/>
                <input type="hidden" name="change[version]" value=i.version.to_string()/>
                <input type="hidden" name="change[action]" value=action/>
                <button type="submit" class="button">{label}</button>
            </ActionForm>
        }
    };
    let toggle = if i.enabled {
        button("disable", "Disable")
    } else {
        button("enable", "Enable")
    };
    let rotate = (i.kind == IntegrationKind::Alertmanager).then(|| button("rotate", "New token"));
    let defaults = match &i.default_service {
        Some(service) => format!("{}, {service}", i.default_severity.as_str()),
        None => i.default_severity.as_str().to_string(),
    };
    view! {
        <tr class:revoked=!i.enabled>
            <td>{i.name.clone()}</td>
            <td>{i.kind.label()}</td>
            <td><code>{format!("…{}", i.secret_hint)}</code></td>
            <td>{defaults}</td>
            <td>{i.last_event_at.map(format_time).unwrap_or_else(|| "never".into())}</td>
            <td>{i.events}</td>
            <td>{if i.enabled { "enabled" } else { "disabled" }}</td>
            <td class="row-actions">{toggle}{rotate}</td>
        </tr>
    }
}

#[component]
fn CreateForm(create: ServerAction<CreateIntegration>) -> impl IntoView {
    view! {
        <ActionForm action=create attr:class="card form-stack">
            <h2>"New integration"</h2>
            <div class="field">
                <label for="integration-kind">"Kind"</label>
                <select id="integration-kind" name="integration[kind]">
                    {IntegrationKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field"><label for="integration-name">"Name"</label><input type="text" id="integration-name" name="integration[name]" required maxlength="200"/></div>
            <div class="field">
                <label for="integration-severity">"Severity when the alert says none"</label>
                <select id="integration-severity" name="integration[default_severity]">
                    {Severity::ALL.into_iter().map(|s| view! { <option value=s.as_str() selected=s == Severity::Sev3>{s.as_str()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field"><label for="integration-service">"Service when the alert names none (optional)"</label><input type="text" id="integration-service" name="integration[default_service]"/></div>
            <div class="field">
                <label for="integration-secret">"PagerDuty signing secret (PagerDuty only)"</label>
                <input type="password" id="integration-secret" name="integration[secret]" autocomplete="off"/>
                <p class="hint">"Alertmanager integrations get a token made here, shown once."</p>
            </div>
            <div class="form-actions"><button type="submit" class="button button-primary">"Add integration"</button></div>
        </ActionForm>
    }
}

#[component]
fn HowTo() -> impl IntoView {
    view! {
        <section class="card">
            <h2>"Setting up the sender"</h2>
            <p>"Alertmanager posts to "<code>{IntegrationKind::Alertmanager.webhook_path()}</code>
               " on this server's address, with the token as a bearer token:"</p>
            <pre>{ALERTMANAGER_SNIPPET}</pre>
            <p>"In PagerDuty, add a generic webhook (v3) with the URL ending in "
               <code>{IntegrationKind::Pagerduty.webhook_path()}</code>
               " and the incident events; paste its signing secret here."</p>
        </section>
    }
}
