//! Ranking on a small in-memory index: stemming, phrases, typos, the title
//! boost, filters, facets, snippets and "more like this".
use app::domain::{Milestones, Severity, Status, human_id};
use app::model::Incident;
use chrono::{TimeZone, Utc};

use super::engine::{Request, SearchIndex};
use super::{document, parse_query};
use crate::store::IndexSource;

mod filters;
mod key_terms;
mod phrase_pairs;
mod word_beginnings;

pub(super) fn incident(
    id: i64,
    title: &str,
    summary: &str,
    (sev, status): (Severity, Status),
    (service, tag): (&str, &str),
    year: i32,
) -> Incident {
    let at = Utc.with_ymd_and_hms(year, 3, 1, 12, 0, 0).unwrap();
    Incident {
        id,
        human_id: human_id(id),
        title: title.into(),
        summary: summary.into(),
        summary_html: String::new(),
        severity: sev,
        status,
        services: vec![service.into()],
        tags: vec![tag.into()],
        commander: None,
        commander_user: None,
        comms_lead: None,
        comms_lead_user: None,
        customer_impact: None,
        repeat_of: None,
        duplicate_of: None,
        decline_reason: None,
        external_id: None,
        milestones: Milestones {
            started_at: Some(at),
            ..Default::default()
        },
        version: 1,
        created_at: at,
        updated_at: at,
    }
}

fn corpus() -> SearchIndex {
    use Severity::*;
    use Status::*;
    let docs = [
        incident(
            1,
            "Checkout returns 502 errors",
            "The payments gateway timed out after a deploy. What fixed it: we rolled back the deploy.",
            (Sev1, Resolved),
            ("checkout", "deploy"),
            2024,
        ),
        incident(
            2,
            "DNS resolution failures in eu-west",
            "Resolvers ran out of file descriptors; lookups failed for every service.",
            (Sev2, Resolved),
            ("dns", "network"),
            2025,
        ),
        incident(
            3,
            "Database connection pool exhausted",
            "Connections leaked in the billing worker; queries queued until timeouts.",
            (Sev2, Monitoring),
            ("billing", "database"),
            2025,
        ),
        incident(
            4,
            "Slow checkout page",
            "Page rendering was slow because of an unindexed query on the database.",
            (Sev3, Investigating),
            ("checkout", "database"),
            2026,
        ),
        incident(
            5,
            "Certificate expired on the API edge",
            "Clients saw TLS errors until the certificate was renewed.",
            (Sev1, Resolved),
            ("edge", "tls"),
            2026,
        ),
    ];
    index_of(&docs)
}

/// An in-memory index of `docs`, in one segment.
pub(super) fn index_of(docs: &[Incident]) -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    let mut writer: tantivy::IndexWriter<tantivy::TantivyDocument> =
        index.index.writer(15_000_000).unwrap();
    for d in docs {
        writer
            .add_document(document::build(
                &index.fields,
                &IndexSource::bare(d.clone()),
                &index.common_words(),
            ))
            .unwrap();
    }
    writer.commit().unwrap();
    index.reader.reload().unwrap();
    index
}

pub(super) fn ids(index: &SearchIndex, q: &str) -> Vec<i64> {
    let parsed = parse_query(q).unwrap();
    let results = index
        .search(&Request {
            query: &parsed,
            limit: 10,
            offset: 0,
            by_date: false,
        })
        .unwrap();
    results.hits.iter().map(|h| h.id).collect()
}

#[test]
fn stemming_matches_other_forms_of_a_word() {
    let index = corpus();
    assert_eq!(
        ids(&index, "leaking connection"),
        vec![3],
        "leaking ~ leaked, connection ~ connections"
    );
    assert!(ids(&index, "resolver").contains(&2));
}

#[test]
fn the_title_outranks_the_body() {
    let index = corpus();
    let hits = ids(&index, "checkout");
    assert_eq!(hits.len(), 2);
    assert!(hits.contains(&1) && hits.contains(&4));
    let database = ids(&index, "database");
    assert_eq!(
        database[0], 3,
        "database in the title wins over database in the body"
    );
}

#[test]
fn a_trailing_star_matches_word_beginnings() {
    let index = corpus();
    assert_eq!(ids(&index, "certif*"), vec![5]);
    assert!(ids(&index, "resol*").contains(&2));
}

#[test]
fn phrases_need_the_words_together() {
    let index = corpus();
    assert_eq!(ids(&index, "\"file descriptors\""), vec![2]);
    assert!(ids(&index, "\"descriptors file\"").is_empty());
}

