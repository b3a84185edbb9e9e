//! A filter narrows the hits without changing their scores.

use super::super::engine::{Request, SearchIndex};
use super::super::parse_query;
use super::corpus;

/// Ids and scores, best first.
fn scored(index: &SearchIndex, q: &str) -> Vec<(i64, f32)> {
    let parsed = parse_query(q).unwrap();
    let request = Request {
        query: &parsed,
        limit: 100,
        offset: 0,
        by_date: false,
    };
    let results = index.search(&request).unwrap();
    results.hits.iter().map(|h| (h.id, h.score)).collect()
}

#[test]
fn filters_narrow_without_changing_scores() {
    let index = corpus();
    let sev1: Vec<i64> = scored(&index, "checkout severity:sev1")
        .iter()
        .map(|h| h.0)
        .collect();
    assert_eq!(sev1, vec![1]);
    for (words, filter) in [
        ("checkout", "severity:sev1"),
        ("slow page", "service:checkout"),
        ("database", "tag:database"),
        ("database", "status:open"),
        ("errors", "severity:sev1 tag:tls"),
    ] {
        let unfiltered = scored(&index, words);
        let filtered = scored(&index, &format!("{words} {filter}"));
        assert!(!filtered.is_empty(), "{words} {filter}");
        for hit in &filtered {
            assert!(
                unfiltered.contains(hit),
                "{words} {filter}: {hit:?} not in {unfiltered:?}"
            );
        }
    }
}
