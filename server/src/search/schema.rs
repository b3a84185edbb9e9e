//! The index's fields and its analyzer.
use std::cell::RefCell;

use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, NumericOptions, STORED, Schema, TextFieldIndexing,
    TextOptions,
};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, StopWordFilter, TextAnalyzer, Token,
};

use super::stem_memo::MemoStemmer;

/// Bumped when the fields change; a different version in the stored
/// payload means the index is rebuilt.
pub const SCHEMA_VERSION: u32 = 6;
/// English words, lower-cased, stop words dropped, stemmed.
pub const ANALYZER: &str = "firebreak_en";

#[derive(Clone, Copy)]
pub struct Fields {
    pub id: Field,
    /// Stored for the hit list; indexed for `title:` in a query.
    pub title: Field,
    /// What free text matches: the title, weighted (see
    /// [`super::document::TITLE_WEIGHT`]), then summary, customer impact,
    /// timeline, postmortem and factors. Indexed, not stored: one field per
    /// word keeps every query a plain intersection of posting lists.
    pub body: Field,
    /// The body without the title, stored for snippets and "more like this".
    pub text: Field,
    /// Adjacent pairs of words in the body, at least one of them common,
    /// as single terms with frequencies and no positions (see
    /// [`super::word_pairs`]), split at spaces.
    pub pairs: Field,
    /// `/severity/SEV1`, `/status/resolved`, `/service/x`, `/tag/y`, `/year/2025`.
    pub facets: Field,
    /// The same paths as whole terms, with frequencies and without lengths,
    /// for filters: a filter of such a term and words of such terms is an
    /// intersection the engine answers with block-max WAND, which the
    /// facet field (no frequencies) cannot join.
    pub filters: Field,
    /// Seconds since the epoch: impact start, or declaration.
    pub started: Field,
    /// Not searched: what the hit list shows.
    pub severity: Field,
    pub status: Field,
    pub resolution: Field,
}

pub fn analyzer() -> TextAnalyzer {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser);
    match StopWordFilter::new(Language::English) {
        Some(stop) => builder.filter(stop).filter(MemoStemmer).build(),
        None => builder.filter(MemoStemmer).build(),
    }
}

thread_local! {
    /// The analyzer, built once per thread: its stop-word set is not free,
    /// and "more like this" analyses a whole incident on every page view.
    static THREAD_ANALYZER: RefCell<TextAnalyzer> = RefCell::new(analyzer());
}

/// Runs `each` on every token of `text` as the index analyses it.
/// `each` must not call `analyze` itself: the thread's analyzer is in use.
pub fn analyze(text: &str, mut each: impl FnMut(&Token)) {
    THREAD_ANALYZER.with(|a| a.borrow_mut().token_stream(text).process(&mut each));
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexed = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let id = b.add_u64_field(
        "id",
        NumericOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast(),
    );
    let title = b.add_text_field("title", indexed.clone().set_stored());
    let body = b.add_text_field("body", indexed);
    let text = b.add_text_field("text", STORED);
    let pairs = b.add_text_field(
        "pairs",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("whitespace")
                .set_index_option(IndexRecordOption::WithFreqs),
        ),
    );
    let facets = b.add_facet_field("facets", FacetOptions::default());
    let filters = b.add_text_field(
        "filters",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("raw")
                .set_fieldnorms(false)
                .set_index_option(IndexRecordOption::WithFreqs),
        ),
    );
    let started = b.add_i64_field(
        "started",
        NumericOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast(),
    );
    let severity = b.add_text_field("severity", STORED);
    let status = b.add_text_field("status", STORED);
    let resolution = b.add_text_field("resolution", STORED);
    let fields = Fields {
        id,
        title,
        body,
        text,
        pairs,
        facets,
        filters,
        started,
        severity,
        status,
        resolution,
    };
    (b.build(), fields)
}
