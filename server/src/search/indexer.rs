//! The one IndexWriter, in one task. It follows the outbox: each batch of
//! outbox rows becomes delete-then-add for the incidents they name, and one
//! commit whose payload records the last sequence number applied. A
//! restart resumes from that number; an empty index is rebuilt from the
//! incidents themselves.
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use tantivy::indexer::NoMergePolicy;
use tantivy::{IndexWriter, TantivyDocument, Term};
use tokio::sync::watch;

use super::engine::{SearchIndex, learn_common_words};
use super::word_pairs::{self, CommonWords};
use super::{SearchError, document};
use crate::store::{IndexSource, Store};

/// Outbox rows per commit.
const BATCH: i64 = 500;
/// Incidents read per step of a full rebuild.
const REBUILD_PAGE: i64 = 500;
/// How often the outbox is checked: well under the 1 s freshness goal.
const POLL: Duration = Duration::from_millis(100);
/// The writer's memory while following the outbox: a batch is small.
pub(super) const WRITER_HEAP_BYTES: usize = 64 * 1024 * 1024;
/// The writer's memory during a full rebuild. tantivy writes a segment
/// each time its indexing threads fill this, and a rebuild ends by merging
/// every segment into one. At 100k seeded incidents (2 cores):
///
/// | heap | segments | indexing | merge | rebuild |
/// |---|---|---|---|---|
/// | 64 MB | 268 | 108 s | 91 s | 198 s |
/// | 256 MB | 36 | 120 s | 37 s | 157 s |
/// | 512 MB | 14 | 135 s | 28 s | 162 s |
///
/// A larger heap indexes more slowly (larger hash tables) than it saves in
/// the merge. The memory is used only while rebuilding and given back.
pub(super) const REBUILD_HEAP_BYTES: usize = 256 * 1024 * 1024;

pub struct Indexer {
    index: Arc<SearchIndex>,
    store: Arc<dyn Store>,
    writer: Option<IndexWriter<TantivyDocument>>,
    position: i64,
    /// During a rebuild, the common words it learnt: its documents are
    /// built with them, and its commit switches queries to them.
    rebuilding_with: Option<Arc<CommonWords>>,
}

/// Runs the writer's blocking work off the async workers.
async fn blocking<T: Send + 'static>(
    writer: IndexWriter<TantivyDocument>,
    work: impl FnOnce(&mut IndexWriter<TantivyDocument>) -> Result<T, SearchError> + Send + 'static,
) -> Result<(IndexWriter<TantivyDocument>, T), SearchError> {
    tokio::task::spawn_blocking(move || {
        let mut writer = writer;
        let out = work(&mut writer)?;
        Ok((writer, out))
    })
    .await
    .map_err(|e| SearchError::Task(e.to_string()))?
}

impl Indexer {
    pub fn new(index: Arc<SearchIndex>, store: Arc<dyn Store>) -> Result<Self, SearchError> {
        let writer = index.index.writer(WRITER_HEAP_BYTES)?;
        let position = index.position()?.unwrap_or(-1);
        Ok(Self {
            index,
            store,
            writer: Some(writer),
            position,
            rebuilding_with: None,
        })
    }

    /// The last outbox sequence number applied; -1 before the first build.
    pub fn position(&self) -> i64 {
        self.position
    }

    /// The writer; a new one when a failed batch (a full disk, say) dropped
    /// the last with its uncommitted work, so the next batch starts again
    /// from the last commit.
    fn take_writer(&mut self) -> Result<IndexWriter<TantivyDocument>, SearchError> {
        match self.writer.take() {
            Some(writer) => Ok(writer),
            None => Ok(self.index.index.writer(WRITER_HEAP_BYTES)?),
        }
    }

    /// The index documents of `ids`; `None` for an incident that is gone.
    async fn documents(
        &self,
        ids: &[i64],
    ) -> Result<Vec<(i64, Option<TantivyDocument>)>, SearchError> {
        let mut sources: HashMap<i64, IndexSource> = self
            .store
            .index_sources(ids)
            .await?
            .into_iter()
            .map(|source| (source.incident.id, source))
            .collect();
        let fields = &self.index.fields;
        let common = self.common_words();
        Ok(ids
            .iter()
            .map(|id| {
                let doc = sources
                    .remove(id)
                    .map(|s| document::build(fields, &s, &common));
                (*id, doc)
            })
            .collect())
    }

