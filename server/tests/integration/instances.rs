//! Several `firebreak serve` processes on one PostgreSQL database (issue 7).
//! Each keeps its own search index, following the shared outbox: what one
//! instance writes, the others read at once and find within 2 s; sessions
//! and versions are shared; and an instance killed with SIGKILL comes back
//! on its data directory and catches up, so every index converges to the
//! database. The servers are real processes (`processes.rs`).
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::{AUTHORIZATION, COOKIE, HeaderMap, HeaderValue};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::backend::{database_url, on_postgres};
use crate::helpers::session_cookie;
use crate::processes::{Instance, cli};

mod crash;
mod sharing;
mod start_together;

const EMAIL: &str = "ops@example.com";
const PASSWORD: &str = "operator password";
/// The freshness goal: a write is searchable on every instance within this.
const SEARCHABLE_WITHIN: Duration = Duration::from_secs(2);
/// After a crash and restart, every index matches the database within this.
const CONVERGES_WITHIN: Duration = Duration::from_secs(20);
/// How long a write loop may take to reach a count it is waiting for.
const PROGRESS_WITHIN: Duration = Duration::from_secs(20);
/// How often the tests ask: often enough to time, rarely enough not to load.
const POLL: Duration = Duration::from_millis(50);

/// These tests take turns: each runs three servers, and two clusters at
/// once on a small machine would measure the machine, not the indexer.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn skip() -> bool {
    if on_postgres() {
        return false;
    }
    println!("multi-instance tests run in the PostgreSQL leg");
    true
}

/// Three instances on one fresh database, and a client with an API token
/// made by `firebreak token create`.
struct Cluster {
    /// A, B and C (and D, when one joins later).
    instances: Vec<Instance>,
    api: Client,
    /// Where the database's URL is recorded.
    database: TempDir,
}

fn client(headers: HeaderMap) -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn header(name: reqwest::header::HeaderName, value: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(name, HeaderValue::from_str(value).unwrap());
    headers
}

async fn cluster() -> Cluster {
    let database = tempfile::tempdir().expect("temp dir");
    let url = database_url(database.path())
        .await
        .expect("a PostgreSQL database");
    let dir = database.path().to_str().unwrap();
    let storage = ["--data-dir", dir, "--database-url", &url];
    let user = [
        "user",
        "add",
        "--email",
        EMAIL,
        "--name",
        "Ops",
        "--role",
        "responder",
        "--password-stdin",
    ];
    cli(
        &[&user[..], &storage[..]].concat(),
        Some(&format!("{PASSWORD}\n")),
    );
    let token = cli(
        &[&["token", "create", "--email", EMAIL][..], &storage[..]].concat(),
        None,
    );
    let token = String::from_utf8(token.stdout).unwrap();
    let token = token.lines().last().expect("a token").trim();
    let (a, b, c) = tokio::join!(
        Instance::start("A", &url),
        Instance::start("B", &url),
        Instance::start("C", &url),
    );
    Cluster {
        instances: vec![a, b, c],
        api: client(header(AUTHORIZATION, &format!("Bearer {token}"))),
        database,
    }
}

/// A word no other incident holds: `stem` and `n` spelled in letters, so
/// the analyzer keeps it one token.
fn word(stem: &str, n: usize) -> String {
    let mut letters = String::new();
    let mut n = n;
    loop {
        letters.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            break;
        }
    }
    format!("{stem}{letters}")
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

async fn create(api: &Client, base: &str, title: &str) -> Result<Value, String> {
    let response = api
        .post(format!("{base}/api/v1/incidents"))
        .json(&json!({"title": title, "severity": "SEV3", "services": ["checkout"]}))
        .send()
        .await
        .map_err(|e| format!("no answer: {e}"))?;
    let status = response.status();
    if status != StatusCode::CREATED {
        let body = response.text().await.unwrap_or_default();
        return Err(format!("{status}: {body}"));
    }
    // A body cut off means the instance died while answering.
    response
        .json()
        .await
        .map_err(|e| format!("no answer (body): {e}"))
}

