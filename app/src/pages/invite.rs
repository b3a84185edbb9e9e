use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::get_invitation;
use crate::components::ErrorPanel;
use crate::domain::MIN_PASSWORD_CHARS;
use crate::page_resource::page_resource;

fn message(code: &str) -> &'static str {
    match code {
        "mismatch" => "The two passwords differ.",
        "new_password" => "The password must be 8 to 256 characters.",
        "invitation" => "This invitation has been used or has expired.",
        _ => "Something went wrong; the details are in the server log.",
    }
}

/// Accepting an invitation: choose a password, then you are signed in.
#[component]
pub fn InvitePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let secret = params.read_untracked().get("secret").unwrap_or_default();
    let error = query.read_untracked().get("error");
    let invitation = page_resource(move || secret.clone(), get_invitation);
    view! {
        <Title text="Accept invitation"/>
        <div class="page narrow auth-page">
            <h1>"Welcome to Firebreak"</h1>
            {error.map(|code| view! { <p class="notice notice-error" role="alert">{message(&code)}</p> })}
            <Suspense fallback=|| view! { <p class="loading">"Checking the invitation…"</p> }>
                {move || Suspend::new(async move {
                    match invitation.await {
                        Ok(user) => view! {
                            <p>{format!("Choose a password for {} ({}).", user.name, user.email)}</p>
                            <form method="post" class="card form-stack">
                                <input type="hidden" name="email" value=user.email.clone() autocomplete="username"/>
                                <div class="field">
                                    <label for="invite-password">"Password " <span class="hint">{format!("(at least {MIN_PASSWORD_CHARS} characters)")}</span></label>
                                    <input id="invite-password" name="password" type="password" autocomplete="new-password" required minlength=MIN_PASSWORD_CHARS.to_string()/>
                                </div>
                                <div class="field">
                                    <label for="invite-confirm">"The same again"</label>
                                    <input id="invite-confirm" name="confirm_password" type="password" autocomplete="new-password" required/>
                                </div>
                                <div class="form-actions">
                                    <button type="submit" class="button button-primary">"Set password and sign in"</button>
                                </div>
                            </form>
                        }.into_any(),
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
