//! Alertmanager: firing opens, resolved mitigates, replays and bad tokens.
use super::*;

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

    // Another alert of the group adds to the same incident. Its start is
    // read once: Alertmanager repeats it, and a new start is a new event.
    let second_started = minutes_ago(1);
    let second = alert("HighErrorRate", "firing", "fp2", &second_started);
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
            alert("HighErrorRate", "firing", "fp2", &second_started),
        ],
    );
    post_am(&app, &token, &one_resolved).await;
    assert_eq!(incident(&app, 1).await["status"], "investigating");

    // Every alert resolved: mitigated (monitoring), set by the webhook.
    let all_resolved = group(
        "resolved",
        vec![
            alert("HighLatency", "resolved", "fp1", &started),
            alert("HighErrorRate", "resolved", "fp2", &second_started),
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
    let missing = post_without_credentials(&app, AM_PATH, &firing).await;
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
    let rotated: Value = change_integration(&app, &admin, "1", "rotate")
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
    let stale = change_integration(&app, &admin, "1", "disable").await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let disabled = change_integration(&app, &admin, "2", "disable").await;
    assert_eq!(disabled.status(), StatusCode::OK);
    assert_eq!(
        post_am(&app, &new_token, &firing).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(incident_total(&app).await, 0);
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
