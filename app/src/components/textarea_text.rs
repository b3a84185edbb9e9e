//! Text for a `<textarea>`'s initial content.
//!
//! tachys 0.2.19 renders `<textarea>` children without HTML escaping
//! (`ESCAPE_CHILDREN = false`, as for `<script>`), so stored text holding
//! `</textarea><script>` would end the element early: a stored XSS. Until
//! that is fixed upstream, server rendering escapes the text here. In the
//! browser, hydration keeps the server's text node, and the plain string is
//! what a client-side render needs.
#[cfg(feature = "ssr")]
pub fn textarea_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(not(feature = "ssr"))]
pub fn textarea_text(text: &str) -> String {
    text.to_string()
}
