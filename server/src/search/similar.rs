//! "More like this": the distinctive words of one incident (by tf-idf
//! against the whole index) become a query for others; each hit says which
//! of those words it shares and what fixed it.
use std::collections::{BTreeSet, HashMap};

use app::domain::human_id;
use app::model::{SimilarHit, SimilarIncidents};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Searcher, TantivyDocument, Term};

use super::SearchError;
use super::engine::{SearchIndex, stored_text};
use super::schema;

/// How many distinctive words make up the query.
const KEY_TERMS: usize = 15;
/// Words in more than this share of incidents say nothing.
const MAX_DOC_SHARE: f64 = 0.5;

/// The analyzed (lower-cased, stemmed, stop-word-free) words of `text`.
pub(super) fn tokens(text: &str) -> Vec<String> {
    let mut analyzer = schema::analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        if token.text.chars().count() >= 3 && !token.text.chars().all(|c| c.is_ascii_digit()) {
            out.push(token.text.clone());
        }
    }
    out
}

/// Text without its web addresses, whose pieces ("docs", "google",
/// "item") say nothing about what happened.
fn without_urls(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| !w.contains("://") && !w.starts_with("www."))
        .collect::<Vec<_>>()
        .join(" ")
}

impl SearchIndex {
    /// The most distinctive terms of `text`, with their weights.
    fn key_terms(
        &self,
        searcher: &Searcher,
        text: &str,
    ) -> Result<Vec<(String, f32)>, SearchError> {
        let mut tf: HashMap<String, u32> = HashMap::new();
        for t in tokens(&without_urls(text)) {
            *tf.entry(t).or_default() += 1;
        }
        let docs = searcher.num_docs().max(1) as f64;
        let mut weighted = Vec::new();
        for (term, count) in tf {
            // The body holds the title too.
            let df = searcher.doc_freq(&Term::from_field_text(self.fields.body, &term))?;
            if df == 0 || (df as f64) / docs > MAX_DOC_SHARE && docs > 4.0 {
                continue;
            }
            let idf = (docs / df as f64).ln() + 1.0;
            weighted.push((term, (count as f64).sqrt() as f32 * idf as f32));
        }
        weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        weighted.truncate(KEY_TERMS);
        Ok(weighted)
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
        if let Some(id) = exclude {
            let own = TermQuery::new(
                Term::from_field_u64(self.fields.id, id as u64),
                IndexRecordOption::Basic,
            );
            clauses.push((Occur::MustNot, Box::new(own)));
        }
        let query = BooleanQuery::new(clauses);
        let top = searcher.search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        let wanted: BTreeSet<&str> = terms.iter().map(|(t, _)| t.as_str()).collect();
        let mut hits = Vec::new();
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text_of = |field| stored_text(&doc, field);
            let id = doc
                .get_first(self.fields.id)
                .and_then(|v| v.as_u64())
                .unwrap_or_default() as i64;
            let own: BTreeSet<String> = tokens(&format!(
                "{} {}",
                text_of(self.fields.title),
                text_of(self.fields.text)
            ))
            .into_iter()
            .collect();
            let matched_terms: Vec<String> = terms
                .iter()
                .map(|(t, _)| t.clone())
                .filter(|t| own.contains(t) && wanted.contains(t.as_str()))
                .collect();
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
