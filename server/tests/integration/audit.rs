//! The audit log (one row per change, append-only) and people on
//! incidents who have accounts.
use serde_json::{Value, json};

use crate::helpers::{ADMIN, RESPONDER, VIEWER, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_writes_one_audit_row_naming_the_actor() {
    let app = spawn_app().await;
    app.create_incident("Audited").await;
    app.patch_json(
        "/api/v1/incidents/1",
        &json!({"version": 1, "title": "Audited twice", "severity": "SEV1"}),
    )
    .await;
    app.post_json(
        "/api/v1/incidents/1/timeline",
        &json!({"kind": "note", "body": "hello"}),
    )
    .await;
    app.patch_json(
        "/api/v1/incidents/1",
        &json!({"version": 2, "status": "resolved"}),
    )
    .await;
    // A save that changes nothing writes nothing.
    app.patch_json(
        "/api/v1/incidents/1",
        &json!({"version": 3, "title": "Audited twice"}),
    )
    .await;

    let audit: Value = app
        .get("/api/v1/audit?entity=incident&id=1")
        .await
        .json()
        .await
        .unwrap();
    let rows = audit["items"].as_array().unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        ["status", "timeline.add", "update", "create"],
        "newest first"
    );
    assert!(
        rows.iter()
            .all(|r| r["actor"] == RESPONDER && r["channel"] == "api")
    );
    let update = &rows[2]["changes"];
    assert_eq!(update.as_array().unwrap().len(), 2, "{update}");
    assert!(
        update
            .as_array()
            .unwrap()
            .contains(&json!({"field": "title", "before": "Audited", "after": "Audited twice"}))
    );
    assert!(
        update
            .as_array()
            .unwrap()
            .contains(&json!({"field": "severity", "before": "SEV2", "after": "SEV1"}))
    );

    let page = app.get("/incidents/INC-1").await.text().await.unwrap();
    assert!(
        page.contains("History (4)"),
        "the incident page shows its history"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_refuses_updates_and_deletes() {
    let app = spawn_app().await;
    app.create_incident("Tamper target").await;
    let dir = app.data_dir();
    let update = crate::backend::execute(dir, "UPDATE audit_log SET actor = 'someone else'").await;
    let delete = crate::backend::execute(dir, "DELETE FROM audit_log").await;
    for result in [update, delete] {
        let error = result.expect_err("tampering is refused").to_string();
        assert!(error.contains("append-only"), "{error}");
    }
    let kept = format!("SELECT count(*) FROM audit_log WHERE actor = '{RESPONDER}'");
    assert!(crate::backend::count(dir, &kept).await.unwrap() >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_with_accounts_become_user_references() {
    let app = spawn_app().await;
    let made: Value = app
        .post_json("/api/v1/incidents", &json!({"title": "Who leads", "severity": "SEV2", "commander": "ADA@example.com", "comms_lead": "Sam Outside"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(made["commander"], "Ada");
    assert_eq!(made["commander_user"]["email"], ADMIN);
    assert_eq!(made["comms_lead"], "Sam Outside");
    assert!(
        made["comms_lead_user"].is_null(),
        "free text stays free text"
    );
    let renamed: Value = app
        .patch_json(
            "/api/v1/incidents/1",
            &json!({"version": 1, "comms_lead": "vera"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(renamed["comms_lead"], "Vera");
    assert_eq!(renamed["comms_lead_user"]["email"], VIEWER);
}
