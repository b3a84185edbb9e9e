//! Action items over HTTP: fields and defaults, versions, the status
//! history, the board's filters and CSV, the admin policy and teams, and
//! the `complete` postmortem status.
use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ADMIN, TestApp, VIEWER, assert_invalid, spawn_app};
use crate::postmortems::started;

async fn add(app: &TestApp, incident: &str, body: Value) -> reqwest::Response {
    app.post_json(&format!("/api/v1/incidents/{incident}/actions"), &body)
        .await
}

async fn patch(app: &TestApp, id: i64, body: Value) -> reqwest::Response {
    app.patch_json(&format!("/api/v1/actions/{id}"), &body)
        .await
}

async fn form(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, String)],
) -> reqwest::Response {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form(client, path, &fields).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn items_take_severity_defaults_versions_and_keep_their_status_history() {
    let app = spawn_app().await;
    let incident = app.create_incident("Checkout pool exhausted").await;
    let id = incident["human_id"].as_str().unwrap();
    let created = add(&app, id, json!({"title": "Alert on pool saturation", "owner": "kenji@example.com", "kind": "detect"})).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let item: Value = created.json().await.unwrap();
    // SEV2: due in 30 days by default (PagerDuty's practice).
    let due = (Utc::now().date_naive() + Duration::days(30)).to_string();
    assert_eq!(item["due_on"], due);
    assert_eq!(item["status"], "open");
    assert_eq!(item["priority"], "medium");
    assert_eq!(item["kind"], "detect");
    assert_eq!(item["owner"]["name"], "Kenji");
    assert_eq!(item["version"], 1);
    assert_eq!(item["history"].as_array().unwrap().len(), 1);
    let item_id = item["id"].as_i64().unwrap();

    // Bad input names each field; nothing is stored.
    let bad = add(&app, id, json!({"title": " ", "due_on": "31/12/2026", "tracker_url": "javascript:alert(1)", "owner": "nobody@example.com", "priority": "urgent", "kind": "blame"})).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = bad.json().await.unwrap();
    let named: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        named,
        [
            "title",
            "owner",
            "due_on",
            "priority",
            "kind",
            "tracker_url"
        ],
        "{body}"
    );
    let listed: Value = app
        .get(&format!("/api/v1/incidents/{id}/actions"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);

    // Won't do needs a reason; a stale version is a 409 that says what differs.
    assert_invalid(
        patch(&app, item_id, json!({"version": 1, "status": "wont_do"})).await,
        "reason",
    )
    .await;
    let stale = patch(&app, item_id, json!({"version": 0, "status": "done"})).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let stale: Value = stale.json().await.unwrap();
    assert_eq!(stale["current_version"], 1);
    assert_eq!(stale["changes"][0]["field"], "status");
    let started: Value = patch(
        &app,
        item_id,
        json!({"version": 1, "status": "in_progress"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(started["version"], 2);
    assert!(started["closed_at"].is_null());
    let done: Value = patch(&app, item_id, json!({"version": 2, "status": "done"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(done["version"], 3);
    assert!(
        done["closed_at"].is_string(),
        "completion time comes from the history"
    );
    let statuses: Vec<&str> = done["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["open", "in_progress", "done"]);
    // Saving what is already there changes nothing.
    let same: Value = patch(&app, item_id, json!({"version": 3, "status": "done"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(same["version"], 3);

    // Viewers read but do not write; anonymous callers are told to sign in.
    let viewer = app.client_as(VIEWER).await;
    let refused = viewer
        .post(app.url(&format!("/api/v1/incidents/{id}/actions")))
        .json(&json!({"title": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let read = viewer
        .get(app.url(&format!("/api/v1/actions/{item_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::OK);
    let anonymous = app
        .anonymous
        .get(app.url("/api/v1/actions"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get("/api/v1/actions/nine").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_board_filters_sorts_marks_overdue_and_exports_csv_safely() {
    let app = spawn_app().await;
    let a = app.create_incident("DNS resolver timeouts").await;
    let a = a["human_id"].as_str().unwrap();
    let late: Value = add(&app, a, json!({"title": "=HYPERLINK(\"http://evil\")", "owner": "kenji@example.com", "due_on": "2025-01-15", "priority": "high"})).await.json().await.unwrap();
    let _: Value = add(
        &app,
        a,
        json!({"title": "Write the runbook", "owner": "ada@example.com", "kind": "process"}),
    )
    .await
    .json()
    .await
    .unwrap();
    let closed: Value = add(&app, a, json!({"title": "Raise the TTL"}))
        .await
        .json()
        .await
        .unwrap();
    patch(
        &app,
        closed["id"].as_i64().unwrap(),
        json!({"version": 1, "status": "wont_do", "reason": "the provider fixed it"}),
    )
    .await;
    assert_eq!(late["overdue"], true);

    let open: Value = app.get("/api/v1/actions").await.json().await.unwrap();
    let titles: Vec<&str> = open["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["=HYPERLINK(\"http://evil\")", "Write the runbook"],
        "open items, soonest due first"
    );
    let mine: Value = app
        .get("/api/v1/actions?owner=me&overdue=true")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    let all: Value = app
        .get("/api/v1/actions?status=all&sort=priority&dir=asc")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 3);
    assert_eq!(all["items"][0]["priority"], "high");
    let wont: Value = app
        .get("/api/v1/actions?status==wont_do")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(wont["items"][0]["reason"], "the provider fixed it");
    assert_invalid(app.get("/api/v1/actions?sort=title;drop").await, "sort").await;
    assert_invalid(app.get("/api/v1/actions?overdue=maybe").await, "overdue").await;
    assert_invalid(app.get("/api/v1/actions?format=xml").await, "format").await;

    let csv = app.get("/api/v1/actions?format=csv").await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = csv.text().await.unwrap();
    assert!(
        csv.starts_with("id,incident,incident_title,severity,title,owner,due_on"),
        "{csv}"
    );
    assert!(csv.contains("'=HYPERLINK"), "formula neutralised: {csv}");
    assert!(!csv.contains(",=HYPERLINK"), "{csv}");

    // The page works without JavaScript: a GET form, overdue rows marked, the header badge.
    let page = app.get("/actions?owner=me").await.text().await.unwrap();
    assert!(page.contains("My action items"));
    assert!(page.contains("overdue-row"));
    assert!(page.contains("Overdue since 2025-01-15"));
    assert!(
        page.contains("overdue-badge"),
        "the header shows Kenji's overdue count"
    );
    let bad = app.get("/actions?severity=SEV9").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_set_due_days_and_teams_with_versions() {
    let app = spawn_app().await;
    let admin = app.client_as(ADMIN).await;
    let policy = |version: i64, sev2: &str, complete: bool| {
        let mut fields = vec![
            ("policy[sev1_days]", "15".to_string()),
            ("policy[sev2_days]", sev2.to_string()),
            ("policy[sev3_days]", "60".to_string()),
            ("policy[sev4_days]", "90".to_string()),
            ("policy[version]", version.to_string()),
        ];
        if complete {
            fields.push(("policy[complete_requires_actions]", "on".into()));
        }
        fields
    };
    let refused = form(
        &app,
        &app.client,
        "/api/fn/change_action_policy",
        &policy(1, "10", true),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let zero = assert_invalid(
        form(
            &app,
            &admin,
            "/api/fn/change_action_policy",
            &policy(1, "0", true),
        )
        .await,
        "sev2_days",
    )
    .await;
    assert!(zero.contains("between 1 and"), "{zero}");
    let saved: Value = form(
        &app,
        &admin,
        "/api/fn/change_action_policy",
        &policy(1, "10", true),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(saved["policy"]["due_days"]["sev2"], 10);
    assert_eq!(saved["policy"]["version"], 2);
    let stale = form(
        &app,
        &admin,
        "/api/fn/change_action_policy",
        &policy(1, "12", true),
    )
    .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);

    let incident = app.create_incident("Checkout slow").await;
    let id = incident["human_id"].as_str().unwrap();
    let item: Value = add(&app, id, json!({"title": "Add a canary"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        item["due_on"],
        (Utc::now().date_naive() + Duration::days(10)).to_string()
    );

    let team = |version: i64, name: &str| {
        vec![
            ("team[service]", "checkout".to_string()),
            ("team[team]", name.to_string()),
            ("team[version]", version.to_string()),
        ]
    };
    let set: Value = form(
        &app,
        &admin,
        "/api/fn/set_service_team",
        &team(0, "Payments"),
    )
    .await
    .json()
    .await
    .unwrap();
    let checkout = set["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["service"] == "checkout")
        .unwrap()
        .clone();
    assert_eq!(checkout["team"], "Payments");
    assert_eq!(
        form(&app, &admin, "/api/fn/set_service_team", &team(0, "Other"))
            .await
            .status(),
        StatusCode::CONFLICT
    );
    let board: Value = form(
        &app,
        &app.client,
        "/api/fn/action_board",
        &[("query[status]", "open".into())],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(board["by_team"][0]["group"], "Payments");
    assert_eq!(board["by_team"][0]["open"], 1);
    assert_eq!(board["by_severity"][0]["group"], "SEV2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_published_postmortem_completes_when_its_last_item_closes() {
    let app = spawn_app().await;
    let (id, first) = started(&app, "").await;
    let id = id.as_str();
    let mv = |to: &'static str, version: i64| {
        let fields = vec![
            ("change[incident]", id.to_string()),
            ("change[status]", to.to_string()),
            ("change[version]", version.to_string()),
        ];
        let app = &app;
        async move { form(app, &app.client, "/api/fn/move_postmortem", &fields).await }
    };
    let item: Value = add(
        &app,
        id,
        json!({"title": "Cap the pool", "section_key": "prevention"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(item["section_key"], "prevention");
    assert_invalid(
        add(&app, id, json!({"title": "x", "section_key": "nope"})).await,
        "section_key",
    )
    .await;
    let reviewed: Value = mv("in_review", first["version"].as_i64().unwrap())
        .await
        .json()
        .await
        .unwrap();
    for tick in [
        "key_data",
        "impact_assessed",
        "causes_deep",
        "actions_appropriate",
        "shared",
    ] {
        form(
            &app,
            &app.client,
            "/api/fn/tick_checklist",
            &[
                ("tick[incident]", id.into()),
                ("tick[item]", tick.into()),
                ("tick[checked]", "on".into()),
            ],
        )
        .await;
    }
    let published: Value = mv("published", reviewed["version"].as_i64().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(published["status"], "published");
    let version = published["version"].as_i64().unwrap();
    let refused = assert_invalid(mv("complete", version).await, "status").await;
    assert!(refused.contains("1 action item is still open"), "{refused}");

    // Closing the last item completes it; a new open item takes it back to published.
    patch(
        &app,
        item["id"].as_i64().unwrap(),
        json!({"version": 1, "status": "done"}),
    )
    .await;
    let pm: Value = app
        .get(&format!("/api/v1/incidents/{id}/postmortem"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pm["status"], "complete");
    add(&app, id, json!({"title": "Load test the pool"})).await;
    let pm: Value = app
        .get(&format!("/api/v1/incidents/{id}/postmortem"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pm["status"], "published");

    // With the rule off, an admin's choice: complete by hand while items are open.
    let admin = app.client_as(ADMIN).await;
    let off = form(
        &app,
        &admin,
        "/api/fn/change_action_policy",
        &[
            ("policy[sev1_days]", "15".into()),
            ("policy[sev2_days]", "30".into()),
            ("policy[sev3_days]", "60".into()),
            ("policy[sev4_days]", "90".into()),
            ("policy[version]", "1".into()),
        ],
    )
    .await;
    assert_eq!(off.status(), StatusCode::OK);
    let done: Value = mv("complete", pm["version"].as_i64().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(done["status"], "complete");
    // Complete is read-only like published.
    let page = app
        .get(&format!("/incidents/{id}/postmortem"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Complete"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn board_stats_count_open_items_without_a_due_date_as_not_overdue() {
    let app = spawn_app().await;
    let incident = app.create_incident("Cache stampede").await;
    let id = incident["human_id"].as_str().unwrap();
    let created = add(&app, id, json!({"title": "Add jitter to expiries"})).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    // Items from before due dates had defaults have none: an undated open
    // item is not overdue, on either backend (SQL's sum over it is NULL).
    crate::backend::execute(app.data_dir(), "UPDATE action_items SET due_on = NULL")
        .await
        .unwrap();
    let board = form(
        &app,
        &app.client,
        "/api/fn/action_board",
        &[("query[status]", "open".into())],
    )
    .await;
    assert_eq!(board.status(), StatusCode::OK);
    let board: Value = board.json().await.unwrap();
    assert_eq!(board["by_severity"][0]["open"], 1);
    assert_eq!(board["by_severity"][0]["overdue"], 0);
}
