//! Word beginnings (`kafk*`, and the last word of a live search): they stand
//! for the stems that begin with them, and hits are ranked by relevance.
use app::domain::{Severity, Status};

use super::{ids, incident, index_of};

fn about(id: i64, title: &str, summary: &str) -> app::model::Incident {
    let kind = (Severity::Sev2, Status::Resolved);
    incident(id, title, summary, kind, ("platform", "misc"), 2025)
}

/// Filler that mentions no word the tests look for.
fn filler(words: usize) -> String {
    [
        "the", "billing", "worker", "ran", "slowly", "for", "a", "while",
    ]
    .iter()
    .cycle()
    .take(words)
    .copied()
    .collect::<Vec<_>>()
    .join(" ")
}

#[test]
fn a_beginning_ranks_the_incident_most_about_it_first() {
    let index = index_of(&[
        about(
            1,
            "Billing slow",
            &format!("{} then kafka lagged.", filler(60)),
        ),
        about(
            2,
            "Kafka brokers lost their leader",
            "Kafka consumers stalled while kafka partitions moved.",
        ),
    ]);
    // Incident 1 comes first in the index; relevance puts it second.
    assert_eq!(ids(&index, "kafk*"), vec![2, 1]);
    assert_eq!(ids(&index, "kafka*"), vec![2, 1]);
}

#[test]
fn a_whole_word_typed_with_a_star_finds_its_other_forms() {
    let index = index_of(&[
        about(
            1,
            "DNS resolution failures",
            "Lookups failed for every service.",
        ),
        about(2, "Retry storm", "Clients retried without backoff."),
    ]);
    // The index holds stems: failur, retri. Live search stars the last word.
    assert_eq!(ids(&index, "failures*"), vec![1]);
    assert_eq!(ids(&index, "retries*"), vec![2]);
    assert_eq!(ids(&index, "dns failures*"), vec![1]);
}

#[test]
fn a_beginning_typed_past_its_stem_still_finds_it() {
    let index = index_of(&[about(
        1,
        "Certificate expired",
        "Clients saw TLS errors until the certificate was renewed.",
    )]);
    // "certificate" is indexed as certif; someone typing has got to "certifi".
    assert_eq!(ids(&index, "certifi*"), vec![1]);
}

#[test]
fn the_word_itself_outranks_longer_words_that_begin_with_it() {
    let index = index_of(&[
        about(
            1,
            "Resolver crash",
            "The dnsmasq process crashed on one host.",
        ),
        about(2, "Resolver crash", "The dns process crashed on one host."),
    ]);
    assert_eq!(ids(&index, "dns*"), vec![2, 1]);
}

#[test]
fn a_slip_in_the_last_word_of_a_live_search_still_finds_it() {
    let index = index_of(&[about(1, "Certificate expired", "TLS errors.")]);
    assert_eq!(ids(&index, "certifcate*"), vec![1]);
}

#[test]
fn hits_show_the_words_a_beginning_stands_for_marked() {
    let index = index_of(&[about(
        1,
        "Kafka lag",
        "Consumers of the kafka cluster fell behind.",
    )]);
    let parsed = crate::search::parse_query("kaf*").unwrap();
    let request = crate::search::Request {
        query: &parsed,
        limit: 10,
        offset: 0,
        by_date: false,
    };
    let results = index.search(&request).unwrap();
    assert_eq!(results.total, 1);
    assert!(
        results.hits[0].snippet.contains("<mark>kafka</mark>"),
        "{}",
        results.hits[0].snippet
    );
}

#[test]
fn a_word_found_through_the_stem_and_as_typed_counts_once() {
    let index = index_of(&[about(1, "Resolution failures", "Lookups failed.")]);
    let searcher = index.reader.searcher();
    let found = super::super::word_beginnings::expansions(&searcher, index.fields.body, "failures")
        .unwrap();
    let failur = found.iter().find(|e| e.word == "failur").unwrap();
    assert_eq!((failur.doc_freq, failur.whole), (1, true));
}
