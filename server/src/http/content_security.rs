//! The Content Security Policy. Pages get a fresh nonce per response
//! (leptos_axum generates it; the hydration script carries it), so only
//! Firebreak's own scripts run. Everything else gets the baseline policy.
use axum::http::HeaderValue;
use axum::http::header::CONTENT_SECURITY_POLICY;
use leptos::nonce::use_nonce;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// For responses that are not pages (JSON, assets, redirects).
pub const BASELINE: &str = "default-src 'self'; object-src 'none'; base-uri 'none'; \
    frame-ancestors 'none'; form-action 'self'";

fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// Called in each page render's context: sets the policy for its nonce.
pub fn set_page_policy() {
    let (Some(nonce), Some(options)) = (use_nonce(), use_context::<ResponseOptions>()) else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&page_policy(&nonce)) {
        options.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}
