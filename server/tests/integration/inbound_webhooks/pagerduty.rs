//! PagerDuty: signed events, rotation, stale and repeated events.
use super::*;

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
    let unsigned = post_without_credentials(&app, PD_PATH, &triggered).await;
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
