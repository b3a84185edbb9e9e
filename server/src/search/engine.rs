//! The index on disk and the one reader: opening (or rebuilding when
//! missing, corrupt or from another schema), and answering queries.
use std::path::Path;
use std::sync::{Arc, RwLock};

use app::domain::{Severity, Status, human_id};
use app::model::{FacetCount, SearchFacets, SearchHit, SearchResults};
use chrono::{DateTime, Utc};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhrasePrefixQuery, Query,
    QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DocAddress, Index, IndexReader, Order, ReloadPolicy, Searcher, TantivyDocument, Term,
};

use super::SearchError;
use super::doc_freq_memo::DocFreqMemo;
use super::document;
use super::facet_tally::{FacetTally, FacetValues, Tally};
use super::progress::IndexProgress;
use super::query::{Filter, ParsedQuery};
use super::schema::{self, Fields, SCHEMA_VERSION};
use super::snippet::{SNIPPET_CHARS, query_words, snippet_html};
use super::word_beginnings;
use super::word_pairs::{self, CommonWords};

/// Fewer exact hits than this, and typo-tolerant matching is tried: only
/// when exact matching finds nothing, so counts stay those of the words typed.
const FUZZY_BELOW: u64 = 1;
/// How much an exact match outweighs a near one in the fallback.
const EXACT_FIRST: f32 = 10.0;
const FACET_VALUES: usize = 12;
/// Decompressed stored-text blocks kept per segment (tantivy keeps 100; a
/// block of long postmortems is tens of KB, and memory has a budget).
const DOC_BLOCKS_CACHED: usize = 20;
const FACET_KINDS: [&str; 5] = ["severity", "status", "service", "tag", "year"];

pub struct SearchIndex {
    pub(super) index: Index,
    pub(super) reader: IndexReader,
    pub(super) fields: Fields,
    /// How far the indexer has come; read by readiness and metrics.
    pub progress: IndexProgress,
    /// Body words' document frequencies, for "more like this".
    pub(super) doc_freqs: DocFreqMemo,
    /// Each segment's facet values, for counting them.
    facet_values: Arc<FacetValues>,
    /// The words whose pairs the committed documents hold; swapped with
    /// the reader's reload, under this lock, so a query never pairs words
    /// the documents it sees did not.
    common: RwLock<Arc<CommonWords>>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Payload {
    schema: u32,
    seq: i64,
    #[serde(default)]
    common_words: Vec<String>,
}

/// What a search asks the index for.
pub struct Request<'a> {
    pub query: &'a ParsedQuery,
    pub limit: usize,
    pub offset: usize,
    pub by_date: bool,
}

