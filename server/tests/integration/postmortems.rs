//! Postmortems over HTTP: templates, sections saved separately with
//! versions, stale saves refused with both texts, revisions, the no-JS
//! forms, the blameless hints, and the text reaching search. Review and
//! the Postmortems page are in `postmortem_review.rs`.
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, LOCATION, REFERER};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_invalid, spawn_app};

pub(crate) async fn started(app: &TestApp, template: &str) -> (String, Value) {
    let incident = app.create_incident("Checkout lost its database").await;
    let id = incident["human_id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/incidents/{id}/postmortem");
    let response = app.post_json(&path, &json!({ "template": template })).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    (id, response.json().await.unwrap())
}

pub(crate) async fn save(
    app: &TestApp,
    id: &str,
    key: &str,
    version: i64,
    body: &str,
) -> reqwest::Response {
    let path = format!("/api/v1/incidents/{id}/postmortem/sections/{key}");
    app.put_json(&path, &json!({ "version": version, "body": body }))
        .await
}

fn section<'v>(postmortem: &'v Value, key: &str) -> &'v Value {
    postmortem["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == key)
        .unwrap_or_else(|| panic!("no section {key} in {postmortem}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sections_save_separately_and_a_stale_save_keeps_both_texts() {
    let app = spawn_app().await;
    let incident = app.create_incident("Queue backlog").await;
    let id = incident["human_id"].as_str().unwrap();
    let path = format!("/api/v1/incidents/{id}/postmortem");
    assert_eq!(app.get(&path).await.status(), StatusCode::NOT_FOUND);
    let first: Value = app.post_json(&path, &json!({})).await.json().await.unwrap();
    assert_eq!(first["template"], "heroku");
    let headings: Vec<&str> = first["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["heading"].as_str().unwrap())
        .collect();
    assert_eq!(
        headings,
        [
            "Summary",
            "Who was affected",
            "What happened",
            "What we're doing so it doesn't happen again"
        ]
    );
    // Starting again (a second person clicking) gives the same postmortem.
    let again: Value = app.post_json(&path, &json!({})).await.json().await.unwrap();
    assert_eq!(again["id"], first["id"]);

    // Ada and Kenji both read version 1 of two different sections: no conflict.
    let ada = save(&app, id, "summary", 1, "Ada's summary.").await;
    assert_eq!(ada.status(), StatusCode::OK);
    assert_eq!(ada.json::<Value>().await.unwrap()["version"], 2);
    let kenji = save(&app, id, "what_happened", 1, "Kenji's timeline.").await;
    assert_eq!(kenji.status(), StatusCode::OK);

    // A third save of the summary against version 1 is refused with both texts.
    let stale = save(&app, id, "summary", 1, "Vera's summary.").await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let body: Value = stale.json().await.unwrap();
    assert_eq!(body["current_version"], 2);
    assert_eq!(body["changes"][0]["field"], "Summary");
    assert_eq!(body["changes"][0]["current"], "Ada's summary.");
    assert_eq!(body["changes"][0]["yours"], "Vera's summary.");
    let stored: Value = app.get(&path).await.json().await.unwrap();
    assert_eq!(section(&stored, "summary")["body"], "Ada's summary.");
    assert_eq!(
        section(&stored, "what_happened")["body"],
        "Kenji's timeline."
    );

    // Shared outside as Markdown, or read in the print view.
    let exported = app.get(&format!("{path}/markdown")).await;
    assert_eq!(
        exported.headers()["content-type"],
        "text/markdown; charset=utf-8"
    );
    assert!(
        exported.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(&format!("{id}-postmortem.md"))
    );
    let text = exported.text().await.unwrap();
    assert!(text.contains("\n## Summary\n\nAda's summary.\n"), "{text}");
    let print = app
        .get(&format!("/incidents/{id}/postmortem/print"))
        .await
        .text()
        .await
        .unwrap();
    assert!(print.contains("Ada's summary.") && !print.contains("Save section"));

    // Every saved state is a revision, with a diff against the one before.
    let revisions: Value = app
        .get(&format!("{path}/sections/summary/revisions"))
        .await
        .json()
        .await
        .unwrap();
    let items = revisions["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["version"], 2);
    assert_eq!(items[0]["author"], "Kenji");
    assert_eq!(
        items[0]["diff"][0],
        json!({"kind": "added", "text": "Ada's summary."})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn templates_timeline_tables_and_bad_input() {
    let app = spawn_app().await;
    let (id, sre) = started(&app, "google-sre").await;
    assert_eq!(sre["sections"].as_array().unwrap().len(), 8);
    assert_eq!(
        section(&sre, "lessons_learned")["heading"],
        "Lessons learned"
    );
    let path = format!("/api/v1/incidents/{id}/postmortem/sections/what_happened");
    let with_table: Value = app
        .put_json(
            &path,
            &json!({"version": 1, "body": "In short:", "append_timeline": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    let body = with_table["body"].as_str().unwrap();
    assert!(
        body.starts_with("In short:\n\n| Time (UTC) | Kind | What happened |"),
        "{body}"
    );
    assert!(
        body.contains("| Status change | Declared as **SEV2**"),
        "{body}"
    );
    assert!(
        with_table["body_html"]
            .as_str()
            .unwrap()
            .contains("<table>")
    );

    let other = app.create_incident("Another").await;
    let start = format!(
        "/api/v1/incidents/{}/postmortem",
        other["human_id"].as_str().unwrap()
    );
    assert_invalid(
        app.post_json(&start, &json!({"template": "nope"})).await,
        "template",
    )
    .await;
    assert_invalid(
        app.post_json(&start, &json!({"template": "Bad Name!"}))
            .await,
        "template",
    )
    .await;
    let huge = "x".repeat(1024 * 1024 + 1);
    assert_invalid(
        save(&app, &id, "summary", 1, &huge).await,
        "sections.summary.body",
    )
    .await;
    assert_eq!(
        save(&app, &id, "no_such_section", 1, "x").await.status(),
        StatusCode::NOT_FOUND
    );
    let missing_version = app.put_json(&path, &json!({"body": "x"})).await;
    assert!(
        missing_version.status().is_client_error(),
        "{}",
        missing_version.status()
    );
    // Nothing was lost on the way.
    let stored: Value = app
        .get(&format!("/api/v1/incidents/{id}/postmortem"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        section(&stored, "what_happened")["body"]
            .as_str()
            .unwrap()
            .starts_with("In short:")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn viewers_read_and_only_responders_write() {
    let app = spawn_app().await;
    let (id, _) = started(&app, "").await;
    let viewer = app.client_as("vera@example.com").await;
    let path = format!("/api/v1/incidents/{id}/postmortem/sections/summary");
    let refused = viewer
        .put(app.url(&path))
        .json(&json!({"version": 1, "body": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let read = viewer
        .get(app.url(&format!("/api/v1/incidents/{id}/postmortem")))
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::OK);
    let anonymous = app
        .anonymous
        .put(app.url(&path))
        .json(&json!({"version": 1, "body": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let page = viewer
        .get(app.url(&format!("/incidents/{id}/postmortem")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Not written yet.") && !page.contains("Save section"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_sections_save_and_a_stale_form_shows_both_texts() {
    let app = spawn_app().await;
    let (id, _) = started(&app, "").await;
    let page = format!("/incidents/{id}/postmortem");
    let post = |version: &'static str, body: &'static str| {
        let (app, page, id) = (&app, page.clone(), id.clone());
        async move {
            app.client
                .post(app.url("/api/fn/save_section"))
                .header(ACCEPT, "text/html")
                .header(REFERER, app.url(&page))
                .form(&[
                    ("save[incident]", id.as_str()),
                    ("save[key]", "summary"),
                    ("save[version]", version),
                    ("save[body]", body),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let saved = post("1", "We lost *writes* for 4 minutes; it was human error.").await;
    assert!(saved.status().is_redirection());
    let html = app.get(&page).await.text().await.unwrap();
    assert!(html.contains("We lost *writes* for 4 minutes"));
    // The blameless check flags the phrase in the server-rendered page too.
    assert!(html.contains("1 phrase to reconsider"), "no blameless hint");
    assert!(html.contains("human error"));

    let stale = post("1", "A different summary typed in another tab.").await;
    let back = stale.headers()[LOCATION].to_str().unwrap().to_string();
    assert!(back.contains("__err="), "{back}");
    let shown = app
        .client
        .get(&back)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(shown.contains("Someone else saved this"));
    assert!(
        shown.contains("A different summary typed in another tab."),
        "yours is shown"
    );
    let stored: Value = app
        .get(&format!("/api/v1/incidents/{id}/postmortem"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        section(&stored, "summary")["body"]
            .as_str()
            .unwrap()
            .starts_with("We lost")
    );

    // An old revision comes back as a new one.
    let restored = app
        .client
        .post(app.url("/api/fn/restore_revision"))
        .header(ACCEPT, "text/html")
        .header(REFERER, app.url(&format!("{page}/summary/history")))
        .form(&[
            ("restore[incident]", id.as_str()),
            ("restore[key]", "summary"),
            ("restore[revision]", "1"),
            ("restore[version]", "2"),
        ])
        .send()
        .await
        .unwrap();
    assert!(restored.status().is_redirection());
    let stored: Value = app
        .get(&format!("/api/v1/incidents/{id}/postmortem"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(section(&stored, "summary")["body"], "");
    assert_eq!(section(&stored, "summary")["version"], 3);
    let history = app
        .get(&format!("{page}/summary/history"))
        .await
        .text()
        .await
        .unwrap();
    assert!(history.contains("Version 3") && history.contains("diff-removed"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postmortem_text_is_searchable() {
    let app = spawn_app().await;
    let (id, _) = started(&app, "").await;
    let saved = save(
        &app,
        &id,
        "prevention",
        1,
        "Add a circuitbreakerzz around the payment gateway.",
    )
    .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let mut found = Value::Null;
    for _ in 0..50 {
        found = app
            .get("/api/v1/search?q=circuitbreakerzz")
            .await
            .json()
            .await
            .unwrap();
        if found["total"] == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        found["hits"][0]["id"],
        id.trim_start_matches("INC-").parse::<i64>().unwrap(),
        "{found}"
    );
    assert!(
        found["hits"][0]["snippet"]
            .as_str()
            .unwrap()
            .contains("<mark>circuitbreakerzz</mark>")
    );
}