#[test]
fn a_phrase_matches_within_the_title_but_not_across_its_weighted_copies() {
    let index = corpus();
    assert_eq!(ids(&index, "\"connection pool exhausted\""), vec![3]);
    // The title is indexed three times in the body; the end of one copy
    // and the start of the next are not a phrase.
    assert!(ids(&index, "\"exhausted database\"").is_empty());
    assert!(ids(&index, "\"page slow\"").is_empty());
}

#[test]
fn typos_fall_back_to_fuzzy_matching() {
    let index = corpus();
    let parsed = parse_query("certifcate").unwrap();
    let results = index
        .search(&Request {
            query: &parsed,
            limit: 10,
            offset: 0,
            by_date: false,
        })
        .unwrap();
    assert!(results.fuzzy);
    assert_eq!(results.hits[0].id, 5);
}

#[test]
fn filters_narrow_and_facets_count() {
    let index = corpus();
    assert_eq!(
        ids(&index, "severity:sev1"),
        vec![5, 1],
        "no words: newest first"
    );
    assert_eq!(ids(&index, "database service:checkout"), vec![4]);
    assert_eq!(ids(&index, "tag:database status:monitoring"), vec![3]);
    assert_eq!(ids(&index, "after:2025-06-01 before:2027-01-01").len(), 2);
    assert_eq!(ids(&index, "status:open").len(), 2);
    let parsed = parse_query("").unwrap();
    let all = index
        .search(&Request {
            query: &parsed,
            limit: 10,
            offset: 0,
            by_date: false,
        })
        .unwrap();
    assert_eq!(all.total, 5);
    let sev = |v: &str| {
        all.facets
            .severity
            .iter()
            .find(|f| f.value == v)
            .map(|f| f.count)
    };
    assert_eq!(sev("SEV1"), Some(2));
    assert_eq!(sev("SEV3"), Some(1));
    assert_eq!(all.facets.year[0].value, "2026", "newest year first");
}

#[test]
fn snippets_mark_matches_and_escape_everything_else() {
    let index = SearchIndex::in_memory().unwrap();
    let mut writer: tantivy::IndexWriter<tantivy::TantivyDocument> =
        index.index.writer(15_000_000).unwrap();
    let hostile = incident(
        9,
        "XSS attempt",
        "The <script>alert(1)</script> payload hit the gateway timeout path.",
        (Severity::Sev4, Status::Resolved),
        ("web", "security"),
        2026,
    );
    writer
        .add_document(document::build(
            &index.fields,
            &IndexSource::bare(hostile.clone()),
            &index.common_words(),
        ))
        .unwrap();
    writer.commit().unwrap();
    index.reader.reload().unwrap();
    let parsed = parse_query("gateway").unwrap();
    let hit = &index
        .search(&Request {
            query: &parsed,
            limit: 10,
            offset: 0,
            by_date: false,
        })
        .unwrap()
        .hits[0];
    assert!(
        hit.snippet.contains("<mark>gateway</mark>"),
        "{}",
        hit.snippet
    );
    let without_marks = hit.snippet.replace("<mark>", "").replace("</mark>", "");
    assert!(
        !without_marks.contains('<'),
        "only <mark> is markup: {}",
        hit.snippet
    );
}

#[test]
fn hostile_queries_return_instead_of_failing() {
    let index = corpus();
    for q in [
        "- *",
        "a:(^",
        "\"unclosed",
        "a~99",
        "((((((((((((((((((((((((((((((x))))))))))))))))))))))))))))))",
        "AND OR NOT",
        "title:",
        "*",
        "\u{0}\u{1}",
        "",
    ] {
        let parsed = parse_query(q).unwrap();
        let result = index.search(&Request {
            query: &parsed,
            limit: 10,
            offset: 0,
            by_date: false,
        });
        assert!(result.is_ok(), "{q:?}: {result:?}");
    }
}

#[test]
fn similar_incidents_share_distinctive_words_and_say_what_fixed_it() {
    let index = corpus();
    let similar = index
        .similar_to("checkout 502 errors after a payments deploy", None, 3)
        .unwrap();
    assert_eq!(similar.hits[0].id, 1);
    assert!(
        similar.hits[0].matched_terms.iter().any(|t| t == "deploy"),
        "{:?}",
        similar.hits[0].matched_terms
    );
    assert!(
        similar.hits[0]
            .resolution
            .as_deref()
            .unwrap_or_default()
            .contains("rolled back")
    );
    let like_four = index.similar_to_incident(4, 3).unwrap().unwrap();
    assert!(like_four.hits.iter().all(|h| h.id != 4), "never itself");
    assert!(like_four.hits.iter().any(|h| h.id == 3 || h.id == 1));
}

