//! One incident as the export's list and its client-side search see it:
//! the list's columns plus the words the search looks in.
use std::collections::HashSet;

use app::format::{format_duration, format_time};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::html::visible_bidi;
use super::reader::ExportedIncident;

/// Bytes of words for the whole search index: about what a browser loads
/// and scans as you type (measured: 41 MB of rows, 20,000 incidents, 20-65
/// ms a query). Each incident gets its share, within the bounds below.
const TOTAL_WORD_BYTES: usize = 48_000_000;
const MAX_WORD_BYTES: usize = 4_096;
const MIN_WORD_BYTES: usize = 512;
/// Longer "words" are hashes, URLs or base64: nobody searches for them.
const MAX_WORD_CHARS: usize = 32;
/// Words too common to help a search; they would only eat the budget.
/// `search.js` drops them from queries too (they ship in the index).
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has",
    "have", "in", "is", "it", "its", "not", "of", "on", "or", "our", "that", "the", "their",
    "there", "this", "to", "was", "we", "were", "which", "with",
];

/// Short keys keep `search-index.js` small; `search.js` reads them.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The incident number.
    #[serde(rename = "i")]
    pub id: i64,
    #[serde(rename = "t")]
    pub title: String,
    /// `SEV1` … `SEV4`.
    #[serde(rename = "v")]
    pub severity: &'static str,
    /// `investigating`, `resolved`, …
    #[serde(rename = "s")]
    pub status: &'static str,
    #[serde(rename = "c")]
    pub services: Vec<String>,
    #[serde(rename = "g")]
    pub tags: Vec<String>,
    /// Impact start, or the declaration when the start is unknown.
    #[serde(rename = "d")]
    pub started: String,
    /// The impact's length, `ongoing`, or `—`.
    #[serde(rename = "m")]
    pub impact: String,
    /// Distinct lower-case words of the summary, factors and postmortem,
    /// in order of first appearance, at most [`word_budget`] bytes.
    #[serde(rename = "w")]
    pub words: String,
    /// For ordering only: newest first.
    #[serde(skip)]
    pub sort_at: Option<DateTime<Utc>>,
}

impl Row {
    /// `budget`: the most bytes of words to keep (see [`word_budget`]).
    pub fn new(e: &ExportedIncident, budget: usize) -> Self {
        let i = &e.incident;
        let sort_at = i.milestones.started_at.or(i.milestones.declared_at);
        let impact = match i.impact_duration() {
            Some(d) => format_duration(d),
            None if i.status.is_active() => "ongoing".into(),
            None => "—".into(),
        };
        let mut texts: Vec<&str> = vec![&i.summary];
        for f in &e.factors {
            texts.push(&f.factor);
            texts.push(&f.explanation);
        }
        if let Some(p) = &e.postmortem {
            texts.extend(p.sections.iter().map(|s| s.body.as_str()));
        }
        Row {
            id: i.id,
            title: visible_bidi(&i.title).into_owned(),
            severity: i.severity.as_str(),
            status: i.status.as_str(),
            services: i
                .services
                .iter()
                .map(|s| visible_bidi(s).into_owned())
                .collect(),
            tags: i
                .tags
                .iter()
                .map(|t| visible_bidi(t).into_owned())
                .collect(),
            started: sort_at.map(format_time).unwrap_or_default(),
            impact,
            words: distinct_words(&texts, budget),
            sort_at,
        }
    }
}

/// Bytes of words per incident for an export of `incidents`: 4 KB for a
/// registry of up to about 12,000, shrinking to 512 bytes at 100,000, so
/// `search-index.js` stays loadable. The first words (summary, factors,
/// then the postmortem) are the ones kept.
pub fn word_budget(incidents: usize) -> usize {
    (TOTAL_WORD_BYTES / incidents.max(1)).clamp(MIN_WORD_BYTES, MAX_WORD_BYTES)
}

/// Newest first (by impact start, else declaration), then by number.
pub fn newest_first(rows: &mut [Row]) {
    rows.sort_by(|a, b| b.sort_at.cmp(&a.sort_at).then(b.id.cmp(&a.id)));
}

/// The distinct words of `texts`, lower-cased, space-separated, in order of
/// first appearance, without stop words, at most `budget` bytes.
pub fn distinct_words(texts: &[&str], budget: usize) -> String {
    let mut seen = HashSet::new();
    let mut out = String::new();
    let words = texts
        .iter()
        .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty() && w.chars().count() <= MAX_WORD_CHARS)
        .map(str::to_lowercase)
        // One byte: a lone ASCII letter or digit; a lone 'é' or '漢' stays.
        .filter(|w| w.len() > 1 && !STOP_WORDS.contains(&w.as_str()));
    for word in words {
        if seen.contains(&word) {
            continue;
        }
        if out.len() + word.len() + 1 > budget {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word);
        seen.insert(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_distinct_lower_case_and_without_stop_words() {
        let words = distinct_words(
            &[
                "The DNS resolver failed; the resolver",
                "**Config** change_x",
            ],
            100,
        );
        assert_eq!(words, "dns resolver failed config change");
        assert_eq!(distinct_words(&["a 漢 b é"], 100), "漢 é");
    }

    #[test]
    fn the_budget_shrinks_with_the_registry_within_bounds() {
        assert_eq!(word_budget(0), 4_096);
        assert_eq!(word_budget(242), 4_096);
        assert_eq!(word_budget(20_000), 2_400);
        assert_eq!(word_budget(100_000), 512);
    }

    #[test]
    fn words_stay_within_the_budget() {
        let long = (0..1000)
            .map(|n| format!("word{n}"))
            .collect::<Vec<_>>()
            .join(" ");
        let words = distinct_words(&[&long], 64);
        assert!(words.len() <= 64, "{}", words.len());
        assert!(words.starts_with("word0 word1 "));
    }
}
