//! Phrases with common words, answered without positions ("common grams",
//! as Lucene's CommonGramsFilter does).
//!
//! A phrase such as "connection timeout", or "zenvuka timeout", where a
//! word is in most incidents, makes tantivy check positions in every
//! incident holding the other word: at 100k that is up to a hundred
//! milliseconds. So every two adjacent words of which at least one is
//! common are also indexed as one term of the `pairs` field, and such a
//! phrase becomes one posting list. A pair's term names a common word by
//! its number (two characters) and any other word as written:
//! `c1c2` when both are common, `c1>word` and `word<c2` when one is.
//!
//! Which words are common is learnt from a sample of the incidents before
//! each full rebuild, and kept in the commit payload with the documents
//! built with it, so documents and queries always agree. Until a rebuild
//! has learnt some (a new, growing registry), every phrase uses positions:
//! slower, never different.
use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashMap;
use tantivy::Term;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

use super::schema::analyze;

/// Incidents read to learn the common words.
pub const SAMPLE: usize = 2_000;
/// Fewer incidents than this, and no word is called common: phrases over
/// a small registry are fast anyway.
const MIN_SAMPLE: usize = 100;
/// A word is common when at least this share of the sample holds it.
const MIN_SHARE: f64 = 0.2;
/// At most this many common words (the most frequent first); each gets a
/// two-character code, so a pair's term is four bytes.
const MAX_WORDS: usize = 256;
const CODE: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

/// The words, as the body analyzer leaves them, whose pairs are indexed,
/// each with its number in alphabetical order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CommonWords(FxHashMap<String, u16>);

/// Appends a common word's two-character code.
fn push_code(id: u16, into: &mut String) {
    into.push(CODE[(id / 64) as usize % 64] as char);
    into.push(CODE[(id % 64) as usize] as char);
}

/// A pair of two common words' term: their codes, four bytes.
#[cfg(test)]
fn pair_term(first: u16, second: u16) -> String {
    let mut term = String::with_capacity(4);
    push_code(first, &mut term);
    push_code(second, &mut term);
    term
}

impl CommonWords {
    pub fn new(words: impl IntoIterator<Item = String>) -> Self {
        let mut words: Vec<String> = words.into_iter().collect();
        words.sort();
        words.dedup();
        words.truncate(MAX_WORDS);
        Self(words.into_iter().zip(0u16..).collect())
    }