/// `GET url`, which must answer 200 with JSON.
async fn get_json(client: &Client, url: &str) -> Value {
    let response = client.get(url).send().await.expect("an answer");
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    assert_eq!(status, StatusCode::OK, "GET {url}: {body}");
    serde_json::from_str(&body).expect("JSON")
}

/// An incident written at `at`, findable by `word`; the index holds
/// `count` incidents once it is in.
#[derive(Clone)]
struct Written {
    word: String,
    id: i64,
    at: Instant,
    count: u64,
}

/// Whether a search for `written.word` on `base` finds exactly that
/// incident, by an exact (not typo-tolerant) match. Anything but 200 is an error.
async fn finds(api: &Client, base: &str, written: &Written) -> Result<bool, String> {
    let url = format!("{base}/api/v1/search?q={}", encode(&written.word));
    let Ok(response) = api.get(&url).send().await else {
        return Ok(false);
    };
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    if status != StatusCode::OK {
        return Err(format!("GET {url}: {status}: {body}"));
    }
    let body: Value = serde_json::from_str(&body).map_err(|e| e.to_string())?;
    Ok(body["total"] == 1 && body["hits"][0]["id"] == written.id && body["fuzzy"] == false)
}

/// How many incidents the index behind `base` holds (a search for everything).
async fn index_count(api: &Client, base: &str) -> Result<Option<u64>, String> {
    let url = format!("{base}/api/v1/search?q=&limit=1");
    let Ok(response) = api.get(&url).send().await else {
        return Ok(None);
    };
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    if status != StatusCode::OK {
        return Err(format!("GET {url}: {status}: {body}"));
    }
    let body: Value = serde_json::from_str(&body).map_err(|e| e.to_string())?;
    Ok(body["total"].as_u64())
}

/// Polls one instance until every written incident is in its index, then
/// checks that each is found by its word. Each poll is one request, so the
/// polling does not slow the indexers it times: incidents are only added
/// here and the outbox is applied in order, so a count of `written.count`
/// means that incident and every earlier one are in. Returns the largest
/// delay from a write's answer to its incident being searchable there.
async fn find_each(
    api: Client,
    name: &'static str,
    base: String,
    written: Vec<Written>,
) -> Result<Duration, String> {
    let mut worst = Duration::ZERO;
    let mut pending = written.clone();
    while !pending.is_empty() {
        let count = index_count(&api, &base).await?.unwrap_or(0);
        let now = Instant::now();
        pending.retain(|w| {
            let missing = count < w.count;
            if !missing {
                worst = worst.max(now - w.at);
            }
            missing
        });
        if let Some(late) = pending.iter().find(|w| now - w.at > SEARCHABLE_WITHIN) {
            return Err(format!(
                "instance {name}: {:?} (incident {}) not searchable {:?} after its write; \
                 the index holds {count} incidents, {} expected",
                late.word,
                late.id,
                now - late.at,
                late.count,
            ));
        }
        if !pending.is_empty() {
            tokio::time::sleep(POLL).await;
        }
    }
    for w in &written {
        if !finds(&api, &base, w).await? {
            return Err(format!(
                "instance {name}: {:?} does not find incident {}",
                w.word, w.id
            ));
        }
    }
    Ok(worst)
}

/// Asserts every instance finds every written incident within 2 s of its
/// write; returns the largest delay per instance.
async fn searchable_everywhere(
    cluster: &Cluster,
    written: &[Written],
) -> BTreeMap<&'static str, Duration> {
    let mut tasks = tokio::task::JoinSet::new();
    for instance in &cluster.instances {
        let (api, name, base) = (cluster.api.clone(), instance.name, instance.url(""));
        let written = written.to_vec();
        tasks.spawn(async move { (name, find_each(api, name, base, written).await) });
    }
    let mut delays = BTreeMap::new();
    while let Some(joined) = tasks.join_next().await {
        let (name, result) = joined.expect("a polling task");
        match result {
            Ok(delay) => delays.insert(name, delay),
            Err(e) => panic!("{e}\n{}", logs(cluster)),
        };
    }
    delays
}

fn logs(cluster: &Cluster) -> String {
    cluster
        .instances
        .iter()
        .map(|i| format!("--- log of instance {} ---\n{}", i.name, i.log_tail()))
        .collect::<Vec<_>>()
        .join("\n")
}
