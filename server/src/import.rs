//! `firebreak import PATH…`: Markdown postmortems with YAML front matter
//! (the public-postmortems dataset format) become incidents. Directories
//! are walked for `*.md`; importing again updates, never duplicates.
mod mapping;
mod postmortem_file;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use app::model::Caller;
use app::port::{Actor, Channel};
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::StorageConfig;
use crate::search::SearchIndex;
use crate::service::{ImportOutcome, IncidentService};

pub use mapping::{Mapped, map};
pub use postmortem_file::{FrontMatter, JsonRecord, PostmortemFile, parse};

/// What an import did, file by file.
#[derive(Debug, Default)]
pub struct Summary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Files that could not be imported, with why.
    pub failed: Vec<(PathBuf, String)>,
    /// Files imported with something derived or dropped, with what.
    pub notes: Vec<(PathBuf, String)>,
}

/// Reads one file: Markdown with front matter, or a JSON export (an array).
fn read_file(path: &Path) -> Result<Vec<PostmortemFile>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        let records: Vec<JsonRecord> =
            serde_json::from_str(&text).map_err(|e| format!("JSON export: {e}"))?;
        return Ok(records
            .into_iter()
            .map(|r| PostmortemFile {
                front: r.front,
                body: r.body,
            })
            .collect());
    }
    parse(&text).map(|f| vec![f])
}

/// Every `*.md` (and `*.json` export) under the paths given; files are taken as they are.
pub fn markdown_files(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.path());
        for entry in entries {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out)?;
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("json"))
            {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut out)?;
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

/// Imports each file through the service (validated and audited like any change).
pub async fn import_files(
    service: &IncidentService,
    files: &[PathBuf],
    bar: &ProgressBar,
) -> Summary {
    let actor = Actor::new(Caller::System, Channel::Cli);
    let mut summary = Summary::default();
    for path in files {
        bar.inc(1);
        let records = match read_file(path) {
            Ok(r) => r,
            Err(e) => {
                summary.failed.push((path.clone(), e));
                continue;
            }
        };
        let fallback = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        for (n, file) in records.iter().enumerate() {
            let fallback_id = if records.len() == 1 {
                fallback.clone()
            } else {
                format!("{fallback}#{n}")
            };
            let mapped = map(file, &fallback_id);
            for note in mapped.notes {
                summary.notes.push((path.clone(), note));
            }
            match service
                .import(
                    &mapped.external_id,
                    mapped.input,
                    &file.front.timeline,
                    &actor,
                )
                .await
            {
                Ok(outcome) => {
                    let (ImportOutcome::Created(id)
                    | ImportOutcome::Updated(id)
                    | ImportOutcome::Unchanged(id)) = outcome;
                    match outcome {
                        ImportOutcome::Created(_) => summary.created += 1,
                        ImportOutcome::Updated(_) => summary.updated += 1,
                        ImportOutcome::Unchanged(_) => summary.unchanged += 1,
                    }
                    // Categories that name a contributing factor become one,
                    // and the body starts the postmortem's "What happened".
                    let extras = async {
                        service
                            .import_factors(id, &file.front.categories, &actor)
                            .await?;
                        service.import_narrative(id, &file.body, &actor).await
                    };
                    if let Err(e) = extras.await {
                        let why = app::error::ApiError::from(e).to_string();
                        summary.failed.push((path.clone(), why));
                    }
                }
                Err(e) => summary
                    .failed
                    .push((path.clone(), app::error::ApiError::from(e).to_string())),
            }
        }
    }
    summary
}

pub async fn run(storage: &StorageConfig, paths: &[PathBuf]) -> anyhow::Result<()> {
    let store = crate::store::open(&storage.data_dir, storage.database_url.as_deref()).await?;
    // The running server (or the next start) indexes what this writes.
    let index = Arc::new(SearchIndex::in_memory()?);
    let service = IncidentService::new(store, index);
    let files = markdown_files(paths)?;
    let bar = ProgressBar::new(files.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} files  {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let summary = import_files(&service, &files, &bar).await;
    bar.finish_and_clear();
    for (path, note) in &summary.notes {
        println!("note  {}: {note}", path.display());
    }
    for (path, why) in &summary.failed {
        println!("FAIL  {}: {why}", path.display());
    }
    println!(
        "imported {} files: {} created, {} updated, {} unchanged, {} failed, {} notes",
        files.len(),
        summary.created,
        summary.updated,
        summary.unchanged,
        summary.failed.len(),
        summary.notes.len()
    );
    if summary.failed.is_empty() {
        Ok(())
    } else {
        anyhow::bail!("{} files failed", summary.failed.len())
    }
}