    /// The words held by at least a fifth of `texts` (one text per incident).
    pub fn learn<'a>(texts: impl Iterator<Item = &'a str>) -> Self {
        let mut holding: HashMap<String, usize> = HashMap::new();
        let mut sampled = 0usize;
        for text in texts {
            sampled += 1;
            let mut seen = HashSet::new();
            analyze(text, |t| {
                if seen.insert(t.text.clone()) {
                    *holding.entry(t.text.clone()).or_default() += 1;
                }
            });
        }
        if sampled < MIN_SAMPLE {
            return Self::default();
        }
        let floor = (sampled as f64 * MIN_SHARE).ceil() as usize;
        let mut common: Vec<(String, usize)> =
            holding.into_iter().filter(|(_, n)| *n >= floor).collect();
        common.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Self::new(common.into_iter().take(MAX_WORDS).map(|(w, _)| w))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The words, sorted: what the commit payload keeps.
    pub fn sorted(&self) -> Vec<String> {
        let mut words: Vec<(&String, &u16)> = self.0.iter().collect();
        words.sort_by_key(|(_, id)| **id);
        words.into_iter().map(|(w, _)| w.clone()).collect()
    }

    /// The term of two adjacent words, when at least one is common.
    fn pair(&self, first: &str, second: &str) -> Option<String> {
        let mut term = String::new();
        self.push_pair(first, second, &mut term).then_some(term)
    }

    /// Appends the term of two adjacent words to `into`, when at least one
    /// is common; says whether it did. Words hold neither `>`, `<` nor
    /// spaces (the analyzer keeps letters and digits), so terms never clash.
    fn push_pair(&self, first: &str, second: &str, into: &mut String) -> bool {
        match (self.0.get(first), self.0.get(second)) {
            (Some(&a), Some(&b)) => {
                push_code(a, into);
                push_code(b, into);
            }
            (Some(&a), None) => {
                push_code(a, into);
                into.push('>');
                into.push_str(second);
            }
            (None, Some(&b)) => {
                into.push_str(first);
                into.push('<');
                push_code(b, into);
            }
            (None, None) => return false,
        }
        true
    }

    /// Appends the pairs in `text` of words next to each other (no word,
    /// not even a stop word, between them), at least one of them common,
    /// to `into`, each followed by a space: the `pairs` field's text.
    pub fn add_pairs(&self, text: &str, into: &mut String) {
        if self.is_empty() {
            return;
        }
        let mut previous = String::new();
        let mut previous_at: Option<usize> = None;
        analyze(text, |t| {
            if previous_at.is_some_and(|at| at + 1 == t.position)
                && self.push_pair(&previous, &t.text, into)
            {
                into.push(' ');
            }
            previous.clear();
            previous.push_str(&t.text);
            previous_at = Some(t.position);
        });
    }

    /// `query` with every exact phrase that holds a common word answered
    /// from the `pairs` field: a two-word phrase by its pair
    /// alone; a longer one by its positions, among the incidents holding
    /// all its pairs. Matches stay exactly those of positions.
    pub fn rewrite(&self, query: &dyn Query, pairs: Field) -> Box<dyn Query> {
        if self.is_empty() {
            return query.box_clone();
        }
        if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
            let clauses = boolean
                .clauses()
                .iter()
                .map(|(occur, q)| (*occur, self.rewrite(q.as_ref(), pairs)))
                .collect();
            return Box::new(BooleanQuery::with_minimum_required_clauses(
                clauses,
                boolean.get_minimum_number_should_match(),
            ));
        }
        query
            .downcast_ref::<PhraseQuery>()
            .and_then(|phrase| self.phrase(phrase, pairs))
            .unwrap_or_else(|| query.box_clone())
    }

    fn phrase(&self, phrase: &PhraseQuery, pairs: Field) -> Option<Box<dyn Query>> {
        let terms = phrase.phrase_terms();
        // Only words right next to each other, without slop: the same
        // query as one built from the words alone (offsets 0, 1, 2…).
        if format!("{phrase:?}") != format!("{:?}", PhraseQuery::new(terms.clone())) {
            return None;
        }
        let words: Vec<String> = terms
            .iter()
            .map(|t| t.value().as_str().map(str::to_string))
            .collect::<Option<_>>()?;
        let mut pair_queries: Vec<(Occur, Box<dyn Query>)> = words
            .windows(2)
            .filter_map(|w| self.pair(&w[0], &w[1]))
            .map(|pair| {
                let term = Term::from_field_text(pairs, &pair);
                let query: Box<dyn Query> =
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                (Occur::Must, query)
            })
            .collect();
        match (words.len(), pair_queries.len()) {
            (_, 0) => None,
            (2, _) => pair_queries.pop().map(|(_, q)| q),
            _ => {
                pair_queries.push((Occur::Must, Box::new(phrase.clone())));
                Some(Box::new(BooleanQuery::new(pair_queries)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::schema;

    fn common(words: &[&str]) -> CommonWords {
        CommonWords::new(words.iter().map(|w| w.to_string()))
    }

    fn pairs(set: &CommonWords, text: &str) -> Vec<String> {
        let mut out = String::new();
        set.add_pairs(text, &mut out);
        out.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn adjacent_words_pair_when_one_is_common() {
        let set = common(&["connect", "timeout", "databas"]);
        // Alphabetical numbers: connect 0 ("00"), databas 1 ("01"), timeout 2 ("02").
        let (connect_timeout, database_connect) = (pair_term(0, 2), pair_term(1, 0));
        let text = "Database connection timeouts, then a connection timeout";
        assert_eq!(
            pairs(&set, text),
            [&database_connect, &connect_timeout, &connect_timeout].map(String::clone)
        );
        assert_eq!(set.pair("connect", "timeout"), Some(connect_timeout));
        // One common word: its code, and the other word as analysed.
        assert_eq!(
            pairs(&set, "connection pool timeout"),
            ["00>pool", "pool<02"]
        );
        assert_eq!(set.pair("pool", "timeout").as_deref(), Some("pool<02"));
        // A stop word between them, or two rare words: no pair.
        assert!(pairs(&set, "connection to the database").is_empty());
        assert!(pairs(&set, "pool size").is_empty());
        assert!(pairs(&CommonWords::default(), "connection timeout").is_empty());
    }

    #[test]
    fn pair_terms_never_clash() {
        // "0a" as a rare word before a common one, and a common word coded
        // "0a" before a rare word "0a": different terms.
        let mut words: Vec<String> = (0..11).map(|i| format!("w{i:02}")).collect();
        words.sort();
        let set = CommonWords::new(words);
        assert_eq!(set.pair("w10", "0a").as_deref(), Some("0a>0a"));
        assert_eq!(set.pair("0a", "w10").as_deref(), Some("0a<0a"));
        assert_eq!(set.pair("w10", "w10").as_deref(), Some("0a0a"));
    }

    #[test]
    fn phrases_of_common_pairs_become_pair_terms() {
        let (schema, fields) = schema::build();
        let index = tantivy::Index::create_in_ram(schema);
        index
            .tokenizers()
            .register(schema::ANALYZER, schema::analyzer());
        let parser = tantivy::query::QueryParser::for_index(&index, vec![fields.body]);
        let set = common(&["connect", "timeout", "databas"]);
        let rewritten = |q: &str| {
            let query = parser.parse_query(q).unwrap();
            format!("{:?}", set.rewrite(&*query, fields.pairs))
        };
        let two = rewritten("\"connection timeout\"");
        assert!(
            two.contains("TermQuery") && !two.contains("PhraseQuery"),
            "{two}"
        );
        assert!(two.contains(&format!("{:?}", pair_term(0, 2))), "{two}");
        // Three words: positions, among the incidents holding both pairs.
        let three = rewritten("\"database connection timeout\"");
        assert!(three.contains("PhraseQuery") && three.matches("TermQuery").count() == 2);
        // A rare word beside a common one: their pair too.
        let mixed = rewritten("\"connection pool\"");
        assert!(
            mixed.contains("TermQuery") && mixed.contains("00>pool"),
            "{mixed}"
        );
        // A stop word between, slop, or only rare words: positions alone.
        for q in [
            "\"connection to timeout\"",
            "\"connection timeout\"~1",
            "\"pool size\"",
        ] {
            let kept = rewritten(q);
            assert!(
                kept.contains("PhraseQuery") && !kept.contains("TermQuery"),
                "{q}: {kept}"
            );
        }
    }

    #[test]
    fn pair_terms_are_distinct_and_four_bytes() {
        let mut seen = HashSet::new();
        for a in 0..MAX_WORDS as u16 {
            for b in 0..MAX_WORDS as u16 {
                let term = pair_term(a, b);
                assert_eq!(term.len(), 4);
                assert!(seen.insert(term));
            }
        }
    }

    #[test]
    fn learning_keeps_words_most_incidents_hold() {
        let texts: Vec<String> = (0..200)
            .map(|i| match i % 10 {
                0 => "the disk filled up".to_string(),
                _ => format!("connection timeout number{i}"),
            })
            .collect();
        let set = CommonWords::learn(texts.iter().map(String::as_str));
        assert_eq!(set.sorted(), ["connect", "timeout"]);
        let few = CommonWords::learn(texts[..50].iter().map(String::as_str));
        assert!(few.is_empty(), "a small sample learns nothing");
    }
}
