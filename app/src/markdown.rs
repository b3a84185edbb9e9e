//! The one markdown renderer. The server stores its output (after a second
//! pass through ammonia) and the browser uses it for live previews, so both
//! show the same thing.
//!
//! Raw HTML in the source is escaped to text, never passed through, and link
//! and image URLs outside http, https, mailto and relative paths are dropped.
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// Containers (quotes, lists, items) nested deeper than this are flattened:
/// their content is kept, their markup dropped. Deep nesting adds nothing a
/// reader needs, and HTML sanitizers take quadratic time over it.
pub const MAX_NESTING: usize = 32;

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// True for http, https, mailto, fragment and relative URLs.
pub fn is_safe_url(url: &str) -> bool {
    // Browsers ignore ASCII whitespace and control characters inside a scheme
    // ("jav\tascript:"), so strip them before looking at it.
    let compact: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    let lower = compact.to_ascii_lowercase();
    match lower.find(':') {
        None => true,
        Some(colon) => {
            // A colon after the first '/', '?' or '#' is part of a path, not a scheme.
            let first_delim = lower.find(['/', '?', '#']).unwrap_or(usize::MAX);
            if first_delim < colon {
                return true;
            }
            matches!(&lower[..colon], "http" | "https" | "mailto")
        }
    }
}

fn defuse(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !is_safe_url(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed(""),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if !is_safe_url(&dest_url) => Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::Borrowed(""),
            title,
            id,
        }),
        other => other,
    }
}

fn is_container(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::BlockQuote(_) | Tag::List(_) | Tag::Item | Tag::FootnoteDefinition(_)
    )
}

fn is_container_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item | TagEnd::FootnoteDefinition
    )
}

/// Drops container markup beyond [`MAX_NESTING`], keeping what is inside.
fn limit_nesting<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    let mut depth = 0usize;
    events.filter(move |event| match event {
        Event::Start(tag) if is_container(tag) => {
            depth += 1;
            depth <= MAX_NESTING
        }
        Event::End(tag) if is_container_end(tag) => {
            depth = depth.saturating_sub(1);
            depth < MAX_NESTING
        }
        _ => true,
    })
}

/// Renders markdown to HTML with raw HTML escaped, unsafe URLs removed and
/// nesting bounded.
pub fn render_markdown(source: &str) -> String {
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(
        &mut html,
        limit_nesting(Parser::new_ext(source, options()).map(defuse)),
    );
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_common_markdown() {
        let html = render_markdown("# Title\n\n*em* and `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |");
        assert!(html.contains("<h1>Title</h1>"));
        assert!(html.contains("<em>em</em>"));
        assert!(html.contains("<table>"));
    }

    #[test]
    fn raw_html_is_escaped_not_passed_through() {
        let html =
            render_markdown("<img src=x onerror=alert(1)>\n\ntext <script>alert(1)</script>");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;img"));
    }

    #[test]
    fn dangerous_link_schemes_are_dropped() {
        for md in [
            "[x](javascript:alert(1))",
            "[x](java\tscript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](jav&#x09;ascript:alert(1))",
            "<javascript:alert(1)>",
            "[x](data:text/html,<script>alert(1)</script>)",
            "![i](vbscript:msgbox)",
        ] {
            // The text may mention a scheme; no attribute may carry one.
            let html = render_markdown(md).to_ascii_lowercase();
            for scheme in ["javascript:", "data:", "vbscript:"] {
                assert!(!html.contains(&format!("=\"{scheme}")), "{md} -> {html}");
            }
        }
    }

    #[test]
    fn safe_links_survive() {
        assert!(
            render_markdown("[a](https://example.com/x?y=1)")
                .contains("href=\"https://example.com/x?y=1\"")
        );
        assert!(render_markdown("[a](/incidents/INC-1)").contains("href=\"/incidents/INC-1\""));
        assert!(render_markdown("[a](mailto:oncall@example.com)").contains("mailto:"));
        assert!(is_safe_url("docs/page:1"));
        assert!(!is_safe_url(" java\nscript:alert(1)"));
    }

    #[test]
    fn pathological_inputs_finish() {
        let _ = render_markdown(&"[ (](".repeat(40_000));
        let _ = render_markdown(&"a***".repeat(80_000));
        let nested = render_markdown(&">".repeat(100_000));
        assert_eq!(nested.matches("<blockquote>").count(), MAX_NESTING);
        assert_eq!(nested.matches("</blockquote>").count(), MAX_NESTING);
        let list = render_markdown(
            &(0..100)
                .map(|i| format!("{}- item {i}\n", "  ".repeat(i)))
                .collect::<String>(),
        );
        assert!(list.matches("<ul>").count() <= MAX_NESTING);
        assert!(list.contains("item 99"), "content beyond the limit is kept");
    }
}
