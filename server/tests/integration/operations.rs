//! Health, readiness, metrics and graceful shutdown: what operators and
//! their tools see.
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use server::config::ServeConfig;
use server::search::SearchIndex;
use server::startup::Application;
use tokio::sync::watch;

use crate::helpers::{spawn_app, spawn_with};

const METRICS_TOKEN: &str = "scrape-me-0123456789";

async fn config_in(dir: &std::path::Path) -> ServeConfig {
    let mut config = ServeConfig::for_data_dir(dir.to_path_buf(), "127.0.0.1:0".parse().unwrap());
    crate::backend::configure(&mut config).await;
    config
}

/// Polls `/readyz` until it answers 200; returns the last body.
async fn wait_ready(base: &str) -> Value {
    let client = reqwest::Client::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let response = client.get(format!("{base}/readyz")).send().await.unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        if status == StatusCode::OK {
            return body;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never ready: {body}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn livez_and_readyz_answer_anyone_without_a_session() {
    let app = spawn_app().await;
    let live = app.anonymous.get(app.url("/livez")).send().await.unwrap();
    assert_eq!(live.status(), StatusCode::OK);
    assert_eq!(live.text().await.unwrap(), "ok\n");

    let body = wait_ready(&app.url("")).await;
    assert_eq!(body["ready"], true);
    let names: Vec<&str> = body["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["database", "search_index"]);
    assert!(
        body["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["ok"] == true)
    );
    // A bearer header that is not an API token does not get in the way.
    let with_junk = app
        .anonymous
        .get(app.url("/readyz"))
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(with_junk.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_is_503_with_the_reason_until_the_index_is_built() {
    let dir = tempfile::tempdir().unwrap();
    let app = Application::build(&config_in(dir.path()).await)
        .await
        .unwrap();
    // Built but not serving: the indexer has not run, so the index is not
    // ready, and the answer says why.
    let before = app.service().readiness().await;
    assert!(!before.ready);
    assert!(before.checks[0].ok, "the database answers: {before:?}");
    assert!(!before.checks[1].ok);
    assert!(before.checks[1].detail.contains("not built"), "{before:?}");

    let base = format!("http://{}", app.addr());
    let (stop, stopping) = watch::channel(false);
    let serving = tokio::spawn(app.serve_until(stopping));
    let after = wait_ready(&base).await;
    assert_eq!(after["checks"][1]["ok"], true);
    stop.send(true).unwrap();
    serving.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_not_served_on_the_main_address_unless_a_token_is_set() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.text().await.unwrap().contains("--metrics-token"));

    let guarded = spawn_with(|c| c.metrics_token = Some(METRICS_TOKEN.into())).await;
    let anonymous = guarded
        .anonymous
        .get(guarded.url("/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    // A signed-in person is not a metrics scraper.
    let person = guarded
        .client
        .get(guarded.url("/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(person.status(), StatusCode::UNAUTHORIZED);
    let wrong = guarded
        .anonymous
        .get(guarded.url("/metrics"))
        .bearer_auth("scrape-me-0123456788")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let right = guarded
        .anonymous
        .get(guarded.url("/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), StatusCode::OK);
    assert!(
        right
            .text()
            .await
            .unwrap()
            .contains("firebreak_http_requests_total")
    );
}

/// The value of the sample `name{labels}` in a text exposition.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_requests_by_route_searches_lag_pools_and_open_incidents() {
    let app = spawn_with(|c| c.metrics_token = Some(METRICS_TOKEN.into())).await;
    let created = app
        .post_json(
            "/api/v1/incidents",
            &json!({"title": "Checkout down", "severity": "SEV1"}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let sev1: Value = created.json().await.unwrap();
    app.create_incident("DNS flapping").await;
    let id = sev1["id"].as_i64().unwrap();
    for _ in 0..3 {
        let shown = app.get(&format!("/api/v1/incidents/{id}")).await;
        assert_eq!(shown.status(), StatusCode::OK);
    }
    let missing = app.get("/api/v1/incidents/999999").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let searched = app.get("/api/v1/search?q=checkout").await;
    assert_eq!(searched.status(), StatusCode::OK);
    // The indexer follows the outbox every 100 ms: wait until it caught up.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let text = loop {
        let text = app
            .anonymous
            .get(app.url("/metrics"))
            .bearer_auth(METRICS_TOKEN)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if sample(&text, "firebreak_index_lag_rows") == Some(0.0) {
            break text;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the index never caught up: {text}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let route = r#"firebreak_http_requests_total{method="GET",route="/api/v1/incidents/{id}""#;
    assert_eq!(
        sample(&text, &format!(r#"{route},status="200"}}"#)),
        Some(3.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, &format!(r#"{route},status="404"}}"#)),
        Some(1.0)
    );
    assert!(
        sample(
            &text,
            r#"firebreak_http_request_duration_seconds_count{method="GET",route="/api/v1/incidents/{id}"}"#
        ) == Some(4.0)
    );
    // The raw path never becomes a label.
    assert!(!text.contains("/api/v1/incidents/999999"));
    assert!(
        sample(
            &text,
            r#"firebreak_search_duration_seconds_count{kind="query"}"#
        ) >= Some(1.0)
    );
    assert_eq!(
        sample(&text, r#"firebreak_open_incidents{severity="sev1"}"#),
        Some(1.0)
    );
    assert_eq!(
        sample(&text, r#"firebreak_open_incidents{severity="sev2"}"#),
        Some(1.0)
    );
    assert_eq!(
        sample(&text, r#"firebreak_open_incidents{severity="sev4"}"#),
        Some(0.0)
    );
    assert_eq!(sample(&text, "firebreak_index_lag_seconds"), Some(0.0));
    assert_eq!(sample(&text, "firebreak_index_documents"), Some(2.0));
    let head = sample(&text, "firebreak_outbox_head").unwrap();
    assert!(head >= 2.0);
    assert_eq!(sample(&text, "firebreak_index_position"), Some(head));
    assert!(text.contains(r#"firebreak_db_pool_connections{pool="#));
    assert!(text.ends_with("# EOF\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_separate_metrics_address_serves_metrics_and_health_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_in(dir.path()).await;
    config.metrics_addr = Some("127.0.0.1:0".parse().unwrap());
    let app = Application::build(&config).await.unwrap();
    let monitoring = format!("http://{}", app.metrics_addr().expect("a metrics listener"));
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::new();
    let metrics = client
        .get(format!("{monitoring}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.status(), StatusCode::OK);
    assert!(
        metrics
            .text()
            .await
            .unwrap()
            .contains("firebreak_open_incidents")
    );
    wait_ready(&monitoring).await;
    let live = client
        .get(format!("{monitoring}/livez"))
        .send()
        .await
        .unwrap();
    assert_eq!(live.status(), StatusCode::OK);
    let page = client
        .get(format!("{monitoring}/incidents"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_ends_event_streams_finishes_and_commits_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_in(dir.path()).await;
    let app = Application::build(&config).await.unwrap();
    let base = format!("http://{}", app.addr());
    let (stop, stopping) = watch::channel(false);
    let serving = tokio::spawn(app.serve_until(stopping));
    wait_ready(&base).await;

    // A responder, an incident and an open postmortem event stream.
    let store = crate::backend::open_store(dir.path()).await;
    let accounts = server::service::AccountService::new(store, Default::default());
    let operator = app::port::Actor::new(app::model::Caller::System, app::port::Channel::Cli);
    accounts
        .add_user(
            &operator,
            "ops@example.com",
            None,
            app::domain::Role::Responder,
            crate::helpers::PASSWORD.into(),
        )
        .await
        .unwrap();
    let token = accounts
        .create_token_for(&operator, "ops@example.com", "test")
        .await
        .unwrap()
        .secret;
    let client = reqwest::Client::new();
    let created: Value = client
        .post(format!("{base}/api/v1/incidents"))
        .bearer_auth(&token)
        .json(&json!({"title": "Written just before the stop", "severity": "SEV3"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    let started = client
        .post(format!("{base}/api/v1/incidents/{id}/postmortem"))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert!(started.status().is_success(), "{:?}", started.text().await);
    let events = client
        .get(format!("{base}/api/v1/incidents/{id}/postmortem/events"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(events.status(), StatusCode::OK);

    stop.send(true).unwrap();
    // The open stream ends instead of holding the shutdown up, and the
    // server returns cleanly (a hang fails here rather than timing anything).
    let body = tokio::time::timeout(Duration::from_secs(30), events.text())
        .await
        .expect("the event stream ends when the server stops")
        .unwrap_or_default();
    assert!(
        body.contains("data:"),
        "the stream said hello first: {body:?}"
    );
    tokio::time::timeout(Duration::from_secs(60), serving)
        .await
        .expect("the server stops")
        .unwrap()
        .unwrap();
    // The index on disk holds everything the database does.
    let index = SearchIndex::open(&dir.path().join("index")).unwrap();
    let store = crate::backend::open_store(dir.path()).await;
    assert_eq!(
        index.position().unwrap(),
        Some(store.outbox_head().await.unwrap())
    );
    assert_eq!(index.num_docs(), 1);
}

/// The database URL a process should use in this leg: empty for the
/// embedded file in its own data directory.
async fn process_database_url() -> String {
    let dir = tempfile::tempdir().unwrap();
    config_in(dir.path())
        .await
        .storage
        .database_url
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_writes_exits_zero_keeps_every_acknowledged_write_and_restarts() {
    let url = process_database_url().await;
    let mut instance = crate::processes::Instance::start("sigterm", &url).await;
    let data_dir = instance.data_dir().to_string_lossy().to_string();
    let mut storage = vec!["--data-dir".to_string(), data_dir];
    if !url.is_empty() {
        storage.extend(["--database-url".to_string(), url]);
    }
    let storage: Vec<&str> = storage.iter().map(String::as_str).collect();
    let mut add = vec![
        "user",
        "add",
        "--email",
        "ops@example.com",
        "--admin",
        "--password-stdin",
    ];
    add.extend(&storage);
    crate::processes::cli(&add, Some("a long enough password\n"));
    let mut create = vec!["token", "create", "--email", "ops@example.com"];
    create.extend(&storage);
    let out = crate::processes::cli(&create, None);
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();

    // Eight writers post incidents until the server goes away.
    let client = reqwest::Client::new();
    let mut writers = Vec::new();
    for w in 0..8 {
        let (client, token, url) = (
            client.clone(),
            token.clone(),
            instance.url("/api/v1/incidents"),
        );
        writers.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            for n in 0.. {
                let title = format!("writer {w} incident {n}");
                let sent = client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&json!({"title": title, "severity": "SEV3"}))
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status() == StatusCode::CREATED => acknowledged.push(title),
                    Ok(r) => panic!("a write failed while stopping: {}", r.status()),
                    Err(_) => break,
                }
            }
            acknowledged
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let status = instance.terminate();
    assert_eq!(status.code(), Some(0), "{}", instance.log_tail());
    let mut acknowledged = Vec::new();
    for writer in writers {
        acknowledged.extend(writer.await.unwrap());
    }
    assert!(!acknowledged.is_empty(), "the writers wrote something");

    instance.start_again().await;
    wait_ready(&instance.url("")).await;
    let mut titles = Vec::new();
    loop {
        let path = format!("/api/v1/incidents?limit=100&offset={}", titles.len());
        let page: Value = client
            .get(instance.url(&path))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let items = page["items"].as_array().expect("a page of incidents");
        if items.is_empty() {
            break;
        }
        titles.extend(
            items
                .iter()
                .map(|i| i["title"].as_str().unwrap().to_string()),
        );
    }
    for title in &acknowledged {
        assert!(
            titles.contains(title),
            "{title} was acknowledged, then lost"
        );
    }
    assert!(instance.log_tail().contains("search index committed"));
}
