//! The endpoints the UI's forms post to, called as a script would (JSON
//! accepted) and as a browser without JavaScript would (HTML accepted).
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, LOCATION, REFERER};
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};

async fn post_form(
    app: &TestApp,
    endpoint: &str,
    fields: &[(&str, &str)],
    accept: &str,
    referer: &str,
) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/fn/{endpoint}")))
        .header(ACCEPT, accept)
        .header(REFERER, app.url(referer))
        .form(fields)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_update_and_list_through_server_functions() {
    let app = spawn_app().await;
    let fields = [
        ("form[title]", "Queue stuck"),
        ("form[severity]", "SEV2"),
        ("form[services]", "orders, billing"),
        ("form[summary]", "*stuck*"),
    ];
    let r = post_form(
        &app,
        "create_incident",
        &fields,
        "application/json",
        "/incidents/new",
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["human_id"], "INC-1");
    assert_eq!(
        created["services"],
        serde_json::json!(["orders", "billing"])
    );
    assert_eq!(created["summary_html"], "<p><em>stuck</em></p>\n");

    let status = [
        ("form[id]", "1"),
        ("form[version]", "1"),
        ("form[status]", "monitoring"),
        ("form[note]", "Restarted consumers"),
    ];
    let r = post_form(
        &app,
        "change_status",
        &status,
        "application/json",
        "/incidents/INC-1",
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let changed: Value = r.json().await.unwrap();
    assert_eq!(changed["status"], "monitoring");
    assert!(changed["mitigated_at"].is_string());

    let entry = [
        ("form[id]", "INC-1"),
        ("form[kind]", "note"),
        ("form[body]", "Lag back to zero"),
    ];
    let r = post_form(
        &app,
        "add_timeline_entry",
        &entry,
        "application/json",
        "/incidents/INC-1",
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);

    let r = app
        .client
        .post(app.url("/api/fn/list_incidents"))
        .header(ACCEPT, "application/json")
        .form(&[("query[status]", "open")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let page: Value = r.json().await.unwrap();
    assert_eq!(page["total"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_function_errors_carry_their_status() {
    let app = spawn_app().await;
    let r = post_form(
        &app,
        "create_incident",
        &[("form[title]", ""), ("form[severity]", "SEV2")],
        "application/json",
        "/incidents/new",
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "title");

    app.create_incident("x").await;
    app.patch_json(
        "/api/v1/incidents/1",
        &serde_json::json!({"version": 1, "title": "y"}),
    )
    .await;
    let stale = [
        ("form[id]", "1"),
        ("form[version]", "1"),
        ("form[status]", "resolved"),
    ];
    let r = post_form(
        &app,
        "change_status",
        &stale,
        "application/json",
        "/incidents/INC-1",
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    let r = app
        .client
        .post(app.url("/api/fn/get_incident"))
        .header(ACCEPT, "application/json")
        .form(&[("id", "INC-404")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    let r = app
        .client
        .post(app.url("/api/fn/create_incident"))
        .header(ACCEPT, "application/json")
        .form(&[("nonsense", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::BAD_REQUEST,
        "a form that cannot be read is a 400, not a 500"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_form_posts_redirect_and_show_errors_without_javascript() {
    let app = spawn_app().await;
    let html = "text/html,application/xhtml+xml";
    let r = post_form(
        &app,
        "create_incident",
        &[
            ("form[title]", "Cache stampede"),
            ("form[severity]", "SEV1"),
        ],
        html,
        "/incidents/new",
    )
    .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    assert_eq!(r.headers()[LOCATION], "/incidents/INC-1");

    let r = post_form(
        &app,
        "create_incident",
        &[("form[title]", " "), ("form[severity]", "SEV1")],
        html,
        "/incidents/new",
    )
    .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let back = r.headers()[LOCATION].to_str().unwrap().to_string();
    assert!(
        back.contains("/incidents/new") && back.contains("__err="),
        "{back}"
    );
    let page = app
        .client
        .get(&back)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Nothing was saved."),
        "the error shows on the page"
    );
    assert!(page.contains("must not be empty"));

    app.patch_json(
        "/api/v1/incidents/1",
        &serde_json::json!({"version": 1, "title": "Cache stampede on login"}),
    )
    .await;
    let stale = [
        ("form[id]", "1"),
        ("form[version]", "1"),
        ("form[title]", "Mine"),
        ("form[severity]", "SEV1"),
    ];
    let r = post_form(&app, "update_incident", &stale, html, "/incidents/INC-1").await;
    let back = r.headers()[LOCATION].to_str().unwrap().to_string();
    let page = app
        .client
        .get(&back)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Someone else saved this"),
        "the conflict shows on the page"
    );
    assert!(
        page.contains("Cache stampede on login") && page.contains("Mine"),
        "both sides are shown"
    );
}
