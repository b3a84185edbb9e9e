//! `firebreak restore SRC`: puts a backup back as the registry of
//! `--data-dir`.
//!
//! SRC is checked first (`integrity_check`, a Firebreak schema no newer
//! than this binary's) and its row counts read. The copy is written to a
//! temporary file in the data dir, synced, and its row counts compared with
//! SRC's; only then does it replace `firebreak.db` with a rename. A data
//! dir that already holds a registry is refused unless `--force`, and with
//! it the old database is checkpointed and kept aside
//! (`firebreak.db.before-restore-<time>`), never deleted. The search index
//! is removed, so the next server start rebuilds it from the database.
mod set_aside;

use std::path::Path;

use anyhow::{Context, bail};

use crate::backup::{registry_file, sibling, verify};
use crate::config::StorageConfig;

pub async fn run(storage: &StorageConfig, src: &Path, force: bool) -> anyhow::Result<()> {
    let target = registry_file(storage)?;
    let expected = check_source(src).await.with_context(|| {
        format!(
            "{} is not a usable backup; nothing was restored",
            src.display()
        )
    })?;
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)?;
    let replacing = target.exists();
    if replacing && !force {
        bail!(
            "{} already holds a registry ({}); restore will not replace it. Stop the server, \
             then run again with --force: the current database is then kept aside as \
             firebreak.db.before-restore-<time>",
            dir.display(),
            target.display()
        );
    }
    let index_dir = storage.data_dir.join("index");
    if replacing {
        set_aside::refuse_if_served(&index_dir)?;
    }
    let incoming = sibling(&target, ".restoring");
    if let Err(e) = copy_and_compare(src, &incoming, &expected).await {
        let _ = std::fs::remove_file(&incoming);
        return Err(e.context("nothing was restored; the data dir is unchanged"));
    }
    let aside = if replacing {
        Some(set_aside::keep_aside(&target).await?)
    } else {
        set_aside::remove_stale_journals(&target)?;
        None
    };
    std::fs::rename(&incoming, &target)
        .with_context(|| format!("moving the restored database to {}", target.display()))?;
    verify::sync_parent(&target)?;
    if index_dir.exists() {
        std::fs::remove_dir_all(&index_dir)
            .with_context(|| format!("removing the old search index {}", index_dir.display()))?;
    }
    verify::print_counts(&expected);
    println!(
        "restored {} into {}; integrity_check ok and every row count matches; \
         the search index is rebuilt when the server starts",
        src.display(),
        target.display()
    );
    if let Some(aside) = aside {
        println!("the previous database is kept at {}", aside.display());
    }
    Ok(())
}

/// SRC is sound and Firebreak's; returns its row counts.
async fn check_source(src: &Path) -> anyhow::Result<Vec<verify::Count>> {
    if !src.is_file() {
        bail!("there is no file at {}", src.display());
    }
    let mut conn = verify::open_read_only(src).await?;
    verify::integrity(&mut conn).await?;
    verify::firebreak_schema(&mut conn).await?;
    verify::table_counts(&mut conn).await
}

/// Copies SRC to `incoming`, syncs it and checks it holds what SRC holds.
async fn copy_and_compare(
    src: &Path,
    incoming: &Path,
    expected: &[verify::Count],
) -> anyhow::Result<()> {
    if incoming.exists() {
        std::fs::remove_file(incoming)?;
    }
    let mut source = verify::open_read_only(src).await?;
    verify::vacuum_into(&mut source, incoming)
        .await
        .with_context(|| format!("writing {}", incoming.display()))?;
    verify::sync_file(incoming)?;
    let mut copy = verify::open_read_only(incoming).await?;
    verify::integrity(&mut copy).await?;
    verify::same_counts(expected, &verify::table_counts(&mut copy).await?)
}