impl SearchIndex {
    /// Opens the index in `dir`, or creates an empty one when it is missing,
    /// unreadable or of another schema version (the indexer then rebuilds
    /// it from the database while the app serves).
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        match Self::open_existing(dir) {
            Ok(Some(index)) => Ok(index),
            Ok(None) => Self::create(dir),
            Err(e) => {
                tracing::warn!(error = %e, dir = %dir.display(), "search index unreadable; rebuilding it");
                Self::create(dir)
            }
        }
    }

    fn open_existing(dir: &Path) -> Result<Option<Self>, SearchError> {
        if !dir.join("meta.json").exists() {
            return Ok(None);
        }
        let index = Index::open_in_dir(dir)?;
        let built = Self::from_index(index)?;
        match built.position()? {
            Some(_) => Ok(Some(built)),
            None if built.reader.searcher().num_docs() == 0 => Ok(Some(built)),
            None => Ok(None),
        }
    }

    fn create(dir: &Path) -> Result<Self, SearchError> {
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        let (schema, _) = schema::build();
        Self::from_index(Index::create_in_dir(dir, schema)?)
    }

    /// An index in memory, for tests.
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, _) = schema::build();
        Self::from_index(Index::create_in_ram(schema))
    }

    fn from_index(index: Index) -> Result<Self, SearchError> {
        let (expected, fields) = schema::build();
        if index.schema() != expected {
            return Err(SearchError::SchemaChanged);
        }
        index
            .tokenizers()
            .register(schema::ANALYZER, schema::analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(DOC_BLOCKS_CACHED)
            .try_into()?;
        let mut built = Self {
            index,
            reader,
            fields,
            progress: IndexProgress::new(-1),
            doc_freqs: DocFreqMemo::default(),
            facet_values: Arc::default(),
            common: RwLock::default(),
        };
        let stored = built.stored_payload()?;
        built.progress = IndexProgress::new(stored.as_ref().map_or(-1, |p| p.seq));
        let common = stored.map(|p| CommonWords::new(p.common_words));
        built.common = RwLock::new(Arc::new(common.unwrap_or_default()));
        Ok(built)
    }

    fn stored_payload(&self) -> Result<Option<Payload>, SearchError> {
        let metas = self.index.load_metas()?;
        Ok(metas
            .payload
            .and_then(|p| serde_json::from_str::<Payload>(&p).ok())
            .filter(|p| p.schema == SCHEMA_VERSION))
    }

    /// The last outbox sequence number applied, from the commit payload;
    /// `None` for an empty index or one written by another schema.
    pub fn position(&self) -> Result<Option<i64>, SearchError> {
        Ok(self.stored_payload()?.map(|p| p.seq))
    }

    pub(super) fn payload(seq: i64, common: &CommonWords) -> String {
        let payload = Payload {
            schema: SCHEMA_VERSION,
            seq,
            common_words: common.sorted(),
        };
        serde_json::to_string(&payload).unwrap_or_default()
    }

    /// The common words of the committed documents.
    pub fn common_words(&self) -> Arc<CommonWords> {
        self.common.read().map(|c| c.clone()).unwrap_or_default()
    }

    /// Shows a commit to queries: reloads the reader and, after a rebuild,
    /// switches to the common words its documents were built with.
    pub(super) fn publish(&self, common: Option<Arc<CommonWords>>) -> Result<(), SearchError> {
        let mut current = self.common.write().unwrap_or_else(|e| e.into_inner());
        self.reader.reload()?;
        self.facet_values.keep_only(&self.reader.searcher());
        if let Some(common) = common {
            *current = common;
        }
        Ok(())
    }

    /// A searcher and the common words its documents were built with.
    fn snapshot(&self) -> (Searcher, Arc<CommonWords>) {
        let common = self.common.read().unwrap_or_else(|e| e.into_inner());
        (self.reader.searcher(), common.clone())
    }

    /// The free text as tantivy runs it: phrases of common words answered
    /// from their pairs.
    fn runnable(&self, query: &dyn Query, common: &CommonWords) -> Box<dyn Query> {
        common.rewrite(query, self.fields.pairs)
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Segments the reader sees: one after a rebuild, a few more as edits come.
    pub fn segment_count(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    fn parser(&self) -> QueryParser {
        // The body holds the title too (weighted by repetition), so a query
        // of words is an intersection of plain posting lists, which the
        // engine walks block by block, skipping blocks that cannot rank.
        let mut parser = QueryParser::for_index(&self.index, vec![self.fields.body]);
        parser.set_conjunction_by_default();
        parser
    }

    /// A filter on `/kind/value`. It adds nothing to a hit's score, and is a
    /// plain term with frequencies, so words and filters together are an
    /// intersection of term clauses, which block-max WAND answers.
    fn filter_term(&self, kind: &str, value: &str) -> Box<dyn Query> {
        let path = document::facet(kind, value).to_string();
        let term = TermQuery::new(
            Term::from_field_text(self.fields.filters, &path),
            IndexRecordOption::WithFreqs,
        );
        Box::new(BoostQuery::new(Box::new(term), 0.0))
    }

    fn filter_query(&self, filter: &Filter) -> Box<dyn Query> {
        use std::ops::Bound::{Excluded, Included, Unbounded};
        let started = |t: i64| Term::from_field_i64(self.fields.started, t);
        match filter {
            Filter::Severity(s) => self.filter_term("severity", s.as_str()),
            Filter::Status(list) => Box::new(BooleanQuery::new(
                list.iter()
                    .map(|s| (Occur::Should, self.filter_term("status", s.as_str())))
                    .collect(),
            )),
            Filter::Service(s) => self.filter_term("service", s),
            Filter::Tag(t) => self.filter_term("tag", t),
            Filter::Factor(f) => self.filter_term("factor", f),
            Filter::After(t) => Box::new(RangeQuery::new(Included(started(*t)), Unbounded)),
            Filter::Before(t) => Box::new(RangeQuery::new(Unbounded, Excluded(started(*t)))),
        }
    }

    /// The free text (exact, or typo-tolerant) with every filter. Words that
    /// must all match join the filters' clauses rather than nest in one of
    /// their own, so the engine sees one intersection.
    fn compose(&self, text: Box<dyn Query>, parsed: &ParsedQuery) -> Box<dyn Query> {
        if parsed.filters.is_empty() {
            return text;
        }
        let every_word: Option<Vec<(Occur, Box<dyn Query>)>> = text
            .downcast_ref::<BooleanQuery>()
            .filter(|all| all.clauses().iter().all(|(occur, _)| *occur == Occur::Must))
            .map(|all| {
                all.clauses()
                    .iter()
                    .map(|(occur, q)| (*occur, q.box_clone()))
                    .collect()
            });
        let mut clauses = every_word.unwrap_or_else(|| vec![(Occur::Must, text)]);
        clauses.extend(
            parsed
                .filters
                .iter()
                .map(|f| (Occur::Must, self.filter_query(f))),
        );
        Box::new(BooleanQuery::new(clauses))
    }

    /// The words as typed, and each word beginning as the words it stands for.
    fn exact_text(
        &self,
        searcher: &Searcher,
        parsed: &ParsedQuery,
    ) -> Result<Box<dyn Query>, SearchError> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !parsed.text.is_empty() {
            // Lenient: whatever can be read is used; the rest is ignored.
            clauses.push((
                Occur::Must,
                self.parser().parse_query_lenient(&parsed.text).0,
            ));
        }
        for prefix in &parsed.prefixes {
            let words = word_beginnings::expansions(searcher, self.fields.body, prefix)?;
            clauses.push((
                Occur::Must,
                word_beginnings::query(self.fields.body, &words),
            ));
        }
        Ok(match clauses.len() {
            0 => Box::new(AllQuery),
            1 => clauses.remove(0).1,
            _ => Box::new(BooleanQuery::new(clauses)),
        })
    }

    /// Typo-tolerant matching of plain words, for queries without phrases
    /// or operators: each word as typed and as stemmed, within one or two edits.
    fn fuzzy_text(&self, parsed: &ParsedQuery) -> Option<Box<dyn Query>> {
        if parsed.text.contains(['"', '-', '+', ':', '(']) {
            return None;
        }
        // A word beginning may be a whole word typed with a slip.
        let mut words = parsed.words();
        words.extend(
            parsed
                .prefixes
                .iter()
                .filter(|p| p.chars().count() >= 3)
                .cloned(),
        );
        words.dedup();
        // Like the exact search, every word must match, if only nearly:
        // as typed or as stemmed, in the title or the text (the body holds both).
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in words.iter().take(8) {
            let stems = super::similar::tokens(word);
            if stems.is_empty() {
                continue; // a stop word
            }
            let mut forms = stems;
            forms.push(word.clone());
            forms.dedup();
            let mut either: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            // Long words also match words that begin the same way (the
            // stemmer cuts "rebalance" and "rebalancing" differently).
            if let Some(stem) = forms.first().filter(|f| f.chars().count() >= 7) {
                let start: String = stem.chars().take(5).collect();
                let q =
                    PhrasePrefixQuery::new(vec![Term::from_field_text(self.fields.body, &start)]);
                either.push((Occur::Should, Box::new(q)));
            }
            for form in &forms {
                let distance = if form.chars().count() >= 6 { 2 } else { 1 };
                let term = Term::from_field_text(self.fields.body, form);
                either.push((
                    Occur::Should,
                    Box::new(FuzzyTermQuery::new(term, distance, true)),
                ));
            }
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(either))));
        }
        (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
    }

    /// Only the ids of the best `limit` exact matches: the engine's part of
    /// a search, without counts, facets or snippets (for the benchmark).
    pub fn top_ids(&self, parsed: &ParsedQuery, limit: usize) -> Result<Vec<i64>, SearchError> {
        let (searcher, common) = self.snapshot();
        let text = self.runnable(&*self.exact_text(&searcher, parsed)?, &common);
        let query = self.compose(text, parsed);
        let top = searcher.search(&*query, &TopDocs::with_limit(limit).order_by_score())?;
        // Ids come from the fast field, without opening the stored documents.
        top.into_iter()
            .map(|(_, address)| {
                let segment = searcher.segment_reader(address.segment_ord);
                let ids = segment.fast_fields().u64("id")?;
                Ok(ids.first(address.doc_id).unwrap_or_default() as i64)
            })
            .collect()
    }

    /// Adds incidents with a writer of its own and commits: for building a
    /// benchmark corpus, never while an [`super::Indexer`] runs.
    /// With `word_pairs` false, no word is common and every phrase uses
    /// positions: the benchmark's side-by-side comparison.
    pub fn bulk_load(
        &self,
        incidents: &[(app::model::Incident, Vec<app::model::TimelineEntry>)],
        word_pairs: bool,
    ) -> Result<(), SearchError> {
        let mut writer: tantivy::IndexWriter<TantivyDocument> =
            self.index.writer(super::indexer::REBUILD_HEAP_BYTES)?;
        // As a rebuild does: no merges on the way, one at the end.
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        let sources: Vec<_> = incidents
            .iter()
            .map(|(incident, timeline)| crate::store::IndexSource {
                timeline: timeline.clone(),
                ..crate::store::IndexSource::bare(incident.clone())
            })
            .collect();
        let common = match word_pairs {
            true => learn_common_words(&sources[..sources.len().min(word_pairs::SAMPLE)]),
            false => CommonWords::default(),
        };
        for source in &sources {
            writer.add_document(super::document::build(&self.fields, source, &common))?;
        }
        writer.commit()?;
        // As a rebuild leaves it, so the benchmark measures what is served.
        self.merge_into_one_segment(writer, super::indexer::WRITER_HEAP_BYTES)?;
        self.publish(Some(Arc::new(common)))
    }

    /// Merges every committed segment into one, after any merge tantivy's
    /// policy started (a segment in one merge cannot join another), and
    /// returns a fresh writer with the default merge policy. Queries open a scorer per term in every
    /// segment and start their skipping threshold afresh in each.
    pub(super) fn merge_into_one_segment(
        &self,
        writer: tantivy::IndexWriter<TantivyDocument>,
        heap_bytes: usize,
    ) -> Result<tantivy::IndexWriter<TantivyDocument>, SearchError> {
        writer.wait_merging_threads()?;
        let mut writer = self.index.writer(heap_bytes)?;
        let segments = self.index.searchable_segment_ids()?;
        if segments.len() > 1 {
            writer.merge(&segments).wait()?;
        }
        Ok(writer)
    }

    pub fn search(&self, request: &Request<'_>) -> Result<SearchResults, SearchError> {
        let started = std::time::Instant::now();
        let (searcher, common) = self.snapshot();
        let by_date =
            request.by_date || (request.query.text.is_empty() && request.query.prefixes.is_empty());
        let exact = self.exact_text(&searcher, request.query)?;
        let run = self.compose(self.runnable(&*exact, &common), request.query);
        let mut found = self.collect(&searcher, &*run, request, by_date)?;
        // Highlights come from the body's words, not from their pairs.
        let mut query = self.compose(exact.box_clone(), request.query);
        let mut fuzzy = false;
        if found.total < FUZZY_BELOW
            && let Some(typos) = self.fuzzy_text(request.query)
        {
            // Exact matches keep the top places; near matches follow.
            let exact: Box<dyn Query> = Box::new(BoostQuery::new(exact.box_clone(), EXACT_FIRST));
            let either = BooleanQuery::new(vec![(Occur::Should, exact), (Occur::Should, typos)]);
            let candidate = self.compose(Box::new(either), request.query);
            let near = self.collect(&searcher, &*candidate, request, by_date)?;
            if near.total > found.total {
                (query, found, fuzzy) = (candidate, near, true);
            }
        }
        // A word beginning highlights the words it stands for.
        let mut snippets = SnippetGenerator::create(&searcher, &*query, self.fields.body)?;
        snippets.set_max_num_chars(SNIPPET_CHARS);
        let words = query_words(&*query, self.fields.body);
        let hits = found
            .top
            .into_iter()
            .map(|(score, address)| self.hit(&searcher, (&snippets, &words), score, address))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SearchResults {
            total: found.total,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            hits,
            facets: facets_from(&found.facets),
            fuzzy,
        })
    }

    /// The page of hits, then the count and the facet counts. Two passes:
    /// the page alone lets the engine skip blocks that cannot reach the top
    /// (block-max WAND), and the counting pass computes no scores.
    fn collect(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        request: &Request<'_>,
        by_date: bool,
    ) -> Result<Found, SearchError> {
        let top = TopDocs::with_limit(request.limit.max(1)).and_offset(request.offset);
        let top = if by_date {
            let by_started = top.order_by_fast_field::<i64>("started", Order::Desc);
            let dated = searcher.search(query, &by_started)?;
            dated.into_iter().map(|(_, a)| (0.0, a)).collect()
        } else {
            searcher.search(query, &top.order_by_score())?
        };
        let values = self.facet_values.clone();
        let facets = FacetTally::new(self.fields.facets, &FACET_KINDS, values);
        let (total, facets) = searcher.search(query, &(Count, facets))?;
        Ok(Found {
            total: total as u64,
            top,
            facets,
        })
    }

    fn hit(
        &self,
        searcher: &Searcher,
        (snippets, words): (&SnippetGenerator, &[String]),
        score: f32,
        address: DocAddress,
    ) -> Result<SearchHit, SearchError> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| stored_text(&doc, field);
        let id = doc
            .get_first(self.fields.id)
            .and_then(|v| v.as_u64())
            .unwrap_or_default() as i64;
        let started = doc
            .get_first(self.fields.started)
            .and_then(|v| v.as_i64())
            .unwrap_or_default();
        Ok(SearchHit {
            id,
            human_id: human_id(id),
            title: text(self.fields.title),
            severity: Severity::parse(&text(self.fields.severity)).unwrap_or(Severity::Sev4),
            status: Status::parse(&text(self.fields.status)).unwrap_or(Status::Investigating),
            started_at: (started > 0)
                .then(|| DateTime::<Utc>::from_timestamp(started, 0))
                .flatten(),
            snippet: snippet_html(snippets, words, &text(self.fields.text)),
            score,
        })
    }
}

