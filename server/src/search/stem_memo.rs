//! English stemming with a memo. Postmortems repeat their words (word
//! frequencies follow a Zipf curve), so nearly every token was stemmed a
//! moment ago; stemming each one afresh was a third of a full reindex, and
//! a tenth of a search (its snippets analyse the hits' text). The memo is
//! per thread, so the indexing threads and the search pool's threads each
//! keep theirs warm without sharing a lock.
//! The stems are exactly those of tantivy's own English stemmer (the same
//! Snowball algorithm), so an index built either way reads the same.
use std::cell::RefCell;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Words remembered per thread; frequent words come early, so a full memo
/// keeps them and stems the rare rest directly.
const MEMO_WORDS: usize = 8_000;
/// Longer words are rare and not worth remembering.
const MEMO_WORD_BYTES: usize = 24;

/// A [`TokenFilter`] replacing each token by its English stem.
#[derive(Clone, Copy, Default)]
pub struct MemoStemmer;

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct MemoStemmerFilter<T> {
    inner: T,
}

thread_local! {
    static MEMO: RefCell<FxHashMap<String, String>> = RefCell::new(FxHashMap::default());
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

pub struct MemoStemmerStream<S> {
    tail: S,
    stemmer: frostem::Stemmer,
}

impl<S: TokenStream> TokenStream for MemoStemmerStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let stemmer = self.stemmer;
        let token = self.tail.token_mut();
        MEMO.with_borrow_mut(|memo| {
            if let Some(stem) = memo.get(token.text.as_str()) {
                token.text.clear();
                token.text.push_str(stem);
                return;
            }
            let stem = stemmer.stem(&token.text).into_owned();
            if memo.len() < MEMO_WORDS && token.text.len() <= MEMO_WORD_BYTES {
                memo.insert(token.text.clone(), stem.clone());
            }
            token.text = stem;
        });
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{Language, SimpleTokenizer, Stemmer, TextAnalyzer};

    use super::*;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    #[test]
    fn stems_are_tantivys_whether_remembered_or_not() {
        let text = "rebalancing consumers rebalanced caches caching rollbacks were \
                    rolled back failing failover failovers nationalization";
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(Stemmer::new(Language::English))
            .build();
        let mut memo = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(MemoStemmer)
            .build();
        let expected = tokens(&mut plain, text);
        assert!(expected.contains(&"rebalanc".to_string()));
        // The first pass fills the memo; the second reads from it.
        assert_eq!(tokens(&mut memo, text), expected);
        assert_eq!(tokens(&mut memo, text), expected);
    }
}
