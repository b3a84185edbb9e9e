//! Facet counts over every match, read from the facet terms' posting lists.
//! tantivy's `FacetCollector` reads each matching document's facet column,
//! about 100 ns a document: 10 ms of a 14 ms search that matches all of
//! 100k incidents. Here the matches are gathered in a bit set, and then:
//! - a value held by many documents (a severity, a busy service) has its
//!   posting list kept as a bit set too, built once per segment (segments
//!   never change), and is counted by AND-ing the two a word at a time;
//! - any other value's posting list is walked and tested against the
//!   matches; when the matches are few, it is only sought at them; when
//!   nearly every document matches, it is sought at the few that do not,
//!   and the count is taken from the value's document frequency.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::{InvertedIndexReader, SegmentId};
use tantivy::postings::{BlockSegmentPostings, TermInfo};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED};

use super::doc_bits::Bits;

/// A value is dense, and kept as a bit set, when at least one document in
/// this many holds it: at most this many values per facet a document
/// holds, each a bit per document.
const DENSE_ONE_IN: u64 = 32;

/// Counts per facet kind (`severity`, `tag`…) and value.
pub type Tally = HashMap<String, HashMap<String, u64>>;

/// Counts the values of the listed facet kinds among the matches.
pub struct FacetTally {
    field: Field,
    kinds: Vec<String>,
    values: Arc<FacetValues>,
}

impl FacetTally {
    /// `kinds` are top-level facet names, without the slash: `severity`.
    pub fn new(field: Field, kinds: &[&str], values: Arc<FacetValues>) -> Self {
        Self {
            field,
            kinds: kinds.iter().map(|k| k.to_string()).collect(),
            values,
        }
    }
}

/// One facet value of one segment: dense values as a bit set, the others
/// as where their posting list starts.
enum ValuePostings {
    Dense(Bits),
    Sparse(TermInfo),
}

struct FacetValue {
    kind: String,
    value: String,
    doc_freq: u64,
    postings: ValuePostings,
}

/// The counted facet values of each segment, read from the term
/// dictionary once per segment and kept while the segment is searched.
#[derive(Default)]
pub struct FacetValues {
    segments: Mutex<HashMap<SegmentId, Arc<Vec<FacetValue>>>>,
}

impl FacetValues {
    /// Forgets segments the searcher no longer has (merged away): called
    /// at each reload, not per search, so searches still holding the
    /// previous searcher never evict what the current one uses.
    pub fn keep_only(&self, searcher: &Searcher) {
        let live: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(SegmentReader::segment_id)
            .collect();
        let mut segments = self.segments.lock().unwrap_or_else(|e| e.into_inner());
        segments.retain(|id, _| live.contains(id));
    }

    fn of_segment(
        &self,
        reader: &SegmentReader,
        inverted: &InvertedIndexReader,
        kinds: &[String],
    ) -> tantivy::Result<Arc<Vec<FacetValue>>> {
        let id = reader.segment_id();
        if let Some(known) = self
            .segments
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
        {
            return Ok(known.clone());
        }
        let values = Arc::new(read_values(reader.max_doc(), inverted, kinds)?);
        let mut segments = self.segments.lock().unwrap_or_else(|e| e.into_inner());
        segments.insert(id, values.clone());
        Ok(values)
    }
}

/// Every value of the listed kinds in one segment's facet dictionary.
fn read_values(
    max_doc: DocId,
    inverted: &InvertedIndexReader,
    kinds: &[String],
) -> tantivy::Result<Vec<FacetValue>> {
    let mut values = Vec::new();
    let mut terms = inverted.terms().stream()?;
    while terms.advance() {
        let Ok(facet) = Facet::from_encoded(terms.key().to_vec()) else {
            continue;
        };
        let path = facet.to_path();
        let [kind, value] = path.as_slice() else {
            continue;
        };
        if !kinds.iter().any(|k| k == kind) {
            continue;
        }
        let info = terms.value().clone();
        let doc_freq = u64::from(info.doc_freq);
        let postings = if doc_freq * DENSE_ONE_IN >= u64::from(max_doc) {
            let mut blocks =
                inverted.read_block_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
            let mut bits = Bits::new(max_doc);
            walk(&mut blocks, |doc| bits.insert(doc));
            ValuePostings::Dense(bits)
        } else {
            ValuePostings::Sparse(info)
        };
        values.push(FacetValue {
            kind: kind.to_string(),
            value: value.to_string(),
            doc_freq,
            postings,
        });
    }
    Ok(values)
}

