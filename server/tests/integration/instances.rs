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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_share_writes_searches_sessions_and_versions() {
    if skip() {
        return;
    }
    let _turn = TURN.lock().await;
    let cluster = cluster().await;
    let [a, b, c] = &cluster.instances[..] else {
        unreachable!()
    };
    let api = &cluster.api;

    // One write at a time through A, each timed on its own; B and C read
    // it from the shared database at once.
    let mut one_by_one: BTreeMap<&str, Duration> = BTreeMap::new();
    let mut count = 0;
    for n in 0..5 {
        let word = word("quenda", n);
        let title = format!("Checkout {word} errors");
        let created = create(api, &a.url(""), &title)
            .await
            .expect("a write through A");
        let at = Instant::now();
        count += 1;
        let id = created["id"].as_i64().unwrap();
        for other in [b, c] {
            let read = get_json(api, &other.url(&format!("/api/v1/incidents/{id}"))).await;
            assert_eq!(read["title"], title.as_str(), "read on {}", other.name);
            assert_eq!(read["version"], 1);
        }
        let written = Written {
            word,
            id,
            at,
            count,
        };
        let delays = searchable_everywhere(&cluster, &[written]).await;
        for (name, delay) in delays {
            let worst = one_by_one.entry(name).or_default();
            *worst = (*worst).max(delay);
        }
    }

    // A burst of writes without waiting, each timed from its own answer.
    let mut burst = Vec::new();
    for n in 0..10 {
        let word = word("dunnart", n);
        let created = create(api, &a.url(""), &format!("Payments {word} timeouts"))
            .await
            .expect("a write through A");
        let at = Instant::now();
        count += 1;
        let id = created["id"].as_i64().unwrap();
        burst.push(Written {
            word,
            id,
            at,
            count,
        });
    }
    let in_burst = searchable_everywhere(&cluster, &burst).await;
    println!(
        "largest write→searchable delay per instance, writes through A: \
         one at a time {one_by_one:?}; in a burst of 10 {in_burst:?}"
    );

    // A session made by signing in on A is the session on B and C; signing
    // out on B ends it everywhere.
    let anonymous = client(HeaderMap::new());
    let login = anonymous
        .post(a.url("/api/v1/login"))
        .json(&json!({"email": EMAIL, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let browser = client(header(COOKIE, &session_cookie(&login)));
    for other in [b, c] {
        let me = get_json(&browser, &other.url("/api/v1/me")).await;
        assert_eq!(me["email"], EMAIL, "the session on {}", other.name);
    }
    let logout = browser.post(b.url("/api/v1/logout")).send().await.unwrap();
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    for any in [a, b, c] {
        let me = browser.get(any.url("/api/v1/me")).send().await.unwrap();
        assert_eq!(me.status(), StatusCode::UNAUTHORIZED, "on {}", any.name);
    }

    // A stale write: B read version 1, A saved version 2, B's save of
    // version 1 is refused.
    let created = create(api, &a.url(""), "Contested title").await.unwrap();
    let path = format!("/api/v1/incidents/{}", created["id"]);
    let read_by_b = get_json(api, &b.url(&path)).await;
    assert_eq!(read_by_b["version"], 1);
    let saved = api
        .patch(a.url(&path))
        .json(&json!({"version": 1, "title": "Title from A"}))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
    let stale = api
        .patch(b.url(&path))
        .json(&json!({"version": read_by_b["version"], "title": "Title from B"}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let conflict: Value = stale.json().await.unwrap();
    assert_eq!(conflict["current_version"], 2, "{conflict}");
    let on_c = get_json(api, &c.url(&path)).await;
    assert_eq!(on_c["title"], "Title from A");
    assert_eq!(on_c["version"], 2);
}

/// What a write loop did.
#[derive(Default)]
struct Tally {
    written: AtomicUsize,
    /// Requests that got no answer (the instance was killed).
    unanswered: AtomicUsize,
    /// Answers other than 201: always a server bug here.
    refused: Mutex<Vec<String>>,
}

/// Writes incidents through `base` until `stop`, pausing `pause` between.
async fn write_loop(
    api: Client,
    base: String,
    tag: &'static str,
    tally: Arc<Tally>,
    stop: Arc<AtomicBool>,
    pause: Duration,
) {
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        let title = format!("Writer {tag} incident {}", word("loop", n));
        match create(&api, &base, &title).await {
            Ok(_) => {
                tally.written.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) if e.starts_with("no answer") => {
                tally.unanswered.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => tally.refused.lock().unwrap().push(e),
        }
        n += 1;
        tokio::time::sleep(pause).await;
    }
}

/// Waits until `tally` has written `more` incidents beyond now.
async fn wait_for_writes(tally: &Tally, more: usize, what: &str) {
    let target = tally.written.load(Ordering::Relaxed) + more;
    let deadline = Instant::now() + PROGRESS_WITHIN;
    while tally.written.load(Ordering::Relaxed) < target {
        assert!(
            Instant::now() < deadline,
            "{what}: {more} more writes did not happen within {PROGRESS_WITHIN:?}; refused: {:?}",
            tally.refused.lock().unwrap()
        );
        tokio::time::sleep(POLL).await;
    }
}

/// How many incidents one instance's index holds; `None` without an answer.
async fn index_total(api: &Client, instance: &Instance) -> Option<u64> {
    index_count(api, &instance.url(""))
        .await
        .unwrap_or_else(|e| panic!("instance {}: {e}", instance.name))
}

/// Every incident id, from the database (through `instance`'s list).
async fn database_ids(api: &Client, instance: &Instance) -> BTreeSet<i64> {
    let mut ids = BTreeSet::new();
    loop {
        let url = instance.url(&format!("/api/v1/incidents?limit=200&offset={}", ids.len()));
        let page = get_json(api, &url).await;
        let items = page["items"].as_array().unwrap();
        ids.extend(items.iter().map(|i| i["id"].as_i64().unwrap()));
        if items.is_empty() || ids.len() as u64 >= page["total"].as_u64().unwrap() {
            return ids;
        }
    }
}

/// Every incident id in `instance`'s search index.
async fn indexed_ids(api: &Client, instance: &Instance) -> BTreeSet<i64> {
    let mut ids = BTreeSet::new();
    loop {
        let url = instance.url(&format!(
            "/api/v1/search?q=&sort=date&limit=100&offset={}",
            ids.len()
        ));
        let page = get_json(api, &url).await;
        let hits = page["hits"].as_array().unwrap();
        ids.extend(hits.iter().map(|h| h["id"].as_i64().unwrap()));
        if hits.is_empty() || ids.len() as u64 >= page["total"].as_u64().unwrap() {
            return ids;
        }
    }
}

/// Polls until every instance's index counts `expected` incidents; returns
/// how long each took from `since`.
async fn converge(
    cluster: &Cluster,
    expected: u64,
    since: Instant,
) -> BTreeMap<&'static str, Duration> {
    let deadline = since + CONVERGES_WITHIN;
    let mut took = BTreeMap::new();
    while took.len() < cluster.instances.len() {
        for instance in &cluster.instances {
            if took.contains_key(instance.name) {
                continue;
            }
            if index_total(&cluster.api, instance).await == Some(expected) {
                took.insert(instance.name, since.elapsed());
            }
        }
        if Instant::now() > deadline {
            let mut totals = Vec::new();
            for instance in &cluster.instances {
                totals.push((instance.name, index_total(&cluster.api, instance).await));
            }
            panic!(
                "indexes did not converge to {expected} incidents within {CONVERGES_WITHIN:?}: \
                 {totals:?}\n{}",
                logs(cluster)
            );
        }
        tokio::time::sleep(POLL).await;
    }
    took
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_killed_with_sigkill_catch_up_and_every_index_converges() {
    if skip() {
        return;
    }
    let _turn = TURN.lock().await;
    let mut cluster = cluster().await;
    let api = cluster.api.clone();
    let stop = Arc::new(AtomicBool::new(false));
    let (through_a, through_b) = (Arc::new(Tally::default()), Arc::new(Tally::default()));
    let writer_a = tokio::spawn(write_loop(
        api.clone(),
        cluster.instances[0].url(""),
        "A",
        through_a.clone(),
        stop.clone(),
        Duration::from_millis(10),
    ));
    let writer_b = tokio::spawn(write_loop(
        api.clone(),
        cluster.instances[1].url(""),
        "B",
        through_b.clone(),
        stop.clone(),
        Duration::from_millis(60),
    ));
    wait_for_writes(&through_a, 10, "writes through A before the kill").await;

    // C dies; the others keep writing, and one incident is written only now.
    cluster.instances[2].kill();
    wait_for_writes(&through_a, 15, "writes through A while C is down").await;
    let late_word = word("numbat", 0);
    let late = create(
        &api,
        &cluster.instances[1].url(""),
        &format!("Queue {late_word} backlog"),
    )
    .await
    .expect("a write through B while C is down");
    wait_for_writes(&through_a, 10, "more writes through A while C is down").await;

    // C comes back on its own data directory while the writing goes on,
    // and finds what was written while it was down.
    let restarted = Instant::now();
    cluster.instances[2].restart().await;
    let late = Written {
        word: late_word,
        id: late["id"].as_i64().unwrap(),
        at: restarted,
        count: 0,
    };
    let c = &cluster.instances[2];
    let deadline = restarted + CONVERGES_WITHIN;
    while !finds(&api, &c.url(""), &late).await.unwrap() {
        assert!(
            Instant::now() < deadline,
            "C never found {:?} after its restart\n{}",
            late.word,
            logs(&cluster)
        );
        tokio::time::sleep(POLL).await;
    }
    let c_caught_up = restarted.elapsed();
    wait_for_writes(&through_a, 10, "writes through A after C is back").await;

    // D joins with an empty data directory while the writing goes on: it
    // builds its index from the incidents, then follows the outbox.
    let url = database_url(cluster.database.path()).await.unwrap();
    cluster.instances.push(Instance::start("D", &url).await);
    wait_for_writes(&through_a, 10, "writes through A after D joined").await;

    // A dies in the middle of its write loop; B goes on writing.
    cluster.instances[0].kill();
    wait_for_writes(&through_b, 5, "writes through B after A died").await;
    stop.store(true, Ordering::Relaxed);
    writer_a.await.unwrap();
    writer_b.await.unwrap();
    let restarted_a = Instant::now();
    cluster.instances[0].restart().await;

    // Every index converges to the database, A's too.
    let expected =
        get_json(&api, &cluster.instances[1].url("/api/v1/incidents?limit=1")).await["total"]
            .as_u64()
            .unwrap();
    let took = converge(&cluster, expected, restarted_a).await;
    let in_database = database_ids(&api, &cluster.instances[1]).await;
    assert_eq!(in_database.len() as u64, expected);
    for instance in &cluster.instances {
        assert_eq!(
            indexed_ids(&api, instance).await,
            in_database,
            "the incidents in {}'s index",
            instance.name
        );
    }
    for tally in [&through_a, &through_b] {
        assert!(
            tally.refused.lock().unwrap().is_empty(),
            "a live instance refused a write: {:?}",
            tally.refused.lock().unwrap()
        );
    }
    assert_eq!(through_b.unanswered.load(Ordering::Relaxed), 0);
    println!(
        "{expected} incidents ({} through A, {} unanswered after A died; {} through B); \
         C found the write made while it was down {c_caught_up:?} after its restart began; \
         D joined during the writes; after A's restart began, each index matched the \
         database after {took:?}",
        through_a.written.load(Ordering::Relaxed),
        through_a.unanswered.load(Ordering::Relaxed),
        through_b.written.load(Ordering::Relaxed),
    );
}

/// The first admin's invitation link in an instance's log, if it printed one.
fn invitation_link(log: &str) -> Option<String> {
    let start = log.find("/invite/")?;
    let link = log[start..].split_whitespace().next()?;
    Some(link.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_started_at_once_on_a_new_database_all_serve_and_one_invitation_works() {
    if skip() {
        return;
    }
    let _turn = TURN.lock().await;
    let database = tempfile::tempdir().expect("temp dir");
    let url = database_url(database.path())
        .await
        .expect("a PostgreSQL database");
    // All three migrate and prepare the first admin at the same moment.
    let (a, b, c) = tokio::join!(
        Instance::start("A", &url),
        Instance::start("B", &url),
        Instance::start("C", &url)
    );
    let links: Vec<String> = [&a, &b, &c]
        .iter()
        .filter_map(|i| invitation_link(&i.log_tail()))
        .collect();
    assert_eq!(links.len(), 1, "one instance prints the link: {links:?}");
    let accepted = client(HeaderMap::new())
        .post(c.url(&links[0]))
        .form(&[
            ("password", "first admin password"),
            ("confirm_password", "first admin password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        accepted.status(),
        StatusCode::SEE_OTHER,
        "the printed link works on any instance"
    );
}
