//! "More like this": the distinctive words of one incident (by tf-idf
//! against the whole index) become a query for others; each hit says which
//! of those words it shares and what fixed it.
use std::sync::Arc;

use rustc_hash::FxHashMap;

use app::domain::human_id;
use app::model::{SimilarHit, SimilarIncidents};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::tokenizer::Token;
use tantivy::{DocAddress, DocSet, InvertedIndexReader, Searcher, TantivyDocument, Term};

use super::SearchError;
use super::doc_freq_memo::DocFreq;
use super::engine::{SearchIndex, stored_text};
use super::schema;

/// How many distinctive words make up the query.
const KEY_TERMS: usize = 15;
/// Words in more than this share of incidents say nothing.
const MAX_DOC_SHARE: f64 = 0.5;

/// Whether an analysed word can say what an incident is about: three
/// characters or more, and not a bare number.
fn telling(word: &str) -> bool {
    word.chars().nth(2).is_some() && !word.chars().all(|c| c.is_ascii_digit())
}

/// The analyzed (lower-cased, stemmed, stop-word-free) words of `text`.
pub(super) fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    schema::analyze(text, |token| {
        if telling(&token.text) {
            out.push(token.text.clone());
        }
    });
    out
}

/// Whether a whitespace-separated piece of text is a web address, whose
/// pieces ("docs", "google", "item") say nothing about what happened.
fn is_url(piece: &str) -> bool {
    piece.contains("://") || piece.starts_with("www.")
}

/// How often each analysed word occurs in `text`, web addresses left out.
/// A page view analyses a whole incident with this, so a word is counted
/// without copying it, unless it is new.
fn word_counts(text: &str) -> Vec<(String, u32)> {
    let mut counts: FxHashMap<String, u32> = FxHashMap::default();
    let mut count = |token: &Token| {
        if !telling(&token.text) {
            return;
        }
        match counts.get_mut(token.text.as_str()) {
            Some(n) => *n += 1,
            None => {
                counts.insert(token.text.clone(), 1);
            }
        }
    };
    if text.split_whitespace().any(is_url) {
        schema::analyze(&without_urls(text), &mut count);
    } else {
        schema::analyze(text, &mut count);
    }
    counts.into_iter().collect()
}

