use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn message(code: &str) -> &'static str {
    match code {
        "credentials" => "Wrong email or password.",
        "rate" => "Too many attempts. Wait a minute, then try again.",
        _ => "Something went wrong; the details are in the server log.",
    }
}

/// Sign in. A plain form post to `/login` (it sets the session cookie), so
/// it works the same with or without JavaScript.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let read = move |key: &str| query.read_untracked().get(key);
    let next = read("next").unwrap_or_else(|| "/".into());
    let error = read("error");
    if error.is_some() {
        crate::http_status::set_http_status(401);
    }
    let signed_out = read("signed_out").is_some();
    view! {
        <Title text="Sign in"/>
        <div class="page narrow auth-page">
            <h1>"Sign in to Firebreak"</h1>
            {signed_out.then(|| view! { <p class="notice" role="status">"You are signed out."</p> })}
            {error.map(|code| view! { <p class="notice notice-error" role="alert">{message(&code)}</p> })}
            <form method="post" action="/login" class="card form-stack">
                <input type="hidden" name="next" value=next/>
                <div class="field">
                    <label for="login-email">"Email"</label>
                    <input id="login-email" name="email" type="email" autocomplete="username" required autofocus/>
                </div>
                <div class="field">
                    <label for="login-password">"Password"</label>
                    <input id="login-password" name="password" type="password" autocomplete="current-password" required/>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button button-primary">"Sign in"</button>
                </div>
            </form>
            <p class="hint">"No account? Ask an admin for an invitation link."</p>
        </div>
    }
}
