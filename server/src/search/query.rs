//! Reading what people type into the search box: field filters are taken
//! out, the rest is free text for tantivy's lenient parser. Hostile input is
//! defused here: length capped, control characters dropped, deep nesting
//! flattened.
use app::domain::{Severity, Status};
use chrono::{NaiveDate, TimeZone, Utc};

/// Longer queries are refused with a message; nobody types this much.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Deeper parenthesis nesting is flattened before parsing.
const MAX_NESTING: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    Severity(Severity),
    /// Several statuses, any of which matches (`status:open`).
    Status(Vec<Status>),
    Service(String),
    Tag(String),
    /// A contributing factor; `_` stands for a space (`factor:config_change`).
    Factor(String),
    /// Seconds since the epoch, inclusive.
    After(i64),
    /// Seconds since the epoch, exclusive.
    Before(i64),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Free text for the query parser (words, "phrases", -exclusions).
    pub text: String,
    pub filters: Vec<Filter>,
    /// Word beginnings (`chec*`), each of which must match.
    pub prefixes: Vec<String>,
    /// Problems with filters, reported to the user but not fatal.
    pub notes: Vec<String>,
}

impl ParsedQuery {
    /// Plain words of the free text, for the typo-tolerant fallback.
    pub fn words(&self) -> Vec<String> {
        self.text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3)
            .map(str::to_lowercase)
            .collect()
    }
}

fn day(text: &str) -> Option<i64> {
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(
        Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0)?)
            .timestamp(),
    )
}

fn filter(key: &str, value: &str) -> Option<Result<Filter, String>> {
    let value = value.trim_matches('"');
    let bad = |what: &str| Some(Err(format!("{key}:{value} is not {what}")));
    Some(match key.to_ascii_lowercase().as_str() {
        "severity" | "sev" => match Severity::parse(value) {
            Ok(s) => Ok(Filter::Severity(s)),
            Err(_) => return bad("a severity (sev1 to sev4)"),
        },
        "status" if value.eq_ignore_ascii_case("open") => Ok(Filter::Status(
            Status::ALL.into_iter().filter(|s| s.is_active()).collect(),
        )),
        "status" => match Status::parse(value) {
            Ok(s) => Ok(Filter::Status(vec![s])),
            Err(_) => return bad("a status"),
        },
        "service" => Ok(Filter::Service(value.to_string())),
        "tag" => Ok(Filter::Tag(value.to_string())),
        "factor" => Ok(Filter::Factor(value.replace('_', " ").to_lowercase())),
        "after" => match day(value) {
            Some(t) => Ok(Filter::After(t)),
            None => return bad("a date like 2025-01-31"),
        },
        "before" => match day(value) {
            Some(t) => Ok(Filter::Before(t)),
            None => return bad("a date like 2025-01-31"),
        },
        _ => return None,
    })
}

/// `chec*`: words starting with "chec" (at least two letters before the star).
fn prefix_of(token: &str) -> Option<String> {
    let stem = token.strip_suffix('*')?;
    (stem.chars().count() >= 2 && stem.chars().all(char::is_alphanumeric))
        .then(|| stem.to_lowercase())
}

fn nesting(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for c in text.chars() {
        match c {
            '(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Splits the query into filters and free text. `Err` only for a query too
/// long to be a person's.
pub fn parse(raw: &str) -> Result<ParsedQuery, String> {
    if raw.chars().count() > MAX_QUERY_CHARS {
        return Err(format!("q must be at most {MAX_QUERY_CHARS} characters"));
    }
    let cleaned: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut parsed = ParsedQuery::default();
    let mut words = Vec::new();
    for token in cleaned.split_whitespace() {
        let hit = token
            .split_once(':')
            .filter(|(k, v)| !k.is_empty() && !v.is_empty())
            .and_then(|(k, v)| filter(k, v));
        match hit {
            Some(Ok(f)) => parsed.filters.push(f),
            Some(Err(note)) => parsed.notes.push(note),
            None => match prefix_of(token) {
                Some(prefix) => parsed.prefixes.push(prefix),
                None => words.push(token),
            },
        }
    }
    let mut text = words.join(" ");
    if nesting(&text) > MAX_NESTING {
        text = text.replace(['(', ')'], " ");
    }
    parsed.text = text.trim().to_string();
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_come_out_and_words_stay() {
        let p = parse("dns timeout service:checkout severity:sev1 tag:network status:resolved after:2025-01-01 before:2026-01-01").unwrap();
        assert_eq!(p.text, "dns timeout");
        assert_eq!(p.filters.len(), 6);
        assert!(p.filters.contains(&Filter::Severity(Severity::Sev1)));
        assert!(p.filters.contains(&Filter::Service("checkout".into())));
        let f = parse("factor:Config_Change dns").unwrap();
        assert_eq!(f.filters, vec![Filter::Factor("config change".into())]);
        assert!(p.filters.contains(&Filter::After(1_735_689_600)));
        assert!(p.notes.is_empty());
    }

    #[test]
    fn bad_filters_are_noted_not_fatal() {
        let p = parse("severity:sev9 after:yesterday disk").unwrap();
        assert_eq!(p.text, "disk");
        assert_eq!(p.notes.len(), 2);
    }

    #[test]
    fn open_means_every_active_status() {
        let p = parse("status:open").unwrap();
        assert!(matches!(&p.filters[0], Filter::Status(s) if s.len() == 3));
    }

    #[test]
    fn hostile_text_is_defused() {
        assert!(parse(&"a".repeat(16 * 1024)).is_err());
        let deep = format!("{}x{}", "(".repeat(30), ")".repeat(30));
        assert_eq!(parse(&deep).unwrap().text, "x");
        assert_eq!(parse("a\u{0}b\u{7}c").unwrap().text, "a b c");
        assert_eq!(parse("   ").unwrap().text, "");
        // Unknown keys stay text, for the parser's own leniency.
        assert_eq!(parse("a:(^").unwrap().text, "a:(^");
        let prefixed = parse("disk Ful*").unwrap();
        assert_eq!(
            (prefixed.text.as_str(), prefixed.prefixes.as_slice()),
            ("disk", &["ful".to_string()][..])
        );
        assert_eq!(parse("- *").unwrap().text, "- *");
    }
}