    fn common_words(&self) -> Arc<CommonWords> {
        self.rebuilding_with
            .clone()
            .unwrap_or_else(|| self.index.common_words())
    }

    /// Replaces the named incidents and commits with `seq` as the position.
    async fn write(
        &mut self,
        docs: Vec<(i64, Option<TantivyDocument>)>,
        seq: i64,
    ) -> Result<(), SearchError> {
        let id_field = self.index.fields.id;
        let payload = SearchIndex::payload(seq, &self.common_words());
        let writer = self.take_writer()?;
        let (writer, ()) = blocking(writer, move |w| {
            for (id, doc) in docs {
                w.delete_term(Term::from_field_u64(id_field, id as u64));
                if let Some(doc) = doc {
                    w.add_document(doc)?;
                }
            }
            let mut commit = w.prepare_commit()?;
            commit.set_payload(&payload);
            commit.commit()?;
            Ok(())
        })
        .await?;
        self.writer = Some(writer);
        self.index.publish(self.rebuilding_with.take())?;
        self.position = seq;
        self.index.progress.committed(seq);
        Ok(())
    }

    /// Applies up to `limit` outbox rows. Returns how many were applied.
    pub async fn apply_batch(&mut self, limit: i64) -> Result<usize, SearchError> {
        let rows = self.store.outbox_after(self.position, limit).await?;
        let Some(&(last, _, _)) = rows.last() else {
            return Ok(0);
        };
        let ids: BTreeSet<i64> = rows
            .iter()
            .filter(|(_, entity, _)| entity == "incident")
            .map(|(_, _, id)| *id)
            .collect();
        let ids: Vec<i64> = ids.into_iter().collect();
        let docs = self.documents(&ids).await?;
        self.write(docs, last).await?;
        Ok(rows.len())
    }

    /// Applies the outbox until nothing is left.
    pub async fn catch_up(&mut self) -> Result<usize, SearchError> {
        let mut applied = 0;
        loop {
            let n = self.apply_batch(BATCH).await?;
            if n == 0 {
                if applied >= BATCH as usize {
                    crate::memory::return_freed_c_heap();
                }
                return Ok(applied);
            }
            applied += n;
        }
    }

    /// Rebuilds from the incidents themselves. The outbox head is read
    /// first, so writes made during the rebuild are applied after it.
    pub async fn rebuild(&mut self, progress: &(dyn Fn(u64) + Sync)) -> Result<u64, SearchError> {
        let head = self.store.outbox_head().await?;
        self.index.progress.rebuild_started();
        let rebuilt = self.rebuild_from(head, progress).await;
        if rebuilt.is_err() {
            // A failed rebuild leaves the last commit and its common words:
            // dropping the writer drops its uncommitted delete-all and the
            // documents built with the new words, which the next batch's
            // commit would otherwise publish.
            self.writer = None;
            self.rebuilding_with = None;
        }
        self.index.progress.rebuild_finished();
        rebuilt
    }

