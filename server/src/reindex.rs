//! `firebreak reindex`: rebuilds the search index from the database, with
//! a progress bar. The index is derived data; this never touches incidents.
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::StorageConfig;
use crate::search::{Indexer, SearchIndex};

pub async fn run(storage: &StorageConfig) -> anyhow::Result<()> {
    let store = crate::store::open(&storage.data_dir, storage.database_url.as_deref()).await?;
    let index = Arc::new(SearchIndex::open(&storage.data_dir.join("index"))?);
    let mut indexer = Indexer::new(index.clone(), store.clone()).context(
        "the index is in use: stop the running server first (it keeps the index up to date itself)",
    )?;
    let total = store.count_incidents().await?.max(0) as u64;
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} incidents  {per_sec}  eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = Instant::now();
    let done = indexer.rebuild(&|n| bar.set_position(n)).await?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "reindexed {done} incidents in {secs:.2} s ({:.0} per second); the index holds {} documents",
        done as f64 / secs.max(1e-9),
        index.num_docs()
    );
    Ok(())
}
