//! Inbound webhooks: Alertmanager (bearer token) and PagerDuty (HMAC
//! signature) open and update incidents; replays change nothing; the admin
//! configures the integrations. Helpers shared by the tests are here; the
//! tests are split by sender (`alertmanager.rs`, `pagerduty.rs`) and the
//! admin's side (`admin.rs`).
mod admin;
mod alertmanager;
mod pagerduty;
use chrono::{Duration, SubsecRound, Utc};
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::{ADMIN, TestApp, assert_invalid, spawn_app};

const AM_PATH: &str = "/api/v1/webhooks/alertmanager";
const PD_PATH: &str = "/api/v1/webhooks/pagerduty";

async fn create_integration(app: &TestApp, fields: &[(&str, &str)]) -> Value {
    let admin = app.client_as(ADMIN).await;
    let response = app
        .post_form(&admin, "/api/fn/create_integration", fields)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn alertmanager_token(app: &TestApp) -> String {
    let saved = create_integration(
        app,
        &[
            ("integration[kind]", "alertmanager"),
            ("integration[name]", "prod alertmanager"),
            ("integration[default_severity]", "SEV3"),
            ("integration[default_service]", "platform"),
        ],
    )
    .await;
    saved["token"].as_str().expect("a token, once").to_string()
}

fn alert(name: &str, status: &str, fingerprint: &str, starts_at: &str) -> Value {
    json!({
        "status": status,
        "labels": {"alertname": name, "severity": "critical", "service": "checkout", "job": "api"},
        "annotations": {"summary": format!("{name} on checkout"), "description": "p99 above 2 s"},
        "startsAt": starts_at,
        "endsAt": if status == "resolved" { starts_at } else { "0001-01-01T00:00:00Z" },
        "generatorURL": "http://prometheus:9090/graph?g0.expr=up",
        "fingerprint": fingerprint
    })
}

fn group(status: &str, alerts: Vec<Value>) -> Value {
    json!({
        "version": "4",
        "groupKey": "{}:{alertname=\"HighLatency\"}",
        "truncatedAlerts": 0,
        "status": status,
        "receiver": "firebreak",
        "groupLabels": {"alertname": "HighLatency"},
        "commonLabels": {},
        "commonAnnotations": {},
        "externalURL": "http://alertmanager:9093",
        "alerts": alerts
    })
}

/// Integration 1 changed through the admin's server function, as `client`
/// believes it is at `version`: `rotate`, `disable` or `enable`.
async fn change_integration(
    app: &TestApp,
    client: &reqwest::Client,
    version: &str,
    action: &str,
) -> reqwest::Response {
    let fields = [
        ("change[id]", "1"),
        ("change[version]", version),
        ("change[action]", action),
    ];
    app.post_form(client, "/api/fn/change_integration", &fields)
        .await
}

/// A delivery to `path` with no token and no signature.
async fn post_without_credentials(app: &TestApp, path: &str, body: &Value) -> reqwest::Response {
    app.anonymous
        .post(app.url(path))
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn post_am(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    app.anonymous
        .post(app.url(AM_PATH))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn incident(app: &TestApp, id: i64) -> Value {
    app.get(&format!("/api/v1/incidents/{id}"))
        .await
        .json()
        .await
        .unwrap()
}

async fn timeline(app: &TestApp, id: i64) -> Vec<Value> {
    let body: Value = app
        .get(&format!("/api/v1/incidents/{id}/timeline"))
        .await
        .json()
        .await
        .unwrap();
    body["items"].as_array().unwrap().clone()
}

async fn incident_total(app: &TestApp) -> i64 {
    let page: Value = app.get("/api/v1/incidents").await.json().await.unwrap();
    page["total"].as_i64().unwrap()
}

fn minutes_ago(minutes: i64) -> String {
    (Utc::now() - Duration::minutes(minutes))
        .trunc_subsecs(0)
        .to_rfc3339()
}

async fn session_of(app: &TestApp) -> String {
    crate::helpers::session_cookie(&app.login(ADMIN, crate::helpers::PASSWORD).await)
}
