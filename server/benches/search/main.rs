//! `make bench`: tantivy (Firebreak's engine, and its full search with
//! counts, facets and snippets) against SQLite FTS5, and PostgreSQL
//! tsvector+GIN when `FIREBREAK_TEST_POSTGRES_URL` is set, on the same seeded
//! synthetic corpus and the same 1,000 mixed queries, in one run. Prints and
//! writes `bench/report.md`. Figures, never pass/fail.
//!
//! Sizes: `FIREBREAK_BENCH_SIZES=10000,100000` (the default).
mod corpus;
mod fts5;
mod postgres;
mod stats;

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::model::{Caller, IncidentInput, SearchQuery};
use app::port::{Actor, Channel};
use rand::SeedableRng;
use rand::rngs::StdRng;
use server::search::{Indexer, Request, SearchIndex, parse_query};
use server::service::IncidentService;

use corpus::{Corpus, KINDS, QUERIES, SEED, queries};
use postgres::Postgres;
use stats::{percentile, summarize};

/// Write → searchable, through the real path: service, store, outbox, indexer.
async fn freshness(samples: usize) -> Vec<Duration> {
    let dir = tempfile::tempdir().unwrap();
    let store = server::store::open(dir.path(), None).await.unwrap();
    let index = Arc::new(SearchIndex::open(&dir.path().join("index")).unwrap());
    let service = IncidentService::new(store.clone(), index.clone());
    let indexing = Indexer::new(index.clone(), store).unwrap().spawn();
    let actor = Actor::new(Caller::System, Channel::Cli);
    let mut times = Vec::new();
    for n in 0..samples {
        let word = format!("freshword{n}");
        let input = IncidentInput {
            title: format!("Fresh {word}"),
            severity: "SEV3".into(),
            ..Default::default()
        };
        let created = service.create(input, &actor).await.unwrap();
        let written = Instant::now();
        loop {
            let results = service
                .search(
                    SearchQuery {
                        q: Some(word.clone()),
                        ..Default::default()
                    },
                    &actor,
                )
                .await
                .unwrap();

            if results.hits.iter().any(|h| h.id == created.id) {
                times.push(written.elapsed());
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
    indexing.abort();
    times
}

/// The bytes of the files in `dir` (an index directory has no subdirectories).
fn dir_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.metadata().ok())
        .map(|meta| meta.len())
        .sum()
}

/// One corpus size: every engine loaded, then the same queries through each.
async fn run_size(size: usize, pg: Option<&Postgres>) -> String {
    let mut rng = StdRng::seed_from_u64(SEED);
    let corpus = Corpus::new(&mut rng);
    eprintln!("generating {size} incidents…");
    let docs: Vec<_> = (1..=size as i64)
        .map(|id| (corpus.incident(&mut rng, id), Vec::new()))
        .collect();
    let words: usize = docs.iter().map(|(d, _)| d.summary.split(' ').count()).sum();
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(&dir.path().join("index")).unwrap();
    eprintln!("indexing with tantivy…");
    let started = Instant::now();
    index.bulk_load(&docs, true).unwrap();
    let tantivy_load = started.elapsed();
    let index_bytes = dir_bytes(&dir.path().join("index"));
    eprintln!("indexing with tantivy, without word pairs…");
    let positional = SearchIndex::open(&dir.path().join("positional")).unwrap();
    let started = Instant::now();
    positional.bulk_load(&docs, false).unwrap();
    let positional_load = started.elapsed();
    let positional_bytes = dir_bytes(&dir.path().join("positional"));
    eprintln!("indexing with FTS5…");
    let (pool, fts_load) = fts5::load(&docs).await;
    let pg_load = match pg {
        Some(pg) => {
            eprintln!("indexing with PostgreSQL…");
            Some(pg.load(&docs).await.expect("loading PostgreSQL"))
        }
        None => None,
    };
    let qs = queries(&corpus, &mut rng);
    // Warm every engine, then measure.
    for q in qs.iter().take(50) {
        let parsed = parse_query(&q.firebreak).unwrap();
        let _ = index.top_ids(&parsed, 10);
        let _ = positional.top_ids(&parsed, 10);
        let _ = fts5::query(&pool, q).await;
        if let Some(pg) = pg {
            let _ = pg.query(q).await;
        }
    }
    let (mut engine, mut full, mut fts, mut tsv) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut by_positions = Vec::new();
    let mut pg_timeouts = 0;
    for q in &qs {
        let parsed = parse_query(&q.firebreak).unwrap();
        let t = Instant::now();
        let _ = index.top_ids(&parsed, 10).unwrap();
        engine.push((q.kind, t.elapsed()));
        let t = Instant::now();
        let _ = positional.top_ids(&parsed, 10).unwrap();
        by_positions.push((q.kind, t.elapsed()));
        let request = Request {
            query: &parsed,
            limit: 10,
            offset: 0,
            by_date: false,
        };
        let t = Instant::now();
        let _ = index.search(&request).unwrap();
        full.push((q.kind, t.elapsed()));
        let t = Instant::now();
        let _ = fts5::query(&pool, q).await;
        fts.push((q.kind, t.elapsed()));
        if let Some(pg) = pg {
            let t = Instant::now();
            if pg.query(q).await.is_err() {
                pg_timeouts += 1;
            }
            tsv.push((q.kind, t.elapsed()));
        }
    }
    if let Some(pg) = pg {
        pg.drop_schema().await.ok();
    }
    let (e, f, s) = (summarize(&engine), summarize(&full), summarize(&fts));
    let p = pg.map(|_| summarize(&tsv));
    let mut out = format!(
        "## {size} incidents ({:.0} M words)\n\n",
        words as f64 / 1e6
    );
    out.push_str("| query | tantivy engine p50 | p99 | Firebreak search (count, facets, snippets) p50 | p99 | SQLite FTS5 p50 | p99 | PostgreSQL tsvector p50 | p99 | FTS5 ÷ tantivy at p99 | PostgreSQL ÷ tantivy at p99 |\n");
    out.push_str("|---|---|---|---|---|---|---|---|---|---|---|\n");
    let ratio = |peer: f64, ours: f64| {
        if ours > 0.0 {
            format!("{:.0}×", peer / ours)
        } else {
            "—".into()
        }
    };
    for i in 0..e.len() {
        let (pg_cells, pg_ratio) = match &p {
            Some(p) => (
                format!("{:.3} | {:.3}", p[i].1, p[i].2),
                ratio(p[i].2, e[i].2),
            ),
            None => ("— | —".to_string(), "—".to_string()),
        };
        writeln!(
            out,
            "| {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {pg_cells} | {} | {pg_ratio} |",
            e[i].0,
            e[i].1,
            e[i].2,
            f[i].1,
            f[i].2,
            s[i].1,
            s[i].2,
            ratio(s[i].2, e[i].2)
        )
        .unwrap();
    }
    let rate = |d: Duration| {
        format!(
            "{:.0} incidents/s ({:.1} s)",
            size as f64 / d.as_secs_f64(),
            d.as_secs_f64()
        )
    };
    writeln!(
        out,
        "\nIndexing: tantivy {} ({:.0} MB on disk, merged into {} segment as a rebuild leaves it; the rate counts the merge); FTS5 {}.",
        rate(tantivy_load),
        index_bytes as f64 / 1e6,
        index.segment_count(),
        rate(fts_load)
    )
    .unwrap();
    let b = summarize(&by_positions);
    let (phrase, all) = (3, b.len() - 1);
    writeln!(
        out,
        "Without word pairs (every phrase by positions; the index before common-word pairs): indexing {} ({:.0} MB on disk); engine p50 / p99 for phrases {:.3} / {:.3}, for all kinds {:.3} / {:.3}.",
        rate(positional_load),
        positional_bytes as f64 / 1e6,
        b[phrase].1,
        b[phrase].2,
        b[all].1,
        b[all].2
    )
    .unwrap();
    if let Some(d) = pg_load {
        writeln!(out, "PostgreSQL: {} (rows, then the GIN index). {pg_timeouts} queries hit the {} s statement timeout and count at that time.", rate(d), postgres::STATEMENT_TIMEOUT.as_secs()).unwrap();
    }
    out.push('\n');
    out
}

#[tokio::main]
async fn main() {
    let sizes: Vec<usize> = std::env::var("FIREBREAK_BENCH_SIZES")
        .unwrap_or_else(|_| "10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let mut report = String::from("# Search benchmark\n\n");
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    writeln!(report, "Machine: {} cores, {cpu}. Seed {SEED:#x}; {QUERIES} queries per engine and size, {} of each kind; top 10 by relevance. Times in ms.\n", std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1), QUERIES / KINDS.len()).unwrap();
    writeln!(report, "Budgets (performance.md): engine p50 ≤ 0.3 ms, p99 ≤ 2 ms at 100k; tantivy ≥ 20× faster than FTS5 and PostgreSQL at p99; new incident searchable ≤ 1 s; reindex ≥ 20k incidents/s.\n").unwrap();
    let pg = match std::env::var("FIREBREAK_TEST_POSTGRES_URL") {
        Ok(url) => match Postgres::connect(&url).await {
            Ok(pg) => Some(pg),
            Err(e) => {
                writeln!(
                    report,
                    "PostgreSQL tsvector+GIN: **skipped**, {url} did not answer: {e}\n"
                )
                .unwrap();
                None
            }
        },
        Err(_) => {
            writeln!(report, "PostgreSQL tsvector+GIN: **skipped** (set FIREBREAK_TEST_POSTGRES_URL to measure it).\n").unwrap();
            None
        }
    };
    for size in sizes {
        let section = run_size(size, pg.as_ref()).await;
        eprint!("{section}");
        report.push_str(&section);
    }
    let mut fresh = freshness(20).await;
    fresh.sort();
    writeln!(report, "## Freshness\n\nNew incident searchable after the write returns (service → SQLite → outbox → indexer, 100 ms poll), 20 samples: p50 {:.0} ms, max {:.0} ms.\n", percentile(&fresh, 0.5), fresh.last().map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0)).unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench/report.md");
    std::fs::create_dir_all(path.parent().unwrap()).ok();
    std::fs::write(&path, &report).unwrap();
    println!("{report}");
    println!("written to {}", path.display());
}