#[test]
fn stemmed_words_match_across_title_and_body() {
    let index = SearchIndex::in_memory().unwrap();
    let mut writer: tantivy::IndexWriter<tantivy::TantivyDocument> =
        index.index.writer(15_000_000).unwrap();
    let kafka = incident(
        1,
        "Kafka consumer lag on orders",
        "Consumers stalled after a rebalance storm.",
        (Severity::Sev2, Status::Investigating),
        ("orders", "kafka"),
        2026,
    );
    writer
        .add_document(document::build(
            &index.fields,
            &IndexSource::bare(kafka.clone()),
            &index.common_words(),
        ))
        .unwrap();
    writer.commit().unwrap();
    index.reader.reload().unwrap();
    assert_eq!(ids(&index, "rebalancing consumers"), vec![1]);
}

/// Facet counts of a search, as `kind → value → count`.
fn facet_counts(
    index: &SearchIndex,
    q: &str,
) -> std::collections::BTreeMap<String, Vec<(String, u64)>> {
    let parsed = parse_query(q).unwrap();
    let request = Request {
        query: &parsed,
        limit: 10,
        offset: 0,
        by_date: false,
    };
    let facets = index.search(&request).unwrap().facets;
    let kinds = [
        ("severity", facets.severity),
        ("status", facets.status),
        ("service", facets.service),
        ("tag", facets.tag),
        ("year", facets.year),
    ];
    kinds
        .into_iter()
        .map(|(kind, list)| {
            let mut pairs: Vec<(String, u64)> =
                list.into_iter().map(|f| (f.value, f.count)).collect();
            pairs.sort();
            (kind.to_string(), pairs)
        })
        .collect()
}

#[test]
fn facet_counts_are_exact_across_segments_deletions_and_few_or_many_matches() {
    use Severity::*;
    let index = SearchIndex::in_memory().unwrap();
    let severities = [Sev1, Sev2, Sev3, Sev4];
    let statuses = [Status::Investigating, Status::Monitoring, Status::Resolved];
    let tag = |n: usize| match n % 89 {
        0 => "tag-rare".to_string(),
        _ => format!("tag-{}", n % 5),
    };
    let made: Vec<Incident> = (1..=600)
        .map(|i: i64| {
            let mut words = vec!["plain"];
            if i % 2 == 0 {
                words.push("alpha");
            }
            if i % 97 == 0 {
                words.push("rare");
            }
            let n = i as usize;
            incident(
                i,
                &format!("Incident {i}"),
                &words.join(" "),
                (severities[n % 4], statuses[n % 3]),
                // A rare tag too: counted from its posting list, not a bit set.
                (&format!("svc-{}", n % 7), &tag(n)),
                2020 + (n % 6) as i32,
            )
        })
        .collect();
    let mut writer: tantivy::IndexWriter<tantivy::TantivyDocument> =
        index.index.writer(15_000_000).unwrap();
    // Three commits make three segments; then every 50th incident is deleted.
    for chunk in made.chunks(200) {
        for d in chunk {
            let source = IndexSource::bare(d.clone());
            writer
                .add_document(document::build(
                    &index.fields,
                    &source,
                    &index.common_words(),
                ))
                .unwrap();
        }
        writer.commit().unwrap();
    }
    for i in (50..=600).step_by(50) {
        writer.delete_term(tantivy::Term::from_field_u64(index.fields.id, i));
    }
    writer.commit().unwrap();
    index.reader.reload().unwrap();
    assert!(index.reader.searcher().segment_readers().len() >= 2);

    for (q, matches) in [
        ("", &(|_: &Incident| true) as &dyn Fn(&Incident) -> bool),
        ("alpha", &|d: &Incident| d.summary.contains("alpha")),
        ("rare", &|d: &Incident| d.summary.contains("rare")),
        ("plain -rare", &|d: &Incident| !d.summary.contains("rare")),
        ("alpha severity:sev2", &|d: &Incident| {
            d.summary.contains("alpha") && d.severity == Sev2
        }),
    ] {
        let mut expected: std::collections::BTreeMap<String, Vec<(String, u64)>> =
            Default::default();
        let alive = made.iter().filter(|d| d.id % 50 != 0 && matches(d));
        let mut counts: std::collections::BTreeMap<(String, String), u64> = Default::default();
        for d in alive {
            let year = d.milestones.started_at.unwrap().format("%Y").to_string();
            for (kind, value) in [
                ("severity", d.severity.as_str().to_string()),
                ("status", d.status.as_str().to_string()),
                ("service", d.services[0].clone()),
                ("tag", d.tags[0].clone()),
                ("year", year),
            ] {
                *counts.entry((kind.into(), value)).or_default() += 1;
            }
        }
        for kind in ["severity", "status", "service", "tag", "year"] {
            expected.insert(kind.into(), Vec::new());
        }
        for ((kind, value), n) in counts {
            expected.get_mut(&kind).unwrap().push((value, n));
        }
        assert_eq!(facet_counts(&index, q), expected, "{q:?}");
    }
}
