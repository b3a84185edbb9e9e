use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_returns_201_with_id_human_id_and_declared_at() {
    let app = spawn_app().await;
    let created = app.create_incident("Checkout down").await;
    assert_eq!(created["id"], 1);
    assert_eq!(created["human_id"], "INC-1");
    assert_eq!(created["status"], "investigating");
    assert_eq!(created["severity"], "SEV2");
    assert_eq!(created["version"], 1);
    assert!(created["declared_at"].is_string());
    assert_eq!(
        created["timestamp_sources"]["declared"]["source"],
        "automatic"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_accepts_number_and_human_id() {
    let app = spawn_app().await;
    app.create_incident("First").await;
    for path in [
        "/api/v1/incidents/1",
        "/api/v1/incidents/INC-1",
        "/api/v1/incidents/inc-1",
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["title"], "First");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_filters_counts_and_pages() {
    let app = spawn_app().await;
    for (title, severity, service) in [
        ("A", "SEV1", "checkout"),
        ("B", "SEV2", "auth"),
        ("C", "SEV1", "auth"),
    ] {
        let r = app
            .post_json(
                "/api/v1/incidents",
                &json!({"title": title, "severity": severity, "services": [service]}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let all: Value = app.get("/api/v1/incidents").await.json().await.unwrap();
    assert_eq!(all["total"], 3);
    let titles: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, vec!["C", "B", "A"], "newest first");

    let sev1: Value = app
        .get("/api/v1/incidents?severity=sev1&service=auth")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sev1["total"], 1);
    assert_eq!(sev1["items"][0]["title"], "C");

    let page: Value = app
        .get("/api/v1/incidents?limit=2&offset=2")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 3);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["title"], "A");

    let counts: Value = app
        .get("/api/v1/incidents?service=auth")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        counts["counts"]["by_severity"],
        json!([["SEV1", 1], ["SEV2", 1]])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patch_updates_fields_and_bumps_version() {
    let app = spawn_app().await;
    app.create_incident("Typo in titel").await;
    let r = app.patch_json("/api/v1/incidents/INC-1", &json!({"version": 1, "title": "Typo in title", "tags": ["dns", "Edge Cache"], "commander": "Ana"})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["title"], "Typo in title");
    assert_eq!(body["tags"], json!(["dns", "edge-cache"]));
    assert_eq!(body["commander"], "Ana");
    assert_eq!(body["version"], 2);
    let cleared: Value = app
        .patch_json(
            "/api/v1/incidents/1",
            &json!({"version": 2, "commander": null}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cleared["commander"], Value::Null);
    assert_eq!(cleared["version"], 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_version_gets_409_with_what_changed() {
    let app = spawn_app().await;
    app.create_incident("Original").await;
    let first = app
        .patch_json(
            "/api/v1/incidents/1",
            &json!({"version": 1, "title": "Alice's title"}),
        )
        .await;
    assert_eq!(first.status(), StatusCode::OK);
    let stale = app
        .patch_json(
            "/api/v1/incidents/1",
            &json!({"version": 1, "title": "Bob's title"}),
        )
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let body: Value = stale.json().await.unwrap();
    assert_eq!(body["error"], "conflict");
    assert_eq!(body["current_version"], 2);
    assert_eq!(
        body["changes"],
        json!([{"field": "title", "current": "Alice's title", "yours": "Bob's title"}])
    );
    let now: Value = app.get("/api/v1/incidents/1").await.json().await.unwrap();
    assert_eq!(now["title"], "Alice's title", "nothing was overwritten");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_change_sets_timestamp_and_writes_timeline() {
    let app = spawn_app().await;
    app.create_incident("Flapping").await;
    let identified: Value = app
        .patch_json(
            "/api/v1/incidents/1",
            &json!({"version": 1, "status": "identified", "note": "Bad deploy"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(identified["acknowledged_at"].is_string());
    assert_eq!(
        identified["timestamp_sources"]["acknowledged"],
        json!({"source": "automatic", "set_by": "Kenji"})
    );

    let resolved: Value = app
        .patch_json(
            "/api/v1/incidents/1",
            &json!({"version": 2, "status": "resolved"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(resolved["resolved_at"].is_string());
    assert!(
        resolved["mitigated_at"].is_string(),
        "resolving marks mitigation when never recorded"
    );

    let reopened: Value = app
        .patch_json(
            "/api/v1/incidents/1",
            &json!({"version": 3, "status": "monitoring"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        reopened["resolved_at"],
        Value::Null,
        "reopening clears resolved_at"
    );
    assert_eq!(reopened["status"], "monitoring");

    let timeline: Value = app
        .get("/api/v1/incidents/1/timeline")
        .await
        .json()
        .await
        .unwrap();
    let bodies: Vec<&str> = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "status_change")
        .map(|e| e["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies.len(), 4, "declared + three changes: {bodies:?}");
    assert!(
        bodies[1].contains("**Investigating** to **Identified**")
            && bodies[1].contains("Bad deploy"),
        "{}",
        bodies[1]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn given_timestamp_wins_over_automatic_one() {
    let app = spawn_app().await;
    app.create_incident("Late paperwork").await;
    let body: Value = app
        .patch_json("/api/v1/incidents/1", &json!({"version": 1, "status": "resolved", "resolved_at": "2026-01-02T03:04:05Z", "mitigated_at": "2026-01-02T03:00:00Z", "started_at": "2026-01-02T02:00:00Z", "declared_at": "2026-01-02T02:30:00Z"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["resolved_at"], "2026-01-02T03:04:05Z");
    assert_eq!(body["timestamp_sources"]["resolved"]["source"], "manual");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_incident_can_be_recorded_after_the_fact() {
    let app = spawn_app().await;
    let r = app
        .post_json(
            "/api/v1/incidents",
            &json!({"title": "Old outage", "severity": "SEV1", "status": "resolved", "started_at": "2025-03-01T10:00:00Z", "detected_at": "2025-03-01T10:05:00Z",
                    "declared_at": "2025-03-01T10:06:00Z", "acknowledged_at": "2025-03-01T10:07:00Z", "mitigated_at": "2025-03-01T11:00:00Z", "resolved_at": "2025-03-01T12:00:00Z"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["status"], "resolved");
    assert_eq!(body["declared_at"], "2025-03-01T10:06:00Z");
    assert_eq!(body["timestamp_sources"]["declared"]["source"], "manual");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_links_and_declined_reasons_are_kept() {
    let app = spawn_app().await;
    app.create_incident("Original").await;
    app.create_incident("Same thing").await;
    let dup: Value = app
        .patch_json(
            "/api/v1/incidents/2",
            &json!({"version": 1, "status": "duplicate", "duplicate_of": "INC-1"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(dup["duplicate_of"]["human_id"], "INC-1");
    assert_eq!(dup["duplicate_of"]["title"], "Original");
    let declined: Value = app
        .patch_json(
            "/api/v1/incidents/1",
            &json!({"version": 1, "status": "declined", "decline_reason": "test alert"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(declined["decline_reason"], "test alert");
    let repeat = app
        .post_json(
            "/api/v1/incidents",
            &json!({"title": "Again", "severity": "SEV3", "repeat_of": "1"}),
        )
        .await;
    let repeat: Value = repeat.json().await.unwrap();
    assert_eq!(repeat["repeat_of"]["id"], 1);
}
