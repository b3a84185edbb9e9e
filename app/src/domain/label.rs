//! Labels: service names and tags.

pub const MAX_LABELS: usize = 20;
const MAX_LABEL_CHARS: usize = 64;

/// Parses a list of labels: lower-cased, spaces become dashes, duplicates
/// dropped, order kept. Allowed characters are letters, digits, `-`, `_`,
/// `.` and `/`, so a label never collides with the `field:value` syntax of
/// search.
pub fn parse_labels<S: AsRef<str>>(items: &[S]) -> Result<Vec<String>, String> {
    let mut labels: Vec<String> = Vec::new();
    for raw in items {
        let label = raw
            .as_ref()
            .trim()
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("-");
        if label.is_empty() {
            continue;
        }
        if label.chars().count() > MAX_LABEL_CHARS {
            return Err(format!(
                "'{}…' is too long: at most {MAX_LABEL_CHARS} characters",
                label.chars().take(20).collect::<String>()
            ));
        }
        if let Some(bad) = label
            .chars()
            .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/')))
        {
            return Err(format!(
                "'{}' contains '{}': use letters, digits, '-', '_', '.' or '/'",
                super::text::printable_excerpt(&label),
                bad.escape_default()
            ));
        }
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    if labels.len() > MAX_LABELS {
        return Err(format!(
            "has {} entries: at most {MAX_LABELS}",
            labels.len()
        ));
    }
    Ok(labels)
}

/// Splits a comma-separated form field into items.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_normalised_and_deduplicated() {
        assert_eq!(
            parse_labels(&["Checkout API", "checkout-api", " dns "]).unwrap(),
            vec!["checkout-api", "dns"]
        );
        assert_eq!(parse_labels::<&str>(&[]).unwrap(), Vec::<String>::new());
        assert_eq!(split_list("a, b,,c "), vec!["a", "b", "c"]);
    }

    #[test]
    fn labels_refuse_syntax_characters() {
        assert!(parse_labels(&["service:x"]).unwrap_err().contains("':'"));
        assert!(parse_labels(&["a\0"]).is_err());
        assert!(
            parse_labels(&["x".repeat(65)])
                .unwrap_err()
                .contains("too long")
        );
        let many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
        assert!(parse_labels(&many).unwrap_err().contains("at most 20"));
    }
}