/// One segment's matches (a bit a document), and its facet values.
pub struct SegmentMatches {
    inverted: Arc<InvertedIndexReader>,
    values: Arc<Vec<FacetValue>>,
    matched: Bits,
    count: u64,
    max_doc: DocId,
}

impl SegmentCollector for SegmentMatches {
    type Fruit = SegmentMatches;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.matched.insert(doc);
        self.count += 1;
    }

    fn harvest(self) -> SegmentMatches {
        self
    }
}

impl Collector for FacetTally {
    type Fruit = Tally;
    type Child = SegmentMatches;

    fn for_segment(&self, _: u32, reader: &SegmentReader) -> tantivy::Result<SegmentMatches> {
        let inverted = reader.inverted_index(self.field)?;
        let values = self.values.of_segment(reader, &inverted, &self.kinds)?;
        Ok(SegmentMatches {
            inverted,
            values,
            matched: Bits::new(reader.max_doc()),
            count: 0,
            max_doc: reader.max_doc(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<SegmentMatches>) -> tantivy::Result<Tally> {
        let mut tally = Tally::new();
        for segment in segments.into_iter().filter(|s| s.count > 0) {
            count_segment(segment, &mut tally)?;
        }
        Ok(tally)
    }
}

fn count_segment(segment: SegmentMatches, tally: &mut Tally) -> tantivy::Result<()> {
    let plan = Plan::for_segment(&segment.matched, segment.count, segment.max_doc);
    for value in segment.values.iter() {
        let inverted = &segment.inverted;
        let count = match (&value.postings, &plan) {
            (ValuePostings::Dense(bits), _) => segment.matched.count_shared(bits),
            (ValuePostings::Sparse(info), Plan::Few(docs))
                if segment.count * 8 < value.doc_freq =>
            {
                let mut postings =
                    inverted.read_postings_from_terminfo(info, IndexRecordOption::Basic)?;
                count_by_seeking(&mut postings, docs)
            }
            (ValuePostings::Sparse(info), Plan::NearlyAll(misses))
                if (misses.len() as u64) * 8 < value.doc_freq =>
            {
                let mut postings =
                    inverted.read_postings_from_terminfo(info, IndexRecordOption::Basic)?;
                value.doc_freq - count_by_seeking(&mut postings, misses)
            }
            (ValuePostings::Sparse(info), _) => {
                let mut blocks =
                    inverted.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
                let mut count = 0;
                walk(&mut blocks, |doc| {
                    count += u64::from(segment.matched.contains(doc))
                });
                count
            }
        };
        if count > 0 {
            *tally
                .entry(value.kind.clone())
                .or_default()
                .entry(value.value.clone())
                .or_default() += count;
        }
    }
    Ok(())
}

/// How one segment's sparse facet postings are counted.
enum Plan {
    /// The matching documents, when they are few: seek each list at them.
    Few(Vec<DocId>),
    /// The documents that do not match (deleted ones included, as posting
    /// lists hold them), when they are few: count = doc_freq − those found.
    NearlyAll(Vec<DocId>),
    /// Walk each list against the bit set.
    Walk,
}

impl Plan {
    fn for_segment(matched: &Bits, count: u64, max_doc: DocId) -> Plan {
        let max = u64::from(max_doc);
        if count * 8 < max {
            Plan::Few(matched.ones().collect())
        } else if (max - count) * 8 < max {
            Plan::NearlyAll((0..max_doc).filter(|&d| !matched.contains(d)).collect())
        } else {
            Plan::Walk
        }
    }
}

/// Every document of a posting list, a decoded block at a time.
fn walk(blocks: &mut BlockSegmentPostings, mut each: impl FnMut(DocId)) {
    loop {
        let docs = blocks.docs();
        if docs.is_empty() {
            return;
        }
        docs.iter().for_each(|&d| each(d));
        blocks.advance();
    }
}

/// Seeks the posting list at each match (ascending): for few matches.
fn count_by_seeking(postings: &mut impl DocSet, matched: &[DocId]) -> u64 {
    let mut count = 0;
    for &doc in matched {
        let at = if postings.doc() < doc {
            postings.seek(doc)
        } else {
            postings.doc()
        };
        if at == TERMINATED {
            break;
        }
        count += u64::from(at == doc);
    }
    count
}