/// The common words of a sample of the incidents to be indexed.
pub(super) fn learn_common_words(sample: &[crate::store::IndexSource]) -> CommonWords {
    let texts: Vec<String> = sample.iter().map(super::document::learning_text).collect();
    CommonWords::learn(texts.iter().map(String::as_str))
}

/// What one pass of a query collects.
struct Found {
    total: u64,
    top: Vec<(f32, DocAddress)>,
    facets: Tally,
}

fn facets_from(tally: &Tally) -> SearchFacets {
    let list = |kind: &str| facet_list(tally, kind);
    let mut year = list("year");
    year.sort_by(|a, b| b.value.cmp(&a.value));
    SearchFacets {
        severity: sorted(list("severity")),
        status: list("status"),
        service: list("service"),
        tag: list("tag"),
        year,
    }
}

fn sorted(mut values: Vec<FacetCount>) -> Vec<FacetCount> {
    values.sort_by(|a, b| a.value.cmp(&b.value));
    values
}

/// The most frequent values of one kind, most first (ties by value).
fn facet_list(tally: &Tally, kind: &str) -> Vec<FacetCount> {
    let mut values: Vec<FacetCount> = tally
        .get(kind)
        .into_iter()
        .flatten()
        .map(|(value, &count)| FacetCount {
            value: value.clone(),
            count,
        })
        .collect();
    values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    values.truncate(FACET_VALUES);
    values
}

/// A stored text field of a document, or "" when it has none.
pub(super) fn stored_text(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

/// Minimal HTML escaping for text shown where a snippet would be.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
