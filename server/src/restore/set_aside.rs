//! With `--force`, the registry being replaced is kept, not deleted: its
//! WAL is checkpointed into it, and the file (with any journal left) is
//! renamed `firebreak.db.before-restore-<time>`.
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

use crate::backup::sibling;

const JOURNALS: [&str; 2] = ["-wal", "-shm"];

/// A running server holds the search index's writer lock; replacing its
/// database under it would split the registry in two.
pub fn refuse_if_served(index_dir: &Path) -> anyhow::Result<()> {
    let Ok(index) = tantivy::Index::open_in_dir(index_dir) else {
        return Ok(());
    };
    match index.writer_with_num_threads::<tantivy::TantivyDocument>(1, 15_000_000) {
        Err(tantivy::TantivyError::LockFailure(..)) => bail!(
            "a server is running on this data dir (it holds {}): stop it first",
            index_dir.display()
        ),
        _ => Ok(()),
    }
}

/// Moves `target` aside with its WAL folded in; returns the new name.
pub async fn keep_aside(target: &Path) -> anyhow::Result<PathBuf> {
    if let Err(e) = checkpoint(target).await {
        eprintln!("note: {e:#}; its -wal and -shm files are kept beside it instead");
    }
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let aside = sibling(target, &format!(".before-restore-{stamp}"));
    if aside.exists() {
        bail!("{} already exists; try again in a second", aside.display());
    }
    std::fs::rename(target, &aside)
        .with_context(|| format!("keeping the old database as {}", aside.display()))?;
    // Whatever the checkpoint left stays with the file it belongs to.
    for suffix in JOURNALS {
        let journal = sibling(target, suffix);
        if journal.exists() {
            std::fs::rename(&journal, sibling(&aside, suffix))?;
        }
    }
    Ok(aside)
}

/// A `-wal` or `-shm` without its database belongs to nothing; left there,
/// SQLite would apply it to the restored file.
pub fn remove_stale_journals(target: &Path) -> anyhow::Result<()> {
    for suffix in JOURNALS {
        let journal = sibling(target, suffix);
        if journal.exists() {
            std::fs::remove_file(&journal)
                .with_context(|| format!("removing the stale {}", journal.display()))?;
        }
    }
    Ok(())
}

async fn checkpoint(target: &Path) -> anyhow::Result<()> {
    let mut conn = SqliteConnectOptions::new()
        .filename(target)
        .create_if_missing(false)
        .connect()
        .await
        .with_context(|| format!("opening the current database {}", target.display()))?;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut conn)
        .await
        .with_context(|| format!("checkpointing {}", target.display()))?;
    conn.close().await?;
    Ok(())
}
