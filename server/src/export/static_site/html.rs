//! Escaping and the page shell shared by every page of the static export.
//! Every text a person wrote goes through [`text`] or [`attr`]; only the
//! stored, already sanitised markdown HTML is inserted as it is.
use app::domain::{Severity, Status};

/// Bidirectional embeddings, overrides and isolates: shown as a visible
/// `[U+202E]` so they cannot reorder what follows them.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

pub fn visible_bidi(raw: &str) -> std::borrow::Cow<'_, str> {
    if !raw.chars().any(is_bidi_control) {
        return raw.into();
    }
    raw.chars()
        .map(|c| {
            if is_bidi_control(c) {
                format!("[U+{:04X}]", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// Text for an element's content.
pub fn text(raw: &str) -> String {
    html_escape::encode_safe(&visible_bidi(raw)).into_owned()
}

/// Text for a double-quoted attribute value.
pub fn attr(raw: &str) -> String {
    html_escape::encode_double_quoted_attribute(&visible_bidi(raw)).into_owned()
}

/// `SEV2` as a coloured badge with its label, its meaning in the tooltip.
pub fn severity_badge(severity: Severity) -> String {
    format!(
        r#"<span class="sev {}" title="{}">{}</span>"#,
        severity.slug(),
        attr(severity.description()),
        severity.as_str()
    )
}

/// Status as an icon plus its name.
pub fn status_badge(status: Status) -> String {
    format!(
        r#"<span class="status status-{}"><span aria-hidden="true">{}</span> {}</span>"#,
        status.as_str(),
        text(status.icon()),
        text(status.label())
    )
}

/// Stored HTML with its links to incident pages (`href="/incidents/INC-7"`,
/// as the markdown renderer keeps them) pointed at the exported page
/// beside it, so they work from `file://`. Other links stay as they are.
pub fn local_links(stored: &str) -> String {
    const PREFIX: &str = "href=\"/incidents/INC-";
    let mut out = String::with_capacity(stored.len());
    let mut rest = stored;
    while let Some(at) = rest.find(PREFIX) {
        let after = &rest[at + PREFIX.len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        out.push_str(&rest[..at]);
        match after[digits..].strip_prefix('"') {
            Some(tail) if digits > 0 => {
                out.push_str(&format!("href=\"INC-{}.html\"", &after[..digits]));
                rest = tail;
            }
            _ => {
                out.push_str(PREFIX);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The file name of incident `id`'s page: from the number only.
pub fn incident_file(id: i64) -> String {
    format!("INC-{id}.html")
}

/// A whole page. `root` is the relative way back to the export's top
/// (`""` or `"../"`), so links work from `file://`.
pub fn page(title: &str, root: &str, body: &str, footer: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>{title} · Firebreak export</title>
<link rel="stylesheet" href="{root}style.css">
</head>
<body>
<header class="top"><a class="brand" href="{root}index.html">Firebreak</a> <span class="muted">static export</span></header>
<main>
{body}
</main>
<footer>{footer}</footer>
</body>
</html>
"#,
        title = text(title),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_quotes_and_bidi_overrides_come_out_inert() {
        let hostile = "<script>alert(\"x\")</script> it's \u{202E}gpj.exe";
        let escaped = text(hostile);
        assert!(!escaped.contains('<') && !escaped.contains('"') && !escaped.contains('\''));
        assert!(escaped.contains("[U+202E]gpj.exe"), "{escaped}");
        assert!(!escaped.contains('\u{202E}'));
        let attribute = attr(hostile);
        assert!(!attribute.contains('"') && !attribute.contains('\u{202E}'));
        assert_eq!(text("plain & simple"), "plain &amp; simple");
    }

    #[test]
    fn links_to_incidents_point_at_their_exported_pages() {
        assert_eq!(
            local_links(
                r#"<a href="/incidents/INC-12">x</a> <a href="/incidents/INC-3/postmortem">y</a> <a href="https://e.com">z</a>"#
            ),
            r#"<a href="INC-12.html">x</a> <a href="/incidents/INC-3/postmortem">y</a> <a href="https://e.com">z</a>"#
        );
        assert_eq!(local_links("no links"), "no links");
    }

    #[test]
    fn file_names_come_from_the_number() {
        assert_eq!(incident_file(42), "INC-42.html");
    }
}
