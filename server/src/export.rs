//! `firebreak export --format json|markdown|static OUT`: every incident.
//! JSON and Markdown are the format `firebreak import` reads, so an export
//! imports back to the same title, narrative, severity, status, services,
//! tags, timestamps and timeline. Markdown: one `INC-<n>.md` per incident in
//! the directory OUT (the timeline in the front matter). JSON: one array in
//! the file OUT. Static: a read-only HTML site in the directory OUT
//! (`export/static_site.rs`).
mod static_site;

use std::path::Path;

use anyhow::Context;
use app::domain::Status;
use app::model::{Incident, TimelineEntry};

use crate::config::StorageConfig;
use crate::import::{FrontMatter, JsonRecord};
use crate::service::ImportedEntry;
use crate::store::Store;

const PAGE: i64 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Markdown,
    /// A static HTML copy of the registry with a client-side search.
    Static,
}

fn record(incident: &Incident, timeline: &[TimelineEntry]) -> JsonRecord {
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t.to_rfc3339());
    // A duplicate points at an id that means nothing elsewhere.
    let status = match incident.status {
        Status::Duplicate => Status::Resolved,
        s => s,
    };
    JsonRecord {
        front: FrontMatter {
            uuid: Some(
                incident
                    .external_id
                    .clone()
                    .unwrap_or_else(|| format!("firebreak-{}", incident.human_id)),
            ),
            title: Some(incident.title.clone()),
            services: incident.services.clone(),
            tags: incident.tags.clone(),
            severity: Some(incident.severity.as_str().into()),
            status: Some(status.as_str().into()),
            start_time: time(incident.milestones.started_at),
            declared_at: time(incident.milestones.declared_at),
            end_time: time(incident.milestones.resolved_at),
            timeline: timeline.iter().map(ImportedEntry::from_entry).collect(),
            ..Default::default()
        },
        body: incident.summary.clone(),
    }
}

/// Every incident, oldest id first.
pub async fn records(store: &dyn Store) -> anyhow::Result<Vec<(String, JsonRecord)>> {
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let ids = store.incident_ids_after(after, PAGE).await?;
        let Some(&last) = ids.last() else { break };
        for id in ids {
            if let Some(incident) = store.incident(id).await? {
                let timeline = store.timeline(id).await?;
                out.push((incident.human_id.clone(), record(&incident, &timeline)));
            }
        }
        after = last;
    }
    Ok(out)
}

pub fn markdown(record: &JsonRecord) -> anyhow::Result<String> {
    let yaml = serde_yaml_ng::to_string(&record.front)?;
    Ok(format!("---\n{}---\n\n{}\n", yaml, record.body))
}

/// `force` lets a static export replace an earlier one at OUT.
pub async fn run(
    storage: &StorageConfig,
    format: Format,
    out: &Path,
    force: bool,
) -> anyhow::Result<()> {
    if force && format != Format::Static {
        anyhow::bail!("--force is only for --format static");
    }
    let store = crate::store::open(&storage.data_dir, storage.database_url.as_deref()).await?;
    match format {
        Format::Static => static_site::run(store.as_ref(), out, force).await,
        Format::Json | Format::Markdown => write_records(store.as_ref(), format, out).await,
    }
}

async fn write_records(store: &dyn Store, format: Format, out: &Path) -> anyhow::Result<()> {
    let all = records(store).await?;
    if format == Format::Json {
        let list: Vec<&JsonRecord> = all.iter().map(|(_, r)| r).collect();
        std::fs::write(out, serde_json::to_vec_pretty(&list)?)
            .with_context(|| format!("writing {}", out.display()))?;
    } else {
        std::fs::create_dir_all(out)?;
        for (name, record) in &all {
            let path = out.join(format!("{name}.md"));
            std::fs::write(&path, markdown(record)?)
                .with_context(|| format!("writing {}", path.display()))?;
        }
    }
    println!("exported {} incidents to {}", all.len(), out.display());
    Ok(())
}
