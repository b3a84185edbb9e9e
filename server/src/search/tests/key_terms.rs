//! "More like this" picks its key words with a pruned search (see
//! `SearchIndex::key_terms`); these tests hold it to the plain way: every
//! distinct word weighed with its document frequency over the whole index.
use std::collections::HashMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tantivy::Term;
use tantivy::indexer::NoMergePolicy;

use super::super::document;
use super::super::engine::SearchIndex;
use super::super::similar::tokens;
use super::incident;
use crate::store::IndexSource;
use app::domain::{Severity, Status};

const SYLLABLES: [&str; 12] = [
    "ka", "lo", "mi", "ner", "pa", "ros", "ti", "vu", "zen", "dor", "fi", "gan",
];

/// Words with a skewed frequency, so document frequencies range from one
/// incident to nearly all of them.
fn text(rng: &mut StdRng, words: usize) -> String {
    (0..words)
        .map(|_| {
            let rank = (rng.random::<f64>().powi(3) * 400.0) as usize;
            let (a, b) = (rank % SYLLABLES.len(), rank / SYLLABLES.len());
            format!("{}{}{}", SYLLABLES[a], SYLLABLES[b % SYLLABLES.len()], rank)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// 80 incidents in 8 segments of different sizes (no merging).
fn segmented_index(rng: &mut StdRng) -> (SearchIndex, Vec<String>) {
    let index = SearchIndex::in_memory().unwrap();
    let mut texts = Vec::new();
    add_segments(&index, rng, &[30, 3, 20, 1, 12, 5, 8, 1], &mut texts);
    (index, texts)
}

/// A committed segment of `batch` incidents per entry, ids following on.
fn add_segments(index: &SearchIndex, rng: &mut StdRng, batches: &[usize], texts: &mut Vec<String>) {
    let mut id = texts.len() as i64;
    for &batch in batches {
        let incidents: Vec<(i64, String, String)> = (0..batch)
            .map(|_| {
                id += 1;
                let words = rng.random_range(5..400);
                let body = text(rng, words);
                (id, text(rng, 5), body)
            })
            .collect();
        texts.extend(
            incidents
                .iter()
                .map(|(_, title, body)| format!("{title}\n{body}")),
        );
        commit_segment(index, &incidents);
    }
}

/// One committed segment of `(id, title, body)` incidents, read at once.
fn commit_segment(index: &SearchIndex, incidents: &[(i64, String, String)]) {
    let mut writer: tantivy::IndexWriter<tantivy::TantivyDocument> =
        index.index.writer(15_000_000).unwrap();
    writer.set_merge_policy(Box::new(NoMergePolicy));
    for (id, title, body) in incidents {
        let status = (Severity::Sev2, Status::Resolved);
        let doc = incident(*id, title, body, status, ("svc", "tag"), 2025);
        writer
            .add_document(document::build(
                &index.fields,
                &IndexSource::bare(doc),
                &index.common_words(),
            ))
            .unwrap();
    }
    writer.commit().unwrap();
    index.reader.reload().unwrap();
}

/// The plain way: look every word up in every segment.
fn every_word_weighed(index: &SearchIndex, text: &str) -> Vec<(String, f32)> {
    let searcher = index.reader.searcher();
    let docs = searcher.num_docs() as f64;
    let mut tf: HashMap<String, u32> = HashMap::new();
    for t in tokens(text) {
        *tf.entry(t).or_default() += 1;
    }
    let mut weighted: Vec<(String, f32)> = tf
        .into_iter()
        .filter_map(|(term, count)| {
            let key = Term::from_field_text(index.fields.body, &term);
            let df = searcher.doc_freq(&key).unwrap();
            if df == 0 || df as f64 / docs > 0.5 {
                return None;
            }
            let idf = (docs / df as f64).ln() + 1.0;
            Some((term, (count as f64).sqrt() as f32 * idf as f32))
        })
        .collect();
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    weighted.truncate(15);
    weighted
}

#[test]
fn pruned_key_words_are_those_of_weighing_every_word() {
    let mut rng = StdRng::seed_from_u64(7);
    let (index, texts) = segmented_index(&mut rng);
    let searcher = index.reader.searcher();
    assert_eq!(searcher.segment_readers().len(), 8);
    let mut drafts: Vec<String> = (0..20).map(|_| text(&mut rng, 12)).collect();
    drafts.push("nothing in the index: zzzqqq".into());
    // Twice: the second pass reads what the first one counted.
    for _ in 0..2 {
        for text in texts.iter().chain(&drafts) {
            let pruned = index.key_terms(&searcher, text).unwrap();
            assert_eq!(pruned, every_word_weighed(&index, text), "{text}");
        }
    }
    let long = &texts.iter().max_by_key(|t| t.len()).unwrap();
    assert_eq!(index.key_terms(&searcher, long).unwrap().len(), 15);
}

#[test]
fn matched_terms_are_the_key_words_each_hit_holds() {
    let mut rng = StdRng::seed_from_u64(11);
    let (index, texts) = segmented_index(&mut rng);
    let searcher = index.reader.searcher();
    for text in texts.iter().step_by(7) {
        let keys = index.key_terms(&searcher, text).unwrap();
        let similar = index.similar_to(text, None, 10).unwrap();
        assert!(!similar.hits.is_empty());
        for hit in similar.hits {
            let own: Vec<String> = tokens(&texts[hit.id as usize - 1]);
            let held: Vec<String> = keys
                .iter()
                .map(|(t, _)| t.clone())
                .filter(|t| own.contains(t))
                .collect();
            assert_eq!(hit.matched_terms, held, "INC-{}", hit.id);
        }
    }
}

#[test]
fn the_excluded_incident_is_left_out_and_the_list_still_full() {
    let mut rng = StdRng::seed_from_u64(13);
    let (index, texts) = segmented_index(&mut rng);
    for (i, text) in texts.iter().enumerate().step_by(5) {
        let id = i as i64 + 1;
        let all = index.similar_to(text, None, 6).unwrap().hits;
        let expected: Vec<(i64, f32)> = all
            .iter()
            .filter(|h| h.id != id)
            .take(5)
            .map(|h| (h.id, h.score))
            .collect();
        let others = index.similar_to(text, Some(id), 5).unwrap().hits;
        let got: Vec<(i64, f32)> = others.iter().map(|h| (h.id, h.score)).collect();
        assert_eq!(got, expected, "INC-{id}");
        assert_eq!(got.len(), 5, "INC-{id}: 80 incidents share its words");
    }
}

#[test]
fn a_commit_is_counted_afresh() {
    let mut rng = StdRng::seed_from_u64(5);
    let (index, mut texts) = segmented_index(&mut rng);
    let before = index.reader.searcher();
    for text in &texts {
        index.key_terms(&before, text).unwrap();
    }
    // The same words again, in new incidents: their counts change.
    let repeated = texts[..10].to_vec();
    let again: Vec<(i64, String, String)> = (100..)
        .zip(&repeated)
        .map(|(id, body)| (id, "again".to_string(), body.clone()))
        .collect();
    commit_segment(&index, &again);
    texts.extend(repeated);
    let after = index.reader.searcher();
    for text in &texts {
        let pruned = index.key_terms(&after, text).unwrap();
        assert_eq!(pruned, every_word_weighed(&index, text), "{text}");
    }
    add_segments(&index, &mut rng, &[4], &mut texts);
    let last = index.reader.searcher();
    for text in &texts {
        assert_eq!(
            index.key_terms(&last, text).unwrap(),
            every_word_weighed(&index, text)
        );
    }
}
