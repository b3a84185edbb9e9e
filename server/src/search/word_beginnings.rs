//! Word beginnings: `kafk*`, and the last word of a live search, which is
//! probably still being typed. A beginning stands for the index's words
//! (stems) that start with it, and a hit is scored by how often it holds
//! them, as for any word, so the incidents most about them come first.
//!
//! The index holds stems ("failures" is `failur`, "retry" is `retri`), so a
//! whole word typed with a star is looked for by its stem too, and a
//! beginning typed a little past a stem ("certifi" for `certif`) still
//! finds it.
use rustc_hash::FxHashMap;
use tantivy::query::{BooleanQuery, BoostQuery, EmptyQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::SearchError;
use super::schema;

/// Words one beginning stands for at most: the most frequent of them, the
/// likeliest ends of a word being typed. Each is a scored clause, and a
/// query's cost grows with their number and frequency. The benchmark's
/// prefixes at 100k, against a single word in the same run (p50, p99): with
/// 8, 3.8 and 5.4 times; with 4, 2.9 and 1.6 times; the unscored prefix
/// this replaced, which missed stems and ranked by index order, 1.9 and 1.2.
const MOST_WORDS: usize = 4;
/// Dictionary entries read per segment and beginning at most (a beginning
/// of two letters can start thousands of words).
const MOST_READ: usize = 5_000;
/// How much the word typed, when the index holds it whole, outweighs the
/// longer words that begin with it.
const WHOLE_WORD: f32 = 2.0;
/// A stem shorter than the typed beginning is found when it lacks at most
/// this many of its letters, and has at least [`SHORTEST_STEM`].
const PAST_STEM: usize = 3;
const SHORTEST_STEM: usize = 5;

/// One word a beginning stands for, with its document count in the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Expansion {
    pub word: String,
    pub doc_freq: u64,
    /// The word typed, as the index stems it.
    pub whole: bool,
}

/// The words of `field` that `typed` (lower case, without its star) stands
/// for: the most frequent first, at most [`MOST_WORDS`].
pub(super) fn expansions(
    searcher: &Searcher,
    field: Field,
    typed: &str,
) -> Result<Vec<Expansion>, SearchError> {
    let stem = stem_of(typed);
    let mut beginnings = vec![stem.clone(), typed.to_string()];
    beginnings.dedup();
    let mut counts: FxHashMap<String, u64> = FxHashMap::default();
    for segment in searcher.segment_readers() {
        let dictionary = segment.inverted_index(field)?;
        let terms = dictionary.terms();
        // A word found twice in one segment (through the stem and as
        // typed) counts once.
        let mut in_segment: FxHashMap<String, u64> = FxHashMap::default();
        for beginning in &beginnings {
            let mut range = terms.range().ge(beginning.as_bytes());
            if let Some(end) = just_past(beginning) {
                range = range.lt(end);
            }
            let mut stream = range.into_stream()?;
            let mut read = 0;
            while read < MOST_READ && stream.advance() {
                read += 1;
                if let Ok(word) = std::str::from_utf8(stream.key()) {
                    in_segment.insert(word.to_string(), u64::from(stream.value().doc_freq));
                }
            }
            for shorter in stems_passed(beginning) {
                if let Some(info) = terms.get(shorter.as_bytes())? {
                    in_segment.insert(shorter, u64::from(info.doc_freq));
                }
            }
        }
        for (word, doc_freq) in in_segment {
            *counts.entry(word).or_default() += doc_freq;
        }
    }
    let mut found: Vec<Expansion> = counts
        .into_iter()
        .map(|(word, doc_freq)| Expansion {
            whole: word == stem,
            word,
            doc_freq,
        })
        .collect();
    // The word itself first, then the most frequent, ties by the word.
    found.sort_by(|a, b| {
        (b.whole, b.doc_freq)
            .cmp(&(a.whole, a.doc_freq))
            .then_with(|| a.word.cmp(&b.word))
    });
    found.truncate(MOST_WORDS);
    Ok(found)
}

/// A query matching any of `expansions`, each scored as a word is; the
/// whole word typed weighs [`WHOLE_WORD`] times more. Nothing matches
/// when there are none.
pub(super) fn query(field: Field, expansions: &[Expansion]) -> Box<dyn Query> {
    let clauses: Vec<(Occur, Box<dyn Query>)> = expansions
        .iter()
        .map(|expansion| {
            let term = TermQuery::new(
                Term::from_field_text(field, &expansion.word),
                IndexRecordOption::WithFreqs,
            );
            let weight = if expansion.whole { WHOLE_WORD } else { 1.0 };
            let scored: Box<dyn Query> = Box::new(BoostQuery::new(Box::new(term), weight));
            (Occur::Should, scored)
        })
        .collect();
    match clauses.len() {
        0 => Box::new(EmptyQuery),
        _ => Box::new(BooleanQuery::new(clauses)),
    }
}

/// The typed beginning as the index would stem it; itself when the
/// analyzer drops it (a stop word).
fn stem_of(typed: &str) -> String {
    let mut stem = None;
    schema::analyze(typed, |token| {
        stem.get_or_insert_with(|| token.text.clone());
    });
    stem.unwrap_or_else(|| typed.to_string())
}

/// The first byte string after every string that begins with `beginning`.
fn just_past(beginning: &str) -> Option<Vec<u8>> {
    let mut end = beginning.as_bytes().to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

/// Shorter stems the beginning may have been typed past: it without its
/// last one to [`PAST_STEM`] letters, keeping [`SHORTEST_STEM`] or more.
fn stems_passed(beginning: &str) -> Vec<String> {
    let letters: Vec<char> = beginning.chars().collect();
    let shortest = SHORTEST_STEM.max(letters.len().saturating_sub(PAST_STEM));
    (shortest..letters.len())
        .map(|n| letters[..n].iter().collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_beginning_ends_just_before_the_next_one() {
        assert_eq!(just_past("kafk"), Some(b"kafl".to_vec()));
        assert_eq!(just_past(""), None);
    }

    #[test]
    fn stems_passed_keep_five_letters_and_drop_at_most_three() {
        assert_eq!(stems_passed("certifi"), vec!["certi", "certif"]);
        assert_eq!(
            stems_passed("rebalanci"),
            vec!["rebala", "rebalan", "rebalanc"]
        );
        assert_eq!(
            stems_passed("dependenc"),
            vec!["depend", "depende", "dependen"]
        );
        assert!(stems_passed("dns").is_empty());
    }

    #[test]
    fn a_whole_word_is_looked_for_as_its_stem() {
        assert_eq!(stem_of("failures"), "failur");
        assert_eq!(stem_of("kafk"), "kafk");
        assert_eq!(stem_of("the"), "the");
    }
}
