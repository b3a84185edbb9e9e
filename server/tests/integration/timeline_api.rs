use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{assert_invalid, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_and_edit_entries_with_versions() {
    let app = spawn_app().await;
    app.create_incident("Disk full").await;
    let r = app
        .post_json(
            "/api/v1/incidents/INC-1/timeline",
            &json!({"kind": "action_taken", "body": "Freed **20 GB**"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let entry: Value = r.json().await.unwrap();
    assert_eq!(entry["kind"], "action_taken");
    assert!(
        entry["body_html"]
            .as_str()
            .unwrap()
            .contains("<strong>20 GB</strong>")
    );
    let id = entry["id"].as_i64().unwrap();

    let edited = app
        .patch_json(
            &format!("/api/v1/incidents/1/timeline/{id}"),
            &json!({"version": 1, "body": "Freed 25 GB"}),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK);
    let edited: Value = edited.json().await.unwrap();
    assert_eq!(edited["version"], 2);
    assert_eq!(edited["body"], "Freed 25 GB");

    let stale = app
        .patch_json(
            &format!("/api/v1/incidents/1/timeline/{id}"),
            &json!({"version": 1, "body": "Freed 30 GB"}),
        )
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let stale: Value = stale.json().await.unwrap();
    assert_eq!(stale["changes"][0]["current"], "Freed 25 GB");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timeline_bad_input_is_named() {
    let app = spawn_app().await;
    app.create_incident("x").await;
    assert_invalid(
        app.post_json("/api/v1/incidents/1/timeline", &json!({"body": "  "}))
            .await,
        "body",
    )
    .await;
    assert_invalid(
        app.post_json(
            "/api/v1/incidents/1/timeline",
            &json!({"body": "x", "kind": "gossip"}),
        )
        .await,
        "kind",
    )
    .await;
    assert_invalid(
        app.post_json(
            "/api/v1/incidents/1/timeline",
            &json!({"body": "x", "kind": "status_change"}),
        )
        .await,
        "kind",
    )
    .await;
    assert_invalid(
        app.post_json(
            "/api/v1/incidents/1/timeline",
            &json!({"body": "x", "occurred_at": "noon"}),
        )
        .await,
        "occurred_at",
    )
    .await;
    let missing = app
        .post_json("/api/v1/incidents/INC-9/timeline", &json!({"body": "x"}))
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let other = app
        .patch_json(
            "/api/v1/incidents/1/timeline/999",
            &json!({"version": 1, "body": "x"}),
        )
        .await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entry_markdown_is_rendered_safely() {
    let app = spawn_app().await;
    app.create_incident("x").await;
    let entry: Value = app
        .post_json(
            "/api/v1/incidents/1/timeline",
            &json!({"body": "<img src=x onerror=alert(1)> [x](javascript:alert(1))"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let html = entry["body_html"].as_str().unwrap();
    assert!(
        !html.contains("<img") && !html.contains("javascript:"),
        "{html}"
    );
    assert!(html.contains("&lt;img"), "{html}");
}
