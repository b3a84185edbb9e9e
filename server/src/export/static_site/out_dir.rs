//! Where the static export is written. Pages go into a staging directory
//! beside OUT, renamed to OUT only when everything is written, so OUT never
//! holds half an export. OUT must be new or empty; `--force` replaces an
//! earlier static export (recognised by its marker file), never anything else.
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// Every static export holds this file; `--force` replaces only such a directory.
pub const MARKER: &str = ".firebreak-static-export";

pub struct OutDir {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
}

fn sibling(out: &Path, suffix: &str) -> anyhow::Result<PathBuf> {
    let name = out
        .file_name()
        .with_context(|| format!("{} does not name a directory", out.display()))?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Ok(parent.join(format!(
        ".{}.{suffix}-{}",
        name.to_string_lossy(),
        std::process::id()
    )))
}

fn check_target(out: &Path, force: bool) -> anyhow::Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        bail!("{} exists and is not a directory", out.display());
    }
    let empty = std::fs::read_dir(out)
        .with_context(|| format!("reading {}", out.display()))?
        .next()
        .is_none();
    if empty {
        return Ok(());
    }
    if !force {
        bail!(
            "{} exists and is not empty: name a new directory, or pass --force to replace an earlier static export there",
            out.display()
        );
    }
    if !out.join(MARKER).is_file() {
        bail!(
            "{} is not an earlier static export (it has no {MARKER} file): refusing to replace it, even with --force",
            out.display()
        );
    }
    Ok(())
}

impl OutDir {
    /// Checks OUT and creates the staging directory with `incidents/`.
    pub fn prepare(out: &Path, force: bool) -> anyhow::Result<Self> {
        check_target(out, force)?;
        let staging = sibling(out, "partial")?;
        if staging.exists() {
            std::fs::remove_dir_all(&staging)?;
        }
        std::fs::create_dir_all(staging.join("incidents"))
            .with_context(|| format!("creating {}", staging.display()))?;
        std::fs::write(
            staging.join(MARKER),
            "Written by `firebreak export --format static`; `--force` may replace this directory.\n",
        )?;
        Ok(Self {
            target: out.to_path_buf(),
            staging,
            committed: false,
        })
    }

    /// The directory to write into until [`OutDir::commit`].
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Puts the finished export at OUT, replacing what was there.
    pub fn commit(mut self) -> anyhow::Result<()> {
        if self.target.exists() {
            let old = sibling(&self.target, "old")?;
            std::fs::rename(&self.target, &old)
                .with_context(|| format!("moving {} aside", self.target.display()))?;
            std::fs::rename(&self.staging, &self.target)
                .with_context(|| format!("renaming into {}", self.target.display()))?;
            std::fs::remove_dir_all(&old)
                .with_context(|| format!("removing the earlier export {}", old.display()))?;
        } else {
            std::fs::rename(&self.staging, &self.target)
                .with_context(|| format!("renaming into {}", self.target.display()))?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for OutDir {
    /// An export that failed leaves nothing behind.
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_directory_with_other_files_even_with_force() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let refused = OutDir::prepare(dir.path(), false)
            .err()
            .unwrap()
            .to_string();
        assert!(refused.contains("not empty"), "{refused}");
        let forced = OutDir::prepare(dir.path(), true).err().unwrap().to_string();
        assert!(forced.contains("not an earlier static export"), "{forced}");
        assert!(dir.path().join("notes.txt").exists());
    }

    #[test]
    fn writes_beside_out_and_replaces_an_earlier_export_only_at_commit() {
        let parent = tempfile::tempdir().unwrap();
        let out = parent.path().join("site");
        let first = OutDir::prepare(&out, false).unwrap();
        std::fs::write(first.path().join("index.html"), "one").unwrap();
        assert!(!out.exists());
        first.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "one"
        );

        let second = OutDir::prepare(&out, true).unwrap();
        std::fs::write(second.path().join("index.html"), "two").unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "one"
        );
        second.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        let left: Vec<_> = std::fs::read_dir(parent.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "only OUT remains: {left:?}");
    }

    #[test]
    fn a_failed_export_leaves_nothing() {
        let parent = tempfile::tempdir().unwrap();
        let out = parent.path().join("site");
        drop(OutDir::prepare(&out, false).unwrap());
        assert_eq!(std::fs::read_dir(parent.path()).unwrap().count(), 0);
    }
}
