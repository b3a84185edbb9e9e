//! Setting the HTTP status of a server-rendered page (404 for a missing
//! incident). In the browser there is no response to set, so it does nothing.
#[cfg(feature = "ssr")]
pub fn set_http_status(code: u16) {
    if let (Some(options), Ok(status)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        axum::http::StatusCode::from_u16(code),
    ) {
        options.set_status(status);
    }
}

#[cfg(not(feature = "ssr"))]
pub fn set_http_status(_code: u16) {}
