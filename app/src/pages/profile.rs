use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::{CreateApiToken, RevokeApiToken, my_profile};
use crate::components::{ActionError, ErrorPanel};
use crate::domain::MIN_PASSWORD_CHARS;
use crate::format::format_time;
use crate::model::{ApiTokenInfo, Profile};
use crate::page_resource::page_resource;

fn password_message(code: &str) -> &'static str {
    match code {
        "mismatch" => "The two new passwords differ. Nothing was changed.",
        "current_password" => "That is not your current password. Nothing was changed.",
        "new_password" => "The new password must be 8 to 256 characters. Nothing was changed.",
        _ => "Something went wrong; the details are in the server log.",
    }
}

/// Your account: who you are, your password, and your API tokens.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let profile = page_resource(
        move || (create.version().get(), revoke.version().get()),
        |_| my_profile(),
    );
    view! {
        <Title text="Your profile"/>
        <div class="page narrow">
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match profile.await {
                        Ok(p) => view! { <ProfileView profile=p create revoke/> }.into_any(),
                        Err(error) => {
                            crate::http_status::set_http_status(error.status());
                            view! { <ErrorPanel error/> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn ProfileView(
    profile: Profile,
    create: ServerAction<CreateApiToken>,
    revoke: ServerAction<RevokeApiToken>,
) -> impl IntoView {
    let Profile {
        user,
        tokens,
        revealed_secret,
    } = profile;
    view! {
        <h1>{user.name.clone()}</h1>
        <p class="lede">{format!("{} · {}", user.email, user.role.as_str())}" — "{user.role.description()}</p>
        <PasswordForm/>
        <section class="card" aria-labelledby="tokens-title">
            <h2 id="tokens-title">"API tokens"</h2>
            <p class="hint">"Send one as " <code>"Authorization: Bearer <token>"</code> " to /api/v1. It acts as you, with your role."</p>
            <NewTokenNotice revealed=revealed_secret/>
            <ActionError error=Signal::derive(move || create.value().get().and_then(Result::err))/>
            <ActionForm action=create attr:class="inline-form">
                <label for="token-name">"What is it for?"</label>
                <input id="token-name" name="name" type="text" required maxlength="100" placeholder="e.g. alertmanager bridge"/>
                <button type="submit" class="button">"Create token"</button>
            </ActionForm>
            <TokenTable tokens revoke/>
        </section>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let query = use_query_map();
    let error = query.read_untracked().get("error");
    let saved = query.read_untracked().get("saved").is_some();
    view! {
        <section class="card" aria-labelledby="password-title">
            <h2 id="password-title">"Change password"</h2>
            <p class="hint">"Changing it signs you out everywhere else."</p>
            {saved.then(|| view! { <p class="notice" role="status">"Password changed. Other sessions have ended."</p> })}
            {error.map(|code| view! { <p class="notice notice-error" role="alert">{password_message(&code)}</p> })}
            <form method="post" action="/profile/password" class="form-stack">
                <div class="field">
                    <label for="current-password">"Current password"</label>
                    <input id="current-password" name="current_password" type="password" autocomplete="current-password" required/>
                </div>
                <div class="field">
                    <label for="new-password">"New password " <span class="hint">{format!("(at least {MIN_PASSWORD_CHARS} characters)")}</span></label>
                    <input id="new-password" name="new_password" type="password" autocomplete="new-password" required minlength=MIN_PASSWORD_CHARS.to_string()/>
                </div>
                <div class="field">
                    <label for="confirm-password">"New password again"</label>
                    <input id="confirm-password" name="confirm_password" type="password" autocomplete="new-password" required/>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button button-primary">"Change password"</button>
                </div>
            </form>
        </section>
    }
}

/// The secret of a token just created, from the page load after the
/// form's post (see `reveal.rs`). Shown once.
#[component]
fn NewTokenNotice(revealed: Option<String>) -> impl IntoView {
    let secret = move || revealed.clone();
    move || {
        secret().map(|s| {
            view! {
                <div class="notice new-secret" role="status">
                    <p><strong>"Copy your new token now."</strong>" It is not shown again."</p>
                    <p><code class="secret" id="new-token">{s}</code></p>
                </div>
            }
        })
    }
}

#[component]
fn TokenTable(tokens: Vec<ApiTokenInfo>, revoke: ServerAction<RevokeApiToken>) -> impl IntoView {
    if tokens.is_empty() {
        return view! { <p class="empty">"No tokens yet."</p> }.into_any();
    }
    view! {
        <div class="table-scroll"><table class="data-table">
            <thead><tr><th scope="col">"Name"</th><th scope="col">"Token"</th><th scope="col">"Created"</th><th scope="col">"Last used"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
            <tbody>
                {tokens.into_iter().map(|t| view! {
                    <tr class:revoked=t.revoked_at.is_some()>
                        <td>{t.name.clone()}</td>
                        <td><code>{format!("{}…", t.prefix)}</code></td>
                        <td>{format_time(t.created_at)}</td>
                        <td>{t.last_used_at.map(format_time).unwrap_or_else(|| "never".into())}</td>
                        <td>{match t.revoked_at {
                            Some(at) => view! { <span class="hint">{format!("revoked {}", format_time(at))}</span> }.into_any(),
                            None => view! {
                                <ActionForm action=revoke>
                                    <input type="hidden" name="token_id" value=t.id.to_string()/>
                                    <button type="submit" class="button button-quiet">"Revoke"<span class="visually-hidden">{format!(" token {}", t.name)}</span></button>
                                </ActionForm>
                            }.into_any(),
                        }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}
