use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_writers_all_succeed() {
    let app = std::sync::Arc::new(spawn_app().await);
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                app.post_json(
                    "/api/v1/incidents",
                    &json!({"title": format!("writer {i}"), "severity": "SEV4"}),
                )
                .await
                .status()
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(
            task.await.unwrap(),
            StatusCode::CREATED,
            "no 'database is locked'"
        );
    }
    let listed: serde_json::Value = app
        .get("/api/v1/incidents?limit=1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["total"], 50);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_concurrent_saves_of_one_version_exactly_one_wins() {
    let app = std::sync::Arc::new(spawn_app().await);
    app.create_incident("contested").await;
    let tasks: Vec<_> = (0..10)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                app.patch_json(
                    "/api/v1/incidents/1",
                    &json!({"version": 1, "title": format!("edit {i}")}),
                )
                .await
                .status()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CONFLICT)
            .count(),
        9,
        "{statuses:?}"
    );
    let final_state: serde_json::Value = app.get("/api/v1/incidents/1").await.json().await.unwrap();
    assert_eq!(final_state["version"], 2);
}
