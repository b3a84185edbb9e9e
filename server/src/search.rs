//! Search: a tantivy index derived from the database (which stays the
//! source of truth). `indexer` is the only writer; `engine` holds the one
//! reader and answers queries; `query` reads what people type; `similar`
//! finds incidents like another one.
//!
//! Error policy: [`SearchError`] covers the index and the store behind the
//! indexer. A broken index is never data loss: it is rebuilt.
mod doc_bits;
mod doc_freq_memo;
mod document;
mod engine;
mod facet_tally;
mod indexer;
mod progress;
mod query;
mod schema;
mod similar;
mod snippet;
mod stem_memo;
mod word_beginnings;
mod word_pairs;

pub use engine::{Request, SearchIndex, escape};
pub use indexer::{Indexer, IndexerTask};
pub use progress::IndexProgress;
pub use query::{Filter, MAX_QUERY_CHARS, ParsedQuery, parse as parse_query};
pub use word_pairs::CommonWords;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index files: {0}")]
    Io(#[from] std::io::Error),
    #[error("the index was written with another schema")]
    SchemaChanged,
    #[error("store: {0}")]
    Store(#[from] crate::store::StoreError),
    #[error("search task: {0}")]
    Task(String),
}
#[cfg(test)]
mod tests;
