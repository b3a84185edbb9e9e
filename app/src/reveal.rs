//! Show-once secrets (a new API token, an invitation link) for browsers
//! without JavaScript. A plain form post cannot return a value to the page,
//! so the server function puts the secret in a short-lived HttpOnly cookie,
//! and the page that renders next takes it and clears the cookie. With
//! JavaScript the action's return value carries the secret and no cookie is set.
use axum::http::header::{ACCEPT, COOKIE, SET_COOKIE};
use axum::http::{HeaderValue, request::Parts};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

use crate::port::SecureCookies;

const COOKIE_NAME: &str = "firebreak_reveal";
const MAX_AGE_SECS: u32 = 120;

fn set_cookie(value: &str, max_age: u32) {
    let secure = use_context::<SecureCookies>().is_some_and(|s| s.0);
    let cookie = format!(
        "{COOKIE_NAME}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{}",
        if secure { "; Secure" } else { "" }
    );
    if let (Some(options), Ok(header)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(&cookie),
    ) {
        options.append_header(SET_COOKIE, header);
    }
}

/// A plain HTML form post (no JavaScript) asks for HTML back.
fn is_plain_form_post() -> bool {
    use_context::<Parts>()
        .and_then(|p| p.headers.get(ACCEPT)?.to_str().ok().map(str::to_owned))
        .is_some_and(|accept| accept.contains("text/html"))
}

/// After a plain form post, keeps `secret` for the next page and sends the
/// browser to `page`. `kind` keeps one page from showing another's secret.
pub fn for_plain_form_post(kind: &str, secret: &str, page: &str) {
    if is_plain_form_post() {
        set_cookie(&format!("{kind}:{secret}"), MAX_AGE_SECS);
        leptos_axum::redirect(page);
    }
}

/// Takes the secret of `kind` from the request, clearing the cookie.
pub fn take(kind: &str) -> Option<String> {
    let parts = use_context::<Parts>()?;
    let header = parts.headers.get(COOKIE)?.to_str().ok()?;
    let value = header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)?
        .1;
    let secret = value.strip_prefix(kind)?.strip_prefix(':')?.to_string();
    set_cookie("", 0);
    Some(secret)
}
