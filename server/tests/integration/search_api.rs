//! Search over HTTP, the indexer's consistency, and hostile queries.
use std::sync::Arc;
use std::time::Duration;

use app::model::{Caller, IncidentInput};
use app::port::{Actor, Channel};
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::search::{Indexer, Request, SearchIndex, parse_query};
use server::service::IncidentService;

use crate::helpers::{TestApp, spawn_app};

/// Polls until `q` finds `expected` hits; the indexer runs beside the app.
async fn search_until(app: &TestApp, q: &str, expected: u64) -> Value {
    let url = app.url(&format!("/api/v1/search?q={}", urlencode(q)));
    for _ in 0..200 {
        let body: Value = app
            .client
            .get(&url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if body["total"] == expected {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let last: Value = app
        .client
        .get(&url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    panic!("{q:?} never reached {expected} hits: {last}");
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_incident_becomes_searchable_with_the_documented_shape() {
    let app = spawn_app().await;
    app.post_json("/api/v1/incidents", &json!({"title": "Kafka consumer lag on orders", "severity": "SEV2", "services": ["orders"], "tags": ["kafka"], "summary": "Consumers stalled after a rebalance storm."})).await;
    app.post_json(
        "/api/v1/incidents",
        &json!({"title": "Orders page slow", "severity": "SEV3", "services": ["orders"]}),
    )
    .await;
    let body = search_until(&app, "rebalancing consumers", 1).await;
    let hit = &body["hits"][0];
    for key in [
        "id",
        "title",
        "severity",
        "status",
        "started_at",
        "snippet",
        "score",
    ] {
        assert!(hit.get(key).is_some(), "hit has {key}: {hit}");
    }
    assert_eq!(hit["title"], "Kafka consumer lag on orders");
    assert!(hit["snippet"].as_str().unwrap().contains("<mark>"), "{hit}");
    assert!(body["took_ms"].is_number());
    for facet in ["severity", "status", "service", "tag", "year"] {
        assert!(body["facets"][facet].is_array(), "facet {facet}: {body}");
    }

    let all = search_until(&app, "", 2).await;
    assert_eq!(
        all["facets"]["service"][0],
        json!({"value": "orders", "count": 2})
    );
    let filtered = search_until(&app, "service:orders severity:sev3", 1).await;
    assert_eq!(filtered["hits"][0]["title"], "Orders page slow");

    // An edit is searchable too: the old words go, the new ones come.
    let changed = app
        .patch_json(
            "/api/v1/incidents/2",
            &json!({"version": 1, "title": "Orders page slow after CDN purge"}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    search_until(&app, "cdn purge", 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn similar_incidents_name_shared_words_and_the_fix() {
    let app = spawn_app().await;
    app.post_json("/api/v1/incidents", &json!({"title": "Redis memory eviction storm", "severity": "SEV2", "summary": "Cache evictions spiked after a key explosion.\n\nWhat fixed it: raising maxmemory and fixing the key expiry."})).await;
    app.post_json("/api/v1/incidents", &json!({"title": "Unrelated certificate expiry", "severity": "SEV3", "summary": "TLS certificate expired."})).await;
    app.post_json("/api/v1/incidents", &json!({"title": "Redis evictions again", "severity": "SEV2", "summary": "Key explosion caused cache evictions."})).await;
    search_until(&app, "", 3).await;
    let similar: Value = app
        .get("/api/v1/incidents/INC-3/similar?limit=5")
        .await
        .json()
        .await
        .unwrap();
    let first = &similar["hits"][0];
    assert_eq!(first["id"], 1, "{similar}");
    let terms: Vec<&str> = first["matched_terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(
        terms.contains(&"redi") || terms.contains(&"evict"),
        "{terms:?}"
    );
    assert!(first["resolution"].as_str().unwrap().contains("maxmemory"));
    assert!(
        similar["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["id"] != 3),
        "never itself"
    );
    assert_eq!(
        app.get("/api/v1/incidents/INC-99/similar").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_queries_get_results_or_a_clear_4xx() {
    let app = spawn_app().await;
    app.create_incident("Something to find").await;
    let long_token = "x".repeat(16 * 1024);
    let nested = format!("{}x{}", "(".repeat(30), ")".repeat(30));
    for q in [
        "- *",
        "a:(^",
        nested.as_str(),
        "\"unclosed",
        "a~99",
        "\u{1}\u{7f}ctrl",
        "",
        "severity:sev9",
        long_token.as_str(),
    ] {
        let r = app.get(&format!("/api/v1/search?q={}", urlencode(q))).await;
        let status = r.status();
        assert!(
            status == StatusCode::OK || status == StatusCode::BAD_REQUEST,
            "{q:.40}: {status}"
        );
        let body: Value = r.json().await.unwrap();
        if status == StatusCode::BAD_REQUEST {
            assert!(
                body["message"]
                    .as_str()
                    .unwrap()
                    .contains("q must be at most"),
                "{body}"
            );
        }
    }
    let bad_limit = app.get("/api/v1/search?q=x&limit=100000").await;
    assert_eq!(bad_limit.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.anonymous
            .get(app.url("/api/v1/search?q=x"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

async fn seeded_registry(
    dir: &std::path::Path,
    count: usize,
) -> (Arc<dyn server::store::Store>, Arc<SearchIndex>) {
    let store = crate::backend::open_store(dir).await;
    let index = Arc::new(SearchIndex::open(&dir.join("index")).unwrap());
    let service = IncidentService::new(store.clone(), index.clone());
    let system = Actor::new(Caller::System, Channel::Cli);
    for n in 0..count {
        let input = IncidentInput {
            title: format!("Seeded incident number {n}"),
            severity: "SEV3".into(),
            ..Default::default()
        };
        service.create(input, &system).await.unwrap();
    }
    (store, index)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_indexer_resumes_from_its_committed_position() {
    let dir = tempfile::tempdir().unwrap();
    let (store, index) = seeded_registry(dir.path(), 12).await;
    {
        let mut indexer = Indexer::new(index.clone(), store.clone()).unwrap();
        assert_eq!(indexer.apply_batch(5).await.unwrap(), 5);
        // Stopped here: five applied and committed, seven still in the outbox.
    }
    drop(index);
    let reopened = Arc::new(SearchIndex::open(&dir.path().join("index")).unwrap());
    assert_eq!(reopened.position().unwrap(), Some(5));
    assert_eq!(reopened.num_docs(), 5);
    let mut indexer = Indexer::new(reopened.clone(), store.clone()).unwrap();
    indexer.catch_up().await.unwrap();
    assert_eq!(reopened.num_docs(), 12);
    assert_eq!(indexer.position(), store.outbox_head().await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_index_is_rebuilt_at_start_while_the_app_serves() {
    let dir = tempfile::tempdir().unwrap();
    let (_, index) = seeded_registry(dir.path(), 7).await;
    drop(index);
    std::fs::write(
        dir.path().join("index").join("meta.json"),
        b"{ this is not an index",
    )
    .unwrap();
    let reopened = SearchIndex::open(&dir.path().join("index")).unwrap();
    assert_eq!(
        reopened.position().unwrap(),
        None,
        "an unreadable index starts again, empty"
    );
    drop(reopened);
    let store = crate::backend::open_store(dir.path()).await;
    let index = Arc::new(SearchIndex::open(&dir.path().join("index")).unwrap());
    let mut indexer = Indexer::new(index.clone(), store).unwrap();
    indexer.start().await.unwrap();
    assert_eq!(index.num_docs(), 7, "rebuilt from the database");
}

/// The ids of a search on `index` itself, best first.
fn rebuilt_search(index: &SearchIndex, q: &str) -> app::model::SearchResults {
    let parsed = parse_query(q).unwrap();
    let request = Request {
        query: &parsed,
        limit: 10,
        offset: 0,
        by_date: false,
    };
    index.search(&request).unwrap()
}

fn rebuilt_hits(index: &SearchIndex, q: &str) -> Vec<i64> {
    rebuilt_search(index, q).hits.iter().map(|h| h.id).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rebuild_reads_timelines_postmortems_and_factors_in_bulk_like_the_outbox_does() {
    let app = spawn_app().await;
    let (id, postmortem) = crate::postmortems::started(&app, "heroku").await;
    let version = postmortem["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "what_happened")
        .unwrap()["version"]
        .as_i64()
        .unwrap();
    let saved = crate::postmortems::save(
        &app,
        &id,
        "what_happened",
        version,
        "The zeppelin cache expired.",
    )
    .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let entry = json!({"kind": "action_taken", "body": "Restarted the quokka proxy"});
    app.post_json(&format!("/api/v1/incidents/{id}/timeline"), &entry)
        .await;
    crate::factors::add(&app, &id, "config change", "A marmot flag flipped").await;
    app.create_incident("Unrelated quiet incident").await;
    // Several incidents without any of those words sit in the same page.
    for n in 0..3 {
        app.create_incident(&format!("Filler incident {n}")).await;
    }
    search_until(&app, "marmot", 1).await;

    let dir = tempfile::tempdir().unwrap();
    let store = crate::backend::open_store(app.data_dir()).await;
    let fresh = Arc::new(SearchIndex::open(&dir.path().join("index")).unwrap());
    let mut indexer = Indexer::new(fresh.clone(), store).unwrap();
    assert_eq!(indexer.rebuild(&|_| {}).await.unwrap(), 5);
    assert_eq!(fresh.num_docs(), 5);
    let incident_id = 1;
    for word in ["zeppelin", "quokka", "marmot", "database"] {
        assert_eq!(rebuilt_hits(&fresh, word), [incident_id], "{word}");
        let served = search_until(&app, word, 1).await;
        assert_eq!(served["hits"][0]["id"], incident_id, "{word}");
    }
    assert_eq!(rebuilt_hits(&fresh, "filler").len(), 3);
    let factor = rebuilt_hits(&fresh, "factor:config_change");
    assert_eq!(factor, [incident_id], "the factor facet is rebuilt too");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rebuilt_index_is_one_segment() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = seeded_registry(dir.path(), 60).await;
    let fresh = Arc::new(SearchIndex::open(&dir.path().join("rebuilt")).unwrap());
    let mut indexer = Indexer::new(fresh.clone(), store).unwrap();
    assert_eq!(indexer.rebuild(&|_| {}).await.unwrap(), 60);
    assert_eq!(fresh.num_docs(), 60);
    assert_eq!(fresh.segment_count(), 1, "merged after the rebuild");
    assert_eq!(rebuilt_hits(&fresh, "\"incident number 17\"").len(), 1);
    assert_eq!(rebuilt_hits(&fresh, "seeded").len(), 10);
}

fn rebuilt_total(index: &SearchIndex, q: &str) -> u64 {
    rebuilt_search(index, q).total
}

/// A rebuild learns which words are common (their adjacent pairs answer
/// phrases), commits them with the index, and later writes use the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rebuild_learns_common_words_that_outlive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = seeded_registry(dir.path(), 120).await;
    let path = dir.path().join("rebuilt");
    let fresh = Arc::new(SearchIndex::open(&path).unwrap());
    assert!(fresh.common_words().is_empty());
    let mut indexer = Indexer::new(fresh.clone(), store.clone()).unwrap();
    indexer.rebuild(&|_| {}).await.unwrap();
    let learnt = fresh.common_words().sorted();
    for word in ["incid", "number", "seed"] {
        assert!(
            learnt.contains(&word.to_string()),
            "{word} not in {learnt:?}"
        );
    }
    assert_eq!(rebuilt_total(&fresh, "\"seeded incident\""), 120);
    assert_eq!(rebuilt_hits(&fresh, "\"incident number 17\""), vec![18]);
    assert_eq!(rebuilt_total(&fresh, "\"incident seeded\""), 0);
    drop((indexer, fresh));

    let reopened = Arc::new(SearchIndex::open(&path).unwrap());
    assert_eq!(reopened.common_words().sorted(), learnt);
    let service = IncidentService::new(store.clone(), reopened.clone());
    let input = IncidentInput {
        title: "Seeded incident number 120".into(),
        severity: "SEV3".into(),
        ..Default::default()
    };
    service
        .create(input, &Actor::new(Caller::System, Channel::Cli))
        .await
        .unwrap();
    let mut indexer = Indexer::new(reopened.clone(), store).unwrap();
    indexer.catch_up().await.unwrap();
    assert_eq!(rebuilt_total(&reopened, "\"seeded incident\""), 121);
    assert_eq!(rebuilt_hits(&reopened, "\"incident number 120\"").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_writer_lock_file_does_not_block_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let (store, index) = seeded_registry(dir.path(), 2).await;
    drop(index);
    // What a killed process leaves behind: the lock file, with no lock held.
    std::fs::write(dir.path().join("index").join(".tantivy-writer.lock"), b"").unwrap();
    let index = Arc::new(SearchIndex::open(&dir.path().join("index")).unwrap());
    let mut indexer = Indexer::new(index.clone(), store).expect("the writer starts");
    indexer.start().await.unwrap();
    assert_eq!(index.num_docs(), 2);
}

/// Runs one SQL statement from inside a synchronous callback.
fn execute_now(dir: &std::path::Path, sql: &str) {
    tokio::task::block_in_place(|| {
        tokio::runtime::Handle::current().block_on(crate::backend::execute(dir, sql))
    })
    .unwrap();
}

/// A rebuild that fails half way (here the incidents table vanishes after
/// its first page) publishes nothing: searches keep the last commit, its
/// position and its common words, and the outbox and a later rebuild go on
/// from there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rebuild_that_fails_half_way_leaves_the_last_commit_serving() {
    let dir = tempfile::tempdir().unwrap();
    // One more than a rebuild reads per step, so it takes two steps.
    let (store, index) = seeded_registry(dir.path(), 501).await;
    let mut indexer = Indexer::new(index.clone(), store.clone()).unwrap();
    indexer.catch_up().await.unwrap();
    let position = index.position().unwrap();
    assert_eq!(rebuilt_total(&index, "seeded"), 501);
    assert!(index.common_words().is_empty(), "no rebuild has run yet");

    let data = dir.path().to_path_buf();
    // After the first step, whatever a step's size: the next read fails.
    let first_step = std::sync::Once::new();
    let failed = indexer
        .rebuild(&|_done| {
            first_step
                .call_once(|| execute_now(&data, "ALTER TABLE incidents RENAME TO incidents_away"))
        })
        .await;
    assert!(failed.is_err(), "the second step cannot read the incidents");
    assert_eq!(index.position().unwrap(), position);
    assert_eq!(index.num_docs(), 501);
    assert_eq!(
        rebuilt_total(&index, "seeded"),
        501,
        "the old index still answers"
    );
    assert!(
        index.common_words().is_empty(),
        "the failed rebuild's common words were not published"
    );

    execute_now(dir.path(), "ALTER TABLE incidents_away RENAME TO incidents");
    let service = IncidentService::new(store.clone(), index.clone());
    let input = IncidentInput {
        title: "Seeded incident number 501".into(),
        severity: "SEV3".into(),
        ..Default::default()
    };
    let system = Actor::new(Caller::System, Channel::Cli);
    service.create(input, &system).await.unwrap();
    indexer.catch_up().await.unwrap();
    assert_eq!(
        rebuilt_total(&index, "seeded"),
        502,
        "the next batch did not publish the failed rebuild's delete-all"
    );
    assert_eq!(rebuilt_hits(&index, "\"incident number 501\"").len(), 1);

    assert_eq!(indexer.rebuild(&|_| {}).await.unwrap(), 502);
    assert_eq!(rebuilt_total(&index, "seeded"), 502);
    assert!(!index.common_words().is_empty(), "learnt by the rebuild");
}
