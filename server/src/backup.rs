//! `firebreak backup DEST`: an online copy of the SQLite registry.
//!
//! The copy is made with `VACUUM INTO` on a read transaction, so it is one
//! consistent snapshot and a running server keeps writing (WAL mode). It is
//! written beside DEST, synced, opened again and checked (`integrity_check`
//! and the row count of every table), and only then linked to DEST, which
//! is never overwritten. The search index is not copied: a server rebuilds
//! it from the database at start.
pub mod verify;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};

use crate::config::StorageConfig;

const POSTGRES: &str = "backup and restore copy the embedded SQLite database; \
for PostgreSQL use pg_dump and pg_restore (README: \"Running several instances on PostgreSQL\")";

/// The registry's SQLite file: `--data-dir`'s firebreak.db, or the path of
/// a `sqlite://` URL. A PostgreSQL URL is refused, pointing to pg_dump.
pub fn registry_file(storage: &StorageConfig) -> anyhow::Result<PathBuf> {
    if storage.postgres_url().is_some() {
        bail!(POSTGRES);
    }
    match storage.database_url.as_deref() {
        None => Ok(storage.data_dir.join("firebreak.db")),
        Some(url) => {
            let rest = url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                .with_context(|| format!("not a SQLite URL: {url:?}"))?;
            Ok(PathBuf::from(rest.split('?').next().unwrap_or_default()))
        }
    }
}

pub async fn run(storage: &StorageConfig, dest: &Path) -> anyhow::Result<()> {
    let source = registry_file(storage)?;
    if !source.is_file() {
        bail!(
            "there is no registry at {}: nothing to back up",
            source.display()
        );
    }
    if dest.exists() {
        bail!(
            "{} already exists; a backup never overwrites a file, so choose a new name",
            dest.display()
        );
    }
    let started = Instant::now();
    let partial = sibling(dest, ".partial");
    let made = copy_and_check(&source, &partial).await;
    let counts = match made {
        Ok(counts) => counts,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    publish(&partial, dest)?;
    verify::sync_parent(dest)?;
    verify::print_counts(&counts);
    println!(
        "backed up {} to {} ({} bytes) in {:.1} s; integrity_check ok",
        source.display(),
        dest.display(),
        std::fs::metadata(dest)?.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Gives the checked copy its name. A hard link never replaces an existing
/// file, unlike a rename; where links are not supported (FAT, some network
/// shares) the name is checked once more and the copy renamed.
fn publish(partial: &Path, dest: &Path) -> anyhow::Result<()> {
    let linked = std::fs::hard_link(partial, dest);
    let outcome = match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists || dest.exists() => {
            Err(anyhow::anyhow!(
                "{} appeared while the backup was written; it was left alone",
                dest.display()
            ))
        }
        Err(_) => std::fs::rename(partial, dest)
            .with_context(|| format!("cannot create {}", dest.display())),
    };
    // Gone after a rename; the spare name after a link or a failure.
    let _ = std::fs::remove_file(partial);
    outcome
}

/// Writes the snapshot to `partial`, syncs it and checks it; returns the
/// row counts read from the copy.
async fn copy_and_check(source: &Path, partial: &Path) -> anyhow::Result<Vec<verify::Count>> {
    if partial.exists() {
        std::fs::remove_file(partial)?;
    }
    let mut live = verify::open_read_only(source).await?;
    verify::vacuum_into(&mut live, partial)
        .await
        .with_context(|| format!("writing the backup to {}", partial.display()))?;
    verify::sync_file(partial)?;
    let mut copy = verify::open_read_only(partial).await?;
    verify::integrity(&mut copy)
        .await
        .context("the backup just written fails its check")?;
    verify::table_counts(&mut copy).await
}

/// `path` with `suffix` appended to its file name.
pub fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}
