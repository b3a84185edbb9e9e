//! Free text: titles, one-line fields and markdown bodies.
use unicode_normalization::UnicodeNormalization;

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_LINE_CHARS: usize = 2_000;
/// A markdown document larger than this is refused (1 MiB).
pub const MAX_MARKDOWN_BYTES: usize = 1024 * 1024;

/// Bidirectional embeddings, overrides and isolates: they let a title show
/// text in an order other than the order it is stored in.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A short, safe rendering of what the user sent, for error messages.
pub(crate) fn printable_excerpt(text: &str) -> String {
    let clean: String = text
        .chars()
        .filter(|c| !c.is_control() && !is_bidi_control(*c))
        .take(40)
        .collect();
    if text.chars().count() > 40 {
        format!("{clean}…")
    } else {
        clean
    }
}

fn check_characters(text: &str, allow_newlines: bool) -> Result<(), String> {
    for c in text.chars() {
        if c == '\0' {
            return Err("contains a NUL character (\\0), which cannot be stored".into());
        }
        if is_bidi_control(c) {
            return Err(format!(
                "contains the bidirectional control character U+{:04X}, which can disguise text",
                c as u32
            ));
        }
        let allowed_whitespace = allow_newlines && matches!(c, '\n' | '\r' | '\t');
        if c.is_control() && !allowed_whitespace {
            return Err(format!("contains the control character U+{:04X}", c as u32));
        }
    }
    Ok(())
}

/// A title: one line, 1 to 200 characters, NFC-normalised and trimmed.
pub fn parse_title(text: &str) -> Result<String, String> {
    if text.len() > MAX_TITLE_CHARS * 4 {
        return Err(format!("is too long: at most {MAX_TITLE_CHARS} characters"));
    }
    check_characters(text, false)?;
    let title: String = text.nfc().collect::<String>().trim().to_string();
    if title.is_empty() {
        return Err("must not be empty".into());
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(format!("is too long: at most {MAX_TITLE_CHARS} characters"));
    }
    Ok(title)
}

/// An optional one-line field (a name, a reason). Blank means absent.
pub fn parse_optional_line(text: Option<&str>) -> Result<Option<String>, String> {
    let Some(text) = text else { return Ok(None) };
    if text.len() > MAX_LINE_CHARS * 4 {
        return Err(format!("is too long: at most {MAX_LINE_CHARS} characters"));
    }
    check_characters(text, true)?;
    let line: String = text.nfc().collect::<String>().trim().to_string();
    if line.chars().count() > MAX_LINE_CHARS {
        return Err(format!("is too long: at most {MAX_LINE_CHARS} characters"));
    }
    Ok((!line.is_empty()).then_some(line))
}

/// A markdown body: at most 1 MiB, no NUL, NFC-normalised. May be empty.
pub fn parse_markdown(text: &str) -> Result<String, String> {
    if text.len() > MAX_MARKDOWN_BYTES {
        return Err(format!(
            "is too long: at most {} KiB of markdown",
            MAX_MARKDOWN_BYTES / 1024
        ));
    }
    if text.contains('\0') {
        return Err("contains a NUL character (\\0), which cannot be stored".into());
    }
    Ok(text.nfc().collect::<String>().trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_trimmed_and_normalised() {
        assert_eq!(parse_title("  Checkout down  ").unwrap(), "Checkout down");
        // "é" as e + combining acute (NFD) becomes the single NFC code point.
        assert_eq!(
            parse_title("Cafe\u{301} outage").unwrap(),
            "Caf\u{e9} outage"
        );
        assert_eq!(
            parse_title("'; DROP TABLE incidents;--").unwrap(),
            "'; DROP TABLE incidents;--"
        );
    }

    #[test]
    fn bad_titles_are_refused_with_a_reason() {
        assert!(parse_title("").unwrap_err().contains("empty"));
        assert!(parse_title("   ").unwrap_err().contains("empty"));
        assert!(
            parse_title(&"x".repeat(100_000))
                .unwrap_err()
                .contains("too long")
        );
        assert!(
            parse_title(&"x".repeat(201))
                .unwrap_err()
                .contains("too long")
        );
        assert!(parse_title("a\0b").unwrap_err().contains("NUL"));
        assert!(
            parse_title("evil\u{202E}txt.exe")
                .unwrap_err()
                .contains("U+202E")
        );
        assert!(parse_title("two\nlines").unwrap_err().contains("control"));
    }

    #[test]
    fn markdown_keeps_newlines_but_not_nul() {
        assert_eq!(
            parse_markdown("# Hi\n\nthere\n\n").unwrap(),
            "# Hi\n\nthere"
        );
        assert!(parse_markdown("a\0").is_err());
        assert!(
            parse_markdown(&"a".repeat(MAX_MARKDOWN_BYTES + 1))
                .unwrap_err()
                .contains("too long")
        );
    }

    #[test]
    fn optional_lines_treat_blank_as_absent() {
        assert_eq!(parse_optional_line(None), Ok(None));
        assert_eq!(parse_optional_line(Some("  ")), Ok(None));
        assert_eq!(parse_optional_line(Some(" Ana ")), Ok(Some("Ana".into())));
        assert!(parse_optional_line(Some("x\u{2067}y")).is_err());
    }
}
