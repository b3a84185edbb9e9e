use leptos::prelude::*;
use leptos_meta::Title;

use super::{AdminError, AdminNav};
use crate::api::{ChangeActionPolicy, SetServiceTeam, get_action_admin};
use crate::components::ActionError;
use crate::model::{ActionAdmin, ServiceTeam};
use crate::page_resource::page_resource;

/// Action items: due days per severity, the completion rule, and which
/// team owns each service.
#[component]
pub fn ActionPolicyPage() -> impl IntoView {
    let policy = ServerAction::<ChangeActionPolicy>::new();
    let team = ServerAction::<SetServiceTeam>::new();
    let admin = page_resource(
        move || (policy.version().get(), team.version().get()),
        |_| get_action_admin(),
    );
    view! {
        <Title text="Action items and teams"/>
        <div class="page narrow">
            <h1>"Action items and teams"</h1>
            <AdminNav current="/admin/actions"/>
            <ActionError error=Signal::derive(move || policy.value().get().and_then(Result::err))/>
            <ActionError error=Signal::derive(move || team.value().get().and_then(Result::err))/>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match admin.await {
                        Ok(a) => view! { <PolicyForm admin=a.clone() action=policy/><TeamTable teams=a.teams action=team/> }.into_any(),
                        Err(error) => view! { <AdminError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn PolicyForm(admin: ActionAdmin, action: ServerAction<ChangeActionPolicy>) -> impl IntoView {
    let p = admin.policy;
    let days = [
        ("sev1_days", "SEV1", p.due_days.sev1),
        ("sev2_days", "SEV2", p.due_days.sev2),
        ("sev3_days", "SEV3", p.due_days.sev3),
        ("sev4_days", "SEV4", p.due_days.sev4),
    ];
    view! {
        <ActionForm action=action attr:class="card form-stack">
            <h2>"Default due dates"</h2>
            <p class="hint">"Days from creation, by the incident's severity. PagerDuty's practice: 15 for SEV1, 30 for SEV2."</p>
            <input type="hidden" name="policy[version]" value=p.version/>
            <div class="field-grid">
                {days.into_iter().map(|(name, label, value)| {
                    let id = format!("policy-{name}");
                    view! {
                        <div class="field">
                            <label for=id.clone()>{label}" (days)"</label>
                            <input type="number" min="1" max="3650" id=id name=format!("policy[{name}]") value=value required/>
                        </div>
                    }
                }).collect_view()}
            </div>
            <div class="field checkbox-field">
                <input id="policy-complete" type="checkbox" name="policy[complete_requires_actions]" value="on" checked=p.complete_requires_actions/>
                <label for="policy-complete">"A postmortem can be marked complete only when all its action items are done or won't do"</label>
            </div>
            <div class="form-actions"><button type="submit" class="button button-primary">"Save"</button></div>
        </ActionForm>
    }
}

#[component]
fn TeamTable(teams: Vec<ServiceTeam>, action: ServerAction<SetServiceTeam>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="teams-title">
            <h2 id="teams-title">"Service owners"</h2>
            <p class="hint">"Each service's owning team, for the action-item figures by team. Leave blank to clear."</p>
            {if teams.is_empty() {
                view! { <p class="empty">"No services yet: they appear once an incident names one."</p> }.into_any()
            } else {
                view! {
                    <ul class="team-list">
                        {teams.into_iter().map(|t| {
                            let id = format!("team-{}", t.service.replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
                            view! {
                                <li>
                                    <ActionForm action=action attr:class="form-row">
                                        <input type="hidden" name="team[service]" value=t.service.clone()/>
                                        <input type="hidden" name="team[version]" value=t.version/>
                                        <label for=id.clone() class="mono">{t.service.clone()}</label>
                                        <input type="text" id=id name="team[team]" value=t.team.unwrap_or_default() maxlength="80"/>
                                        <button type="submit" class="button button-small">"Save"</button>
                                    </ActionForm>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
