//! Reviewing postmortems over HTTP: threads, the checklist, publishing and
//! reopening; and the Postmortems page's filters.
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{assert_invalid, spawn_app};
use crate::postmortems::{save, started};
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_needs_review_a_full_checklist_and_no_open_threads() {
    let app = spawn_app().await;
    let (id, first) = started(&app, "").await;
    let id = id.as_str();
    let form = |path: &'static str, fields: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form(&app.client, path, &fields).await
        }
    };
    let status_move = |to: &'static str, version: i64| {
        form(
            "/api/fn/move_postmortem",
            vec![
                ("change[incident]", id.to_string()),
                ("change[status]", to.to_string()),
                ("change[version]", version.to_string()),
            ],
        )
    };
    let version = first["version"].as_i64().unwrap();
    assert_invalid(status_move("published", version).await, "status").await;
    let in_review: Value = status_move("in_review", version)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(in_review["status"], "in_review");
    let version = in_review["version"].as_i64().unwrap();
    let stale = status_move("draft", version - 1).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);

    // A reviewer opens a thread on the summary.
    let commented: Value = form(
        "/api/fn/add_review_comment",
        vec![
            ("comment[incident]", id.to_string()),
            ("comment[section]", "summary".into()),
            ("comment[body]", "How many **orders** failed?".into()),
        ],
    )
    .await
    .json()
    .await
    .unwrap();
    let thread = &commented["threads"][0];
    assert_eq!(thread["section_key"], "summary");
    assert_eq!(thread["resolved"], false);
    assert!(
        thread["comments"][0]["body_html"]
            .as_str()
            .unwrap()
            .contains("<strong>orders</strong>")
    );
    let empty = form(
        "/api/fn/add_review_comment",
        vec![
            ("comment[incident]", id.to_string()),
            ("comment[section]", "summary".into()),
            ("comment[body]", "  ".into()),
        ],
    )
    .await;
    assert_invalid(empty, "body").await;
    let thread_id = thread["id"].as_i64().unwrap();
    let replied: Value = form(
        "/api/fn/add_review_comment",
        vec![
            ("comment[incident]", id.to_string()),
            ("comment[thread]", thread_id.to_string()),
            ("comment[body]", "About 1,200.".into()),
        ],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        replied["threads"][0]["comments"].as_array().unwrap().len(),
        2
    );

    // Not yet: the checklist is empty and a thread is open.
    let refused = status_move("published", version).await;
    let message = assert_invalid(refused, "checklist").await;
    assert!(message.contains("0 of 5"), "{message}");
    for item in [
        "key_data",
        "impact_assessed",
        "causes_deep",
        "actions_appropriate",
        "shared",
    ] {
        let ticked = form(
            "/api/fn/tick_checklist",
            vec![
                ("tick[incident]", id.to_string()),
                ("tick[item]", item.into()),
                ("tick[checked]", "on".into()),
            ],
        )
        .await;
        assert_eq!(ticked.status(), StatusCode::OK);
    }
    assert_invalid(
        form(
            "/api/fn/tick_checklist",
            vec![
                ("tick[incident]", id.to_string()),
                ("tick[item]", "vibes".into()),
            ],
        )
        .await,
        "item",
    )
    .await;
    assert_invalid(status_move("published", version).await, "threads").await;
    let resolved: Value = form(
        "/api/fn/resolve_review_thread",
        vec![
            ("resolve[incident]", id.to_string()),
            ("resolve[thread]", thread_id.to_string()),
            ("resolve[version]", "1".into()),
        ],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(resolved["threads"][0]["resolved"], true);
    assert_eq!(resolved["threads"][0]["resolved_by"], "Kenji");

    let published: Value = status_move("published", version)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(published["status"], "published");
    // Published is read-only, for sections and for comments.
    assert_eq!(
        save(&app, id, "summary", 1, "Late edit").await.status(),
        StatusCode::FORBIDDEN
    );
    let late_comment = form(
        "/api/fn/add_review_comment",
        vec![
            ("comment[incident]", id.to_string()),
            ("comment[section]", "summary".into()),
            ("comment[body]", "late".into()),
        ],
    )
    .await;
    assert_eq!(late_comment.status(), StatusCode::FORBIDDEN);
    let page = app
        .get(&format!("/incidents/{id}/postmortem"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Reopen") && !page.contains("Save section"));

    // Reopening works, and the audit log says who reopened it.
    let reopened: Value = status_move("draft", published["version"].as_i64().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(reopened["status"], "draft");
    let pm_id = reopened["id"].as_i64().unwrap();
    let admin = app.client_as("ada@example.com").await;
    let audit: Value = admin
        .get(app.url(&format!("/api/v1/audit?entity=postmortem&id={pm_id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"postmortem.reopen"), "{actions:?}");
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "postmortem.checklist")
            .count(),
        5
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_postmortems_page_lists_and_filters_with_review_state() {
    let app = spawn_app().await;
    let (first, _) = started(&app, "").await;
    let (second, pm) = started(&app, "google-sre").await;
    save(
        &app,
        &first,
        "summary",
        1,
        "It was human error; we should have known.",
    )
    .await;
    let moved = app
        .post_form(
            &app.client,
            "/api/fn/move_postmortem",
            &[
                ("change[incident]", second.as_str()),
                ("change[status]", "in_review"),
                ("change[version]", &pm["version"].to_string()),
            ],
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    let list = |fields: &'static [(&'static str, &'static str)]| {
        let app = &app;
        async move {
            app.post_form(&app.client, "/api/fn/list_postmortems", fields)
                .await
        }
    };
    let all: Value = list(&[("query[status]", "")]).await.json().await.unwrap();
    assert_eq!(all.as_array().unwrap().len(), 2);
    let by_first = all
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["incident"]["human_id"] == first.as_str())
        .unwrap();
    assert_eq!(by_first["lint_count"], 2);
    assert_eq!(by_first["authors"], json!(["Kenji"]));
    assert_eq!(by_first["services"], json!(["checkout"]));
    let in_review: Value = list(&[("query[status]", "in_review")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(in_review.as_array().unwrap().len(), 1);
    assert_eq!(in_review[0]["incident"]["human_id"], second.as_str());
    let by_author: Value = list(&[("query[author]", "kenj")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_author.as_array().unwrap().len(), 1);
    let by_service: Value = list(&[("query[service]", "Checkout"), ("query[severity]", "sev2")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_service.as_array().unwrap().len(), 2);
    assert_invalid(list(&[("query[severity]", "SEV9")]).await, "severity").await;
    let page = app
        .get("/postmortems?status=in_review")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&second) && !page.contains(&format!(">{first}<")));
}
