//! Phrases answered from pairs of common words find exactly what
//! positions find: the same incidents, the same count, the same snippets.
use app::domain::{Severity, Status};

use super::super::engine::{Request, SearchIndex};
use super::super::parse_query;
use super::incident;

const COMMON: [&str; 6] = [
    "connection",
    "timeout",
    "database",
    "replica",
    "cache",
    "deploy",
];
const GLUE: [&str; 3] = ["the", "of", "to"];

/// A deterministic text: mostly common words, some stop words, some rare
/// words (none in a fifth of the incidents), and some rarer still.
fn text(seed: u64, words: usize) -> String {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..words)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let r = (x >> 33) as usize;
            match r % 10 {
                0..=5 => COMMON[r / 10 % COMMON.len()].to_string(),
                6 | 7 => GLUE[r / 10 % GLUE.len()].to_string(),
                8 => format!("rare{}", r / 10 % 40),
                _ => format!("odd{}", r / 10 % 200),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn registry() -> Vec<(app::model::Incident, Vec<app::model::TimelineEntry>)> {
    (1..=160)
        .map(|id| {
            let d = incident(
                id,
                &text(id as u64 * 7, 5),
                &text(id as u64, 60),
                (Severity::Sev2, Status::Resolved),
                ("api", "net"),
                2025,
            );
            (d, Vec::new())
        })
        .collect()
}

fn found(index: &SearchIndex, q: &str) -> (u64, Vec<i64>, Vec<String>) {
    let parsed = parse_query(q).unwrap();
    let results = index
        .search(&Request {
            query: &parsed,
            limit: 200,
            offset: 0,
            by_date: false,
        })
        .unwrap();
    let mut ids: Vec<i64> = results.hits.iter().map(|h| h.id).collect();
    ids.sort();
    let mut snippets: Vec<String> = results.hits.iter().map(|h| h.snippet.clone()).collect();
    snippets.sort();
    (results.total, ids, snippets)
}

#[test]
fn phrases_of_common_words_match_as_positions_do() {
    let paired = SearchIndex::in_memory().unwrap();
    paired.bulk_load(&registry(), true).unwrap();
    let common = paired.common_words().sorted();
    for word in ["connect", "timeout", "databas", "replica", "cach", "deploy"] {
        assert!(
            common.contains(&word.to_string()),
            "{word} not in {common:?}"
        );
    }
    let positional = SearchIndex::in_memory().unwrap();
    positional.bulk_load(&registry(), false).unwrap();
    assert!(positional.common_words().is_empty());
    for q in [
        "\"connection timeout\"",
        "\"timeout connection\"",
        "\"database replica cache\"",
        "\"cache rare3\"",
        "\"cache odd17\"",
        "\"odd90 timeout\"",
        "\"timeout odd35 connection\"",
        "\"odd149 odd104\"",
        "\"timeout of the database\"",
        "\"deploy replica\" rare7",
        "\"deploy replica\" OR \"rare1 cache\"",
        "\"connection timeout\" severity:sev2",
    ] {
        let got = found(&paired, q);
        assert_eq!(got, found(&positional, q), "{q}");
        let total = got.0;
        assert!(total > 0, "{q} should match something");
    }
}
