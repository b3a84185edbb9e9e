//! Inbound webhooks: Alertmanager (bearer token) and PagerDuty (HMAC
//! signature) open and update incidents; replays change nothing; the admin
//! configures the integrations.
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alertmanager_opens_updates_and_mitigates_an_incident() {
    let app = spawn_app().await;
    let token = alertmanager_token(&app).await;
    assert!(token.starts_with("fbw_"));
    let started = minutes_ago(3);
    let firing = group(
        "firing",
        vec![alert("HighLatency", "firing", "fp1", &started)],
    );

    let response = post_am(&app, &token, &firing).await;
    assert_eq!(response.status(), StatusCode::OK);
    let outcome: Value = response.json().await.unwrap();
    assert_eq!(outcome, json!({"outcome": "created", "incident": "INC-1"}));
    let opened = incident(&app, 1).await;
    assert_eq!(opened["title"], "HighLatency on checkout");
    assert_eq!(opened["severity"], "SEV1");
    assert_eq!(opened["status"], "investigating");
    assert_eq!(opened["services"], json!(["checkout"]));
    assert_eq!(
        opened["detected_at"]
            .as_str()
            .unwrap()
            .parse::<chrono::DateTime<Utc>>()
            .unwrap(),
        started.parse::<chrono::DateTime<Utc>>().unwrap()
    );
    let entries = timeline(&app, 1).await;
    let firing_entry = entries
        .iter()
        .find(|e| e["kind"] == "alert")
        .expect("an alert entry");
    let body = firing_entry["body"].as_str().unwrap();
    assert!(
        body.starts_with("Alert firing: HighLatency HighLatency on checkout"),
        "{body}"
    );
    assert!(
        body.contains("http://prometheus:9090/graph?g0.expr=up"),
        "{body}"
    );

    // A replay is a duplicate and changes nothing.
    let replay = post_am(&app, &token, &firing).await;
    assert_eq!(replay.status(), StatusCode::OK);
    let outcome: Value = replay.json().await.unwrap();
    assert_eq!(outcome["outcome"], "duplicate");
    assert_eq!(incident_total(&app).await, 1);
    assert_eq!(incident(&app, 1).await["version"], opened["version"]);
    assert_eq!(timeline(&app, 1).await.len(), entries.len());

    // Another alert of the group adds to the same incident.
    let second = alert("HighErrorRate", "firing", "fp2", &minutes_ago(1));
    let both = group(
        "firing",
        vec![alert("HighLatency", "firing", "fp1", &started), second],
    );
    let outcome: Value = post_am(&app, &token, &both).await.json().await.unwrap();
    assert_eq!(outcome, json!({"outcome": "updated", "incident": "INC-1"}));
    assert_eq!(incident_total(&app).await, 1);
    assert_eq!(timeline(&app, 1).await.len(), entries.len() + 1);

    // One resolved of two: an entry, still investigating.
    let one_resolved = group(
        "firing",
        vec![
            alert("HighLatency", "resolved", "fp1", &started),
            alert("HighErrorRate", "firing", "fp2", &minutes_ago(1)),
        ],
    );
    post_am(&app, &token, &one_resolved).await;
    assert_eq!(incident(&app, 1).await["status"], "investigating");

    // Every alert resolved: mitigated (monitoring), set by the webhook.
    let all_resolved = group(
        "resolved",
        vec![
            alert("HighLatency", "resolved", "fp1", &started),
            alert("HighErrorRate", "resolved", "fp2", &minutes_ago(1)),
        ],
    );
    let outcome: Value = post_am(&app, &token, &all_resolved)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(outcome["outcome"], "updated");
    let mitigated = incident(&app, 1).await;
    assert_eq!(mitigated["status"], "monitoring");
    assert!(mitigated["mitigated_at"].is_string());
    assert_eq!(
        mitigated["timestamp_sources"]["mitigated"]["source"], "webhook",
        "{mitigated}"
    );
    let version = mitigated["version"].clone();
    let outcome: Value = post_am(&app, &token, &all_resolved)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(outcome["outcome"], "duplicate");
    assert_eq!(incident(&app, 1).await["version"], version);

    // The audit log says these changes came by webhook.
    let admin = app.client_as(ADMIN).await;
    let audit: Value = admin
        .get(app.url("/api/v1/audit?entity=incident&id=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let rows = audit["items"].as_array().unwrap();
    assert!(rows.iter().any(|r| r["action"] == "create"));
    assert!(rows.iter().any(|r| r["action"] == "status"));
    assert!(rows.iter().all(|r| r["channel"] == "webhook"), "{audit}");

    // The admin page lists the integration with its events.
    let page: Value = admin
        .post(app.url("/api/fn/get_integrations"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let listed = &page["integrations"][0];
    assert_eq!(listed["kind"], "alertmanager");
    assert_eq!(listed["events"], 4, "two alerts, each firing and resolved");
    assert!(listed["last_event_at"].is_string());
    assert_eq!(listed["secret_hint"], token[token.len() - 4..]);
    assert!(
        !page.to_string().contains(&token),
        "the token is never shown again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alertmanager_refuses_bad_tokens_disabled_integrations_and_bad_bodies() {
    let app = spawn_app().await;
    let token = alertmanager_token(&app).await;
    let firing = group(
        "firing",
        vec![alert("Disk", "firing", "fp9", &minutes_ago(1))],
    );

    let wrong = post_am(&app, "fbw_not-the-token", &firing).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let missing = app
        .anonymous
        .post(app.url(AM_PATH))
        .json(&firing)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    let body: Value = missing.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("Bearer"),
        "{body}"
    );

    let bad = |body: &'static str| {
        let (app, token) = (&app, token.clone());
        async move {
            app.anonymous
                .post(app.url(AM_PATH))
                .bearer_auth(token)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(bad("not json").await.status(), StatusCode::BAD_REQUEST);
    assert_invalid(
        bad(r#"{"version":"4","status":"firing","alerts":[]}"#).await,
        "groupKey",
    )
    .await;
    assert_invalid(
        bad(r#"{"version":"4","groupKey":"g","status":"firing","alerts":[{"status":"firing","startsAt":"yesterday","fingerprint":"f"}]}"#).await,
        "alerts[0].startsAt",
    )
    .await;
    assert_invalid(
        bad(r#"{"version":"3","groupKey":"g","status":"firing","alerts":[]}"#).await,
        "version",
    )
    .await;
    assert_invalid(
        bad(r#"{"version":"4","groupKey":"g","status":"burning","alerts":[]}"#).await,
        "status",
    )
    .await;
    assert_eq!(incident_total(&app).await, 0);

    // A new token replaces the old one at once; a disabled integration is refused.
    let admin = app.client_as(ADMIN).await;
    let rotated: Value = app
        .post_form(
            &admin,
            "/api/fn/change_integration",
            &[
                ("change[id]", "1"),
                ("change[version]", "1"),
                ("change[action]", "rotate"),
            ],
        )
        .await
        .json()
        .await
        .unwrap();
    let new_token = rotated["token"].as_str().unwrap().to_string();
    assert_ne!(new_token, token);
    assert_eq!(
        post_am(&app, &token, &firing).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let stale = app
        .post_form(
            &admin,
            "/api/fn/change_integration",
            &[
                ("change[id]", "1"),
                ("change[version]", "1"),
                ("change[action]", "disable"),
            ],
        )
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let disabled = app
        .post_form(
            &admin,
            "/api/fn/change_integration",
            &[
                ("change[id]", "1"),
                ("change[version]", "2"),
                ("change[action]", "disable"),
            ],
        )
        .await;
    assert_eq!(disabled.status(), StatusCode::OK);
    assert_eq!(
        post_am(&app, &new_token, &firing).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(incident_total(&app).await, 0);
}

fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

fn pd_event(id: &str, event_type: &str, occurred_at: &str) -> Value {
    json!({"event": {
        "id": id,
        "event_type": event_type,
        "resource_type": "incident",
        "occurred_at": occurred_at,
        "agent": {"id": "PUSER", "summary": "Ana Ops", "type": "user_reference"},
        "data": {
            "id": "PGR0VU2", "type": "incident", "title": "Checkout is down",
            "urgency": "high", "status": "triggered",
            "service": {"id": "PSVC", "summary": "Checkout"},
            "html_url": "https://acme.pagerduty.com/incidents/PGR0VU2",
            "priority": null
        }
    }})
}

async fn post_pd(app: &TestApp, signature: &str, body: &Value) -> reqwest::Response {
    app.anonymous
        .post(app.url(PD_PATH))
        .header("content-type", "application/json")
        .header("x-pagerduty-signature", signature)
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

const PD_SECRET: &str = "whsec-pagerduty-signing-secret";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pagerduty_signed_events_open_and_acknowledge_and_replays_are_refused() {
    let app = spawn_app().await;
    let saved = create_integration(
        &app,
        &[
            ("integration[kind]", "pagerduty"),
            ("integration[name]", "PagerDuty"),
            ("integration[secret]", PD_SECRET),
        ],
    )
    .await;
    assert!(saved["token"].is_null());
    assert_eq!(saved["integration"]["secret_hint"], "cret");

    let triggered = pd_event("E1", "incident.triggered", &minutes_ago(1));
    let signed = |body: &Value| format!("v1={}", sign(PD_SECRET, body.to_string().as_bytes()));

    let bad = post_pd(&app, &format!("v1={}", sign("other", b"x")), &triggered).await;
    assert_eq!(bad.status(), StatusCode::UNAUTHORIZED);
    let unsigned = app
        .anonymous
        .post(app.url(PD_PATH))
        .json(&triggered)
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(incident_total(&app).await, 0);

    let outcome: Value = post_pd(&app, &signed(&triggered), &triggered)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(outcome, json!({"outcome": "created", "incident": "INC-1"}));
    let opened = incident(&app, 1).await;
    assert_eq!(opened["title"], "Checkout is down");
    assert_eq!(opened["severity"], "SEV2");
    assert_eq!(opened["services"], json!(["checkout"]));
    let version = opened["version"].clone();

    // The same event id again: harmless.
    let outcome: Value = post_pd(&app, &signed(&triggered), &triggered)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(outcome["outcome"], "duplicate");
    assert_eq!(incident(&app, 1).await["version"], version);
    assert_eq!(incident_total(&app).await, 1);

    // During a secret rotation two signatures come; the second may match.
    let acknowledged = pd_event("E2", "incident.acknowledged", &minutes_ago(0));
    let rotated = format!(
        "v1={},v1={}",
        sign("the-old-secret", acknowledged.to_string().as_bytes()),
        sign(PD_SECRET, acknowledged.to_string().as_bytes())
    );
    let response = post_pd(&app, &rotated, &acknowledged).await;
    assert_eq!(response.status(), StatusCode::OK);
    let now = incident(&app, 1).await;
    assert_eq!(now["status"], "identified");
    assert!(now["acknowledged_at"].is_string());
    assert_eq!(
        now["timestamp_sources"]["acknowledged"]["source"],
        "webhook"
    );

    // An event from 10 minutes ago is refused as a replay.
    let stale = pd_event("E3", "incident.resolved", &minutes_ago(10));
    assert_invalid(
        post_pd(&app, &signed(&stale), &stale).await,
        "event.occurred_at",
    )
    .await;
    let garbled = json!({"event": {"id": "E4", "event_type": "incident.resolved", "occurred_at": "soon", "data": {}}});
    assert_invalid(
        post_pd(&app, &signed(&garbled), &garbled).await,
        "event.occurred_at",
    )
    .await;
    let no_id = json!({"event": {"event_type": "incident.resolved", "occurred_at": minutes_ago(0), "data": {}}});
    assert_invalid(post_pd(&app, &signed(&no_id), &no_id).await, "id").await;
    assert_eq!(incident(&app, 1).await["status"], "identified");

    // Resolved in PagerDuty: mitigated here, a person resolves it.
    let resolved = pd_event("E5", "incident.resolved", &minutes_ago(0));
    let outcome: Value = post_pd(&app, &signed(&resolved), &resolved)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(outcome["outcome"], "updated");
    assert_eq!(incident(&app, 1).await["status"], "monitoring");
    let entries = timeline(&app, 1).await;
    assert!(
        entries.iter().any(|e| e["body"]
            .as_str()
            .unwrap()
            .contains("PagerDuty resolved it")),
        "{entries:?}"
    );

    // Other event types are accepted and ignored.
    let other = pd_event("E6", "incident.priority_updated", &minutes_ago(0));
    let outcome: Value = post_pd(&app, &signed(&other), &other)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(outcome["outcome"], "ignored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_admins_configure_integrations() {
    let app = spawn_app().await;
    let fields = [
        ("integration[kind]", "alertmanager"),
        ("integration[name]", "am"),
    ];
    let responder = app
        .post_form(&app.client, "/api/fn/create_integration", &fields)
        .await;
    assert_eq!(responder.status(), StatusCode::FORBIDDEN);
    let list = app
        .client
        .post(app.url("/api/fn/get_integrations"))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), StatusCode::FORBIDDEN);
    let change = app
        .post_form(
            &app.client,
            "/api/fn/change_integration",
            &[
                ("change[id]", "1"),
                ("change[version]", "1"),
                ("change[action]", "disable"),
            ],
        )
        .await;
    assert_eq!(change.status(), StatusCode::FORBIDDEN);

    let admin = app.client_as(ADMIN).await;
    assert_invalid(
        app.post_form(
            &admin,
            "/api/fn/create_integration",
            &[
                ("integration[kind]", "pagerduty"),
                ("integration[name]", "pd"),
            ],
        )
        .await,
        "secret",
    )
    .await;
    assert_invalid(
        app.post_form(
            &admin,
            "/api/fn/create_integration",
            &[("integration[kind]", "nagios"), ("integration[name]", " ")],
        )
        .await,
        "kind",
    )
    .await;
    create_integration(&app, &fields).await;
    assert_invalid(
        app.post_form(&admin, "/api/fn/create_integration", &fields)
            .await,
        "name",
    )
    .await;

    // The page works without JavaScript, and a plain form post shows the token once.
    let page = admin
        .get(app.url("/admin/integrations"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("webhook_configs"), "the sample snippet");
    assert!(html.contains("/api/v1/webhooks/alertmanager"));
    let plain = admin
        .post(app.url("/api/fn/create_integration"))
        .header("accept", "text/html")
        .header("referer", app.url("/admin/integrations"))
        .form(&[
            ("integration[kind]", "alertmanager"),
            ("integration[name]", "staging"),
        ])
        .send()
        .await
        .unwrap();
    assert!(plain.status().is_redirection(), "{:?}", plain.status());
    let reveal = plain
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("firebreak_reveal="))
        .and_then(|v| v.split(';').next())
        .expect("a reveal cookie")
        .to_string();
    let token = reveal.split_once("webhook:").unwrap().1.to_string();
    let cookie_client = app.client_with_cookie(&format!("{}; {}", session_of(&app).await, reveal));
    let html = cookie_client
        .get(app.url("/admin/integrations"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&token), "the token is shown once");
}

async fn session_of(app: &TestApp) -> String {
    crate::helpers::session_cookie(&app.login(ADMIN, crate::helpers::PASSWORD).await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alerts_of_one_group_arriving_together_open_one_incident() {
    let app = spawn_app().await;
    let token = alertmanager_token(&app).await;
    let mut deliveries = tokio::task::JoinSet::new();
    for i in 0..6 {
        let body = group(
            "firing",
            vec![alert(
                "HighLatency",
                "firing",
                &format!("fp{i}"),
                &minutes_ago(2),
            )],
        );
        let request = app
            .anonymous
            .post(app.url(AM_PATH))
            .bearer_auth(&token)
            .json(&body);
        deliveries.spawn(async move { request.send().await.unwrap().status() });
    }
    while let Some(status) = deliveries.join_next().await {
        assert_eq!(status.unwrap(), StatusCode::OK);
    }
    assert_eq!(incident_total(&app).await, 1);
    let alerts = timeline(&app, 1)
        .await
        .iter()
        .filter(|e| e["kind"] == "alert")
        .count();
    assert_eq!(alerts, 6);
}
