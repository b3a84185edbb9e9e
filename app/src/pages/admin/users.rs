use leptos::prelude::*;
use leptos_meta::Title;

use super::{AdminError, AdminNav};
use crate::api::{ChangeUser, InviteUser, list_users};
use crate::components::ActionError;
use crate::domain::Role;
use crate::format::format_time;
use crate::model::UserSummary;
use crate::page_resource::page_resource;

/// Everyone with an account: invite, change roles, disable.
#[component]
pub fn UsersPage() -> impl IntoView {
    let invite = ServerAction::<InviteUser>::new();
    let change = ServerAction::<ChangeUser>::new();
    let users = page_resource(
        move || (invite.version().get(), change.version().get()),
        |_| list_users(),
    );
    view! {
        <Title text="Users"/>
        <div class="page">
            <h1>"Users"</h1>
            <AdminNav current="/admin/users"/>
            <Suspense fallback=|| view! { <p class="loading">"Loading users…"</p> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Ok((list, revealed)) => view! {
                            <InviteForm invite revealed/>
                            <ActionError error=Signal::derive(move || change.value().get().and_then(Result::err))/>
                            <UserTable users=list change/>
                        }.into_any(),
                        Err(error) => view! { <AdminError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

fn role_options(selected: Role) -> impl IntoView {
    Role::ALL
        .into_iter()
        .map(|r| view! { <option value=r.as_str() selected=r == selected>{r.as_str()}</option> })
        .collect_view()
}

#[component]
fn InviteForm(invite: ServerAction<InviteUser>, revealed: Option<String>) -> impl IntoView {
    // Shown from the page load after the form's post (see `reveal.rs`).
    let link = move || revealed.clone();
    view! {
        <section class="card" aria-labelledby="invite-title">
            <h2 id="invite-title">"Invite someone"</h2>
            <p class="hint">"Firebreak sends no email: send the one-time link yourself. It works for 7 days."</p>
            {move || link().map(|href| view! {
                <div class="notice new-secret" role="status">
                    <p><strong>"Invitation link, shown once:"</strong></p>
                    <p><a href=href.clone() id="invite-link" class="secret">{href.clone()}</a></p>
                </div>
            })}
            <ActionError error=Signal::derive(move || invite.value().get().and_then(Result::err))/>
            <ActionForm action=invite attr:class="form-grid">
                <div class="field">
                    <label for="invite-email">"Email"</label>
                    <input id="invite-email" name="form[email]" type="email" required/>
                </div>
                <div class="field">
                    <label for="invite-name">"Name"</label>
                    <input id="invite-name" name="form[name]" type="text" required maxlength="100"/>
                </div>
                <div class="field">
                    <label for="invite-role">"Role"</label>
                    <select id="invite-role" name="form[role]">{role_options(Role::Responder)}</select>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button button-primary">"Create invitation"</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn UserTable(users: Vec<UserSummary>, change: ServerAction<ChangeUser>) -> impl IntoView {
    view! {
        <div class="table-scroll"><table class="data-table">
            <thead>
                <tr>
                    <th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col" class="hide-narrow">"Last sign-in"</th>
                    <th scope="col">"Role and access"</th>
                </tr>
            </thead>
            <tbody>
                {users.into_iter().map(|u| view! { <UserRow user=u change/> }).collect_view()}
            </tbody>
        </table></div>
    }
}

#[component]
fn UserRow(user: UserSummary, change: ServerAction<ChangeUser>) -> impl IntoView {
    let state = if user.disabled {
        "disabled"
    } else if user.invite_pending {
        "invited"
    } else {
        "active"
    };
    let id = user.id;
    view! {
        <tr class:revoked=user.disabled>
            <td>{user.name.clone()}<span class="hint">{format!(" ({state})")}</span></td>
            <td>{user.email.clone()}</td>
            <td class="hide-narrow">{user.last_login_at.map(format_time).unwrap_or_else(|| "never".into())}</td>
            <td>
                <ActionForm action=change attr:class="inline-form">
                    <input type="hidden" name="user_id" value=id.to_string()/>
                    <input type="hidden" name="form[version]" value=user.version.to_string()/>
                    <label for=format!("role-{id}") class="visually-hidden">{format!("Role of {}", user.name)}</label>
                    <select id=format!("role-{id}") name="form[role]">{role_options(user.role)}</select>
                    <label for=format!("access-{id}") class="visually-hidden">{format!("Access of {}", user.name)}</label>
                    <select id=format!("access-{id}") name="form[disabled]">
                        <option value="false" selected=!user.disabled>"can sign in"</option>
                        <option value="true" selected=user.disabled>"disabled"</option>
                    </select>
                    <button type="submit" class="button">"Save"<span class="visually-hidden">{format!(" {}", user.name)}</span></button>
                </ActionForm>
            </td>
        </tr>
    }
}
