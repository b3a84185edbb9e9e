//! Light, dark or follow the system. Remembered in a cookie so the server
//! renders the right theme on the first paint, with or without JavaScript.
pub const COOKIE_NAME: &str = "firebreak_theme";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
    System,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Light => "light",
            Self::Dark => "dark",
            Self::System => "system",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Light, Self::Dark, Self::System]
            .into_iter()
            .find(|t| t.as_str() == text.trim())
    }

    /// The theme a toggle button switches to.
    pub fn next(self) -> Self {
        match self {
            Self::System => Self::Dark,
            Self::Dark => Self::Light,
            Self::Light => Self::System,
        }
    }
}

pub fn cookie_header(theme: Theme) -> String {
    format!(
        "{COOKIE_NAME}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        theme.as_str()
    )
}

/// Finds the theme in a `Cookie` header value.
pub fn from_cookie_header(header: &str) -> Theme {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .and_then(|(_, value)| Theme::parse(value))
        .unwrap_or(Theme::System)
}

/// The theme when the page first renders: from the request cookie on the
/// server, from the document the server rendered in the browser.
#[cfg(feature = "ssr")]
pub fn initial_theme() -> Theme {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(axum::http::header::COOKIE)?
                .to_str()
                .ok()
                .map(from_cookie_header)
        })
        .unwrap_or(Theme::System)
}

#[cfg(not(feature = "ssr"))]
pub fn initial_theme() -> Theme {
    leptos::prelude::document()
        .document_element()
        .and_then(|el| el.get_attribute("data-theme"))
        .and_then(|t| Theme::parse(&t))
        .unwrap_or(Theme::System)
}

/// Switches the live document to a theme (browser only).
pub fn apply_to_document(theme: Theme) {
    if let Some(el) = leptos::prelude::document().document_element() {
        let _ = el.set_attribute("data-theme", theme.as_str());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_theme_cookie_among_others() {
        assert_eq!(
            from_cookie_header("a=b; firebreak_theme=dark; c=d"),
            Theme::Dark
        );
        assert_eq!(from_cookie_header("firebreak_theme=evil"), Theme::System);
        assert_eq!(from_cookie_header(""), Theme::System);
        assert_eq!(Theme::System.next().next().next(), Theme::System);
    }
}