    async fn rebuild_from(
        &mut self,
        head: i64,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<u64, SearchError> {
        // The outbox's writer has committed all it was given; only one
        // writer may be open, so it goes before the rebuild's is made.
        drop(self.writer.take());
        let writer = self.index.index.writer(REBUILD_HEAP_BYTES)?;
        // No merges while rebuilding: the segments are merged into one at
        // the end, each document once, instead of again and again on the way.
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let (writer, ()) = blocking(writer, |w| {
            w.delete_all_documents()?;
            Ok(())
        })
        .await?;
        self.writer = Some(writer);
        let sample = self
            .store
            .incident_ids_after(0, word_pairs::SAMPLE as i64)
            .await?;
        let sample = self.store.index_sources(&sample).await?;
        let common = learn_common_words(&sample);
        tracing::info!(
            common_words = common.len(),
            "search index: rebuilding; phrases of these words' pairs skip positions"
        );
        self.rebuilding_with = Some(Arc::new(common));
        let (mut after, mut done) = (0i64, 0u64);
        loop {
            let ids = self.store.incident_ids_after(after, REBUILD_PAGE).await?;
            let Some(&last) = ids.last() else { break };
            let docs = self.documents(&ids).await?;
            let writer = self.take_writer()?;
            let (writer, ()) = blocking(writer, move |w| {
                for (_, doc) in docs.into_iter() {
                    if let Some(doc) = doc {
                        w.add_document(doc)?;
                    }
                }
                Ok(())
            })
            .await?;
            self.writer = Some(writer);
            done += ids.len() as u64;
            after = last;
            self.index.progress.rebuilt_so_far(done);
            progress(done);
        }
        self.write(Vec::new(), head).await?;
        if let Err(e) = self.merge_segments().await {
            // The rebuilt index is committed and whole; merging only speeds it up.
            tracing::warn!(error = %e, "search index: the rebuilt segments were not merged");
        }
        Ok(done)
    }

    /// Merges the rebuilt index into one segment. "Similar incidents" opens
    /// a scorer per key word in every segment and starts its skipping
    /// threshold afresh in each: one segment served the incident page
    /// 5–11% faster at 100k incidents. The merge is about a quarter of a
    /// rebuild's time at that size (see [`REBUILD_HEAP_BYTES`]).
    async fn merge_segments(&mut self) -> Result<(), SearchError> {
        let writer = self.take_writer()?;
        let index = self.index.clone();
        let merged = tokio::task::spawn_blocking(move || {
            index.merge_into_one_segment(writer, WRITER_HEAP_BYTES)
        })
        .await
        .map_err(|e| SearchError::Task(e.to_string()))?;
        self.writer = Some(merged?);
        self.index.publish(None)?;
        Ok(())
    }

    /// Brings the index up to date, rebuilding it first if it has never been built.
    pub async fn start(&mut self) -> Result<(), SearchError> {
        if self.position < 0 {
            let n = self.rebuild(&|_| {}).await?;
            tracing::info!(incidents = n, "search index built");
            crate::memory::return_freed_c_heap();
        }
        self.catch_up().await?;
        Ok(())
    }

    /// Follows the outbox until told to stop; then applies what is left,
    /// commits, and lets tantivy finish its merges.
    pub fn spawn(mut self) -> IndexerTask {
        let (stop, mut stopping) = watch::channel(false);
        let task = tokio::spawn(async move {
            if let Err(e) = self.start().await {
                tracing::error!(error = %e, "search index could not be brought up to date");
            }
            loop {
                tokio::select! {
                    _ = stopping.changed() => break,
                    () = tokio::time::sleep(POLL) => {}
                }
                if let Err(e) = self.catch_up().await {
                    tracing::error!(error = %e, "search indexer; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
            self.finish().await;
        });
        IndexerTask { stop, task }
    }

    async fn finish(mut self) {
        if let Err(e) = self.catch_up().await {
            tracing::warn!(error = %e, "search index: the last outbox rows were not applied; they will be at the next start");
        }
        if let Some(writer) = self.writer.take() {
            let merged = tokio::task::spawn_blocking(move || writer.wait_merging_threads()).await;
            if let Ok(Err(e)) = merged {
                tracing::warn!(error = %e, "search index: merging at shutdown");
            }
        }
        tracing::info!(position = self.position, "search index committed");
    }
}

/// The running indexer: stop it to have the index committed.
pub struct IndexerTask {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl IndexerTask {
    /// Asks the indexer to apply what is left and commit, and waits up to
    /// `within` for it; past that the task is dropped (the next start
    /// resumes from the last commit, so nothing is lost).
    pub async fn stop(mut self, within: Duration) {
        let _ = self.stop.send(true);
        if tokio::time::timeout(within, &mut self.task).await.is_err() {
            tracing::warn!("search index: still busy at shutdown; the next start catches up");
            self.task.abort();
        }
    }

    pub fn abort(&self) {
        self.task.abort();
    }
}
