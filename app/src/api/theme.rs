use leptos::prelude::*;

use crate::error::ApiError;

/// Remembers the reader's choice of light, dark or system theme in a cookie.
#[server(prefix = "/api/fn", endpoint = "set_theme")]
pub async fn set_theme(theme: String) -> Result<String, ApiError> {
    let theme = crate::theme::Theme::parse(&theme)
        .ok_or_else(|| ApiError::invalid("theme", "use light, dark or system"))?;
    let options = expect_context::<leptos_axum::ResponseOptions>();
    let cookie = crate::theme::cookie_header(theme);
    let value = axum::http::HeaderValue::from_str(&cookie).map_err(|_| ApiError::Internal)?;
    options.insert_header(axum::http::header::SET_COOKIE, value);
    Ok(theme.as_str().to_string())
}