/// Text without its web addresses.
fn without_urls(text: &str) -> String {
    text.split_whitespace()
        .filter(|piece| !is_url(piece))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The body field's dictionary in each segment, the largest segment first.
struct SegmentDictionaries {
    field: Field,
    largest: Arc<InvertedIndexReader>,
    rest: Vec<Arc<InvertedIndexReader>>,
}

impl SegmentDictionaries {
    fn open(searcher: &Searcher, field: Field) -> Result<Option<Self>, SearchError> {
        let mut segments: Vec<_> = searcher.segment_readers().iter().collect();
        segments.sort_by_key(|segment| std::cmp::Reverse(segment.max_doc()));
        let mut dictionaries = segments
            .iter()
            .map(|segment| segment.inverted_index(field))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter();
        Ok(dictionaries.next().map(|largest| Self {
            field,
            largest,
            rest: dictionaries.collect(),
        }))
    }

    /// The count in the largest segment: exact when it is the only one.
    fn in_largest(&self, word: &str) -> Result<DocFreq, SearchError> {
        let n = u64::from(self.largest.doc_freq(&self.term(word))?);
        Ok(if self.rest.is_empty() {
            DocFreq::Exact(n)
        } else {
            DocFreq::AtLeast(n)
        })
    }

    /// The exact count, from what is known and the segments not yet asked.
    fn exact(&self, word: &str, known: DocFreq) -> Result<u64, SearchError> {
        match known {
            DocFreq::Exact(n) => Ok(n),
            DocFreq::AtLeast(in_largest) => {
                let term = self.term(word);
                let mut n = in_largest;
                for dictionary in &self.rest {
                    n += u64::from(dictionary.doc_freq(&term)?);
                }
                Ok(n)
            }
        }
    }

    fn term(&self, word: &str) -> Term {
        Term::from_field_text(self.field, word)
    }
}

impl SearchIndex {
    /// The most distinctive terms of `text`, with their weights: the
    /// [`KEY_TERMS`] best by `sqrt(tf) * idf`, ties broken by the term.
    ///
    /// A long text has hundreds of distinct words, and a word's document
    /// frequency is one dictionary lookup per segment. So:
    /// - what this index generation's earlier calls counted is reused
    ///   ([`super::doc_freq_memo::DocFreqMemo`]);
    /// - otherwise the largest segment is asked first: the whole index
    ///   holds a word at least as often, so that count bounds the word's
    ///   weight from above;
    /// - words are weighed exactly in order of that bound, until it falls
    ///   below the weakest of the best so far.
    ///
    /// The result is the same as weighing every word.
    pub(super) fn key_terms(
        &self,
        searcher: &Searcher,
        text: &str,
    ) -> Result<Vec<(String, f32)>, SearchError> {
        // The body holds the title too.
        let Some(dictionaries) = SegmentDictionaries::open(searcher, self.fields.body)? else {
            return Ok(Vec::new());
        };
        let docs = searcher.num_docs().max(1) as f64;
        let too_common = |df: u64| (df as f64) / docs > MAX_DOC_SHARE && docs > 4.0;
        let weight = |count: u32, df: u64| {
            (count as f64).sqrt() as f32 * ((docs / df.max(1) as f64).ln() + 1.0) as f32
        };
        let generation = searcher.generation().generation_id();
        let words = word_counts(text);
        let known = self
            .doc_freqs
            .recall(generation, words.iter().map(|(w, _)| w.as_str()));
        let mut learned = Vec::new();
        let mut candidates = Vec::with_capacity(words.len());
        for ((word, count), known) in words.into_iter().zip(known) {
            let df = match known {
                Some(df) => df,
                None => {
                    let df = dictionaries.in_largest(&word)?;
                    learned.push((word.clone(), df));
                    df
                }
            };
            if !too_common(df.lower_bound()) {
                candidates.push((weight(count, df.lower_bound()), word, count, df));
            }
        }
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut best: Vec<(String, f32)> = Vec::with_capacity(KEY_TERMS + 1);
        for (bound, word, count, df) in candidates {
            if best.len() == KEY_TERMS && best.last().is_some_and(|(_, w)| bound < *w) {
                break;
            }
            let exact = dictionaries.exact(&word, df)?;
            if df != DocFreq::Exact(exact) {
                learned.push((word.clone(), DocFreq::Exact(exact)));
            }
            if exact == 0 || too_common(exact) {
                continue;
            }
            best.push((word, weight(count, exact)));
            best.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            best.truncate(KEY_TERMS);
        }
        self.doc_freqs.remember(generation, learned);
        Ok(best)
    }

    /// Which of `terms` the hit at `address` holds, read from its postings
    /// (a seek per term) rather than by analysing the hit's text again.
    fn terms_held(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        terms: &[(String, f32)],
    ) -> Result<Vec<String>, SearchError> {
        let postings = searcher
            .segment_reader(address.segment_ord)
            .inverted_index(self.fields.body)?;
        let mut held = Vec::new();
        for (term, _) in terms {
            let key = Term::from_field_text(self.fields.body, term);
            let Some(mut docs) = postings.read_postings(&key, IndexRecordOption::Basic)? else {
                continue;
            };
            // A posting list starts at its first document; seek only forward.
            let at = address.doc_id;
            if docs.doc() == at || (docs.doc() < at && docs.seek(at) == at) {
                held.push(term.clone());
            }
        }
        Ok(held)
    }

    /// Incidents like the text given, leaving out incident `exclude`.
    pub fn similar_to(
        &self,
        text: &str,
        exclude: Option<i64>,
        limit: usize,
    ) -> Result<SimilarIncidents, SearchError> {
        let searcher = self.reader.searcher();
        let terms = self.key_terms(&searcher, text)?;
        if terms.is_empty() {
            return Ok(SimilarIncidents::default());
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (term, weight) in &terms {
            let q = TermQuery::new(
                Term::from_field_text(self.fields.body, term),
                IndexRecordOption::WithFreqs,
            );
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(q), *weight)),
            ));
        }
        // A query of term clauses only is answered with block-max WAND,
        // which skips most of the incidents; a `MustNot` clause for the
        // excluded incident would turn that off. So one more hit is asked
        // for, and the excluded incident is dropped from them.
        let query = BooleanQuery::new(clauses);
        let limit = limit.max(1);
        let wanted = limit + usize::from(exclude.is_some());
        let top = searcher.search(&query, &TopDocs::with_limit(wanted).order_by_score())?;
        let mut hits = Vec::new();
        for (score, address) in top {
            if hits.len() == limit {
                break;
            }
            let doc: TantivyDocument = searcher.doc(address)?;
            let text_of = |field| stored_text(&doc, field);
            let id = doc
                .get_first(self.fields.id)
                .and_then(|v| v.as_u64())
                .unwrap_or_default() as i64;
            if exclude == Some(id) {
                continue;
            }
            let matched_terms = self.terms_held(&searcher, address, &terms)?;
            let resolution = Some(text_of(self.fields.resolution)).filter(|r| !r.is_empty());
            hits.push(SimilarHit {
                id,
                human_id: human_id(id),
                title: text_of(self.fields.title),
                score,
                matched_terms,
                resolution,
            });
        }
        Ok(SimilarIncidents { hits })
    }

    /// Incidents like incident `id`, from its indexed title and text.
    pub fn similar_to_incident(
        &self,
        id: i64,
        limit: usize,
    ) -> Result<Option<SimilarIncidents>, SearchError> {
        let searcher = self.reader.searcher();
        let own = TermQuery::new(
            Term::from_field_u64(self.fields.id, id as u64),
            IndexRecordOption::Basic,
        );
        let Some((_, address)) = searcher
            .search(&own, &TopDocs::with_limit(1).order_by_score())?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher.doc(address)?;
        let text_of = |field| stored_text(&doc, field);
        // The title counts twice: it is the most deliberate summary.
        let text = format!(
            "{0}\n{0}\n{1}",
            text_of(self.fields.title),
            text_of(self.fields.text)
        );
        self.similar_to(&text, Some(id), limit).map(Some)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn web_addresses_are_not_key_words() {
        let text = super::without_urls(
            "Source: <https://docs.google.com/document/d/1> and www.example.com died",
        );
        assert_eq!(text, "Source: and died");
    }
}
