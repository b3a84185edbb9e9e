//! `firebreak export --format static OUT`: a static HTML copy of the whole
//! registry, to read from a laptop when Firebreak itself is down. OUT gets
//! `index.html` (every incident, newest first, with a client-side search),
//! `incidents/INC-<n>.html` per incident, `style.css`, `search.js` and
//! `search-index.js`. Relative links only, no fetch: it works from `file://`.
mod html;
mod incident_page;
mod index_page;
mod out_dir;
mod reader;
mod row;
mod search_index;

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use app::format::format_time;
use chrono::Utc;
use indicatif::{ProgressBar, ProgressStyle};

use crate::store::Store;
use out_dir::OutDir;
use row::Row;

const PAGE: usize = 500;
const STYLE: &str = include_str!("static_site/style.css");
const SEARCH: &str = include_str!("static_site/search.js");

/// Every incident id, ascending: the export's fixed list, so the count in
/// every footer is the count of pages written.
async fn all_ids(store: &dyn Store) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::new();
    loop {
        let page = store
            .incident_ids_after(ids.last().copied().unwrap_or(0), PAGE as i64)
            .await?;
        if page.is_empty() {
            return Ok(ids);
        }
        ids.extend(page);
    }
}

fn write(dir: &Path, name: &str, contents: &str) -> anyhow::Result<()> {
    let path = dir.join(name);
    std::fs::write(&path, contents).with_context(|| format!("writing {}", path.display()))
}

fn progress(total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} incidents  {per_sec}  eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

fn size_of(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| match entry.metadata() {
            Ok(m) if m.is_dir() => size_of(&entry.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

pub async fn run(store: &dyn Store, out: &Path, force: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let dir = OutDir::prepare(out, force)?;
    let now = Utc::now();
    let ids = all_ids(store).await?;
    let exported_at = format_time(now);
    let footer = format!(
        "Exported at {exported_at} from {} incident{} by <code>firebreak export --format static</code>.",
        ids.len(),
        if ids.len() == 1 { "" } else { "s" }
    );
    let bar = progress(ids.len() as u64);
    let budget = row::word_budget(ids.len());
    let mut rows = Vec::with_capacity(ids.len());
    let pages = dir.path().join("incidents");
    for chunk in ids.chunks(PAGE) {
        for incident in reader::read_page(store, chunk, now.date_naive()).await? {
            let name = html::incident_file(incident.incident.id);
            write(&pages, &name, &incident_page::render(&incident, &footer))?;
            rows.push(Row::new(&incident, budget));
        }
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    row::newest_first(&mut rows);
    write(
        dir.path(),
        "index.html",
        &index_page::render(&rows, &footer),
    )?;
    search_index::write(&dir.path().join("search-index.js"), &rows, &exported_at)?;
    write(dir.path(), "style.css", STYLE)?;
    write(dir.path(), "search.js", SEARCH)?;
    let bytes = size_of(dir.path());
    dir.commit()?;
    println!(
        "exported {} incidents to {} ({:.1} MB) in {:.2} s; open {}",
        rows.len(),
        out.display(),
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        out.join("index.html").display()
    );
    Ok(())
}
