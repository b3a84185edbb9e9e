//! Each event reaches a receiver once, signed, with its payload.
use super::*;
use crate::helpers::ADMIN;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_event_reaches_the_receiver_once_signed_with_its_payload() {
    let app = quick_app(5).await;
    let admin = app.client_as(ADMIN).await;
    let receiver = Receiver::start(0).await;
    let endpoint = add_endpoint(&app, &admin, &receiver.url, &ALL_EVENTS, true).await;
    let secret = endpoint["secret"].as_str().unwrap().to_string();
    assert!(
        secret.starts_with("fbwh_") && secret.len() >= 45,
        "a long random secret"
    );
    let endpoint_id = endpoint["id"].as_i64().unwrap();

    // Declared, then a status change.
    let (id, postmortem) = crate::postmortems::started(&app, "").await;
    let r = app
        .patch_json(
            &format!("/api/v1/incidents/{id}"),
            &json!({"version": 1, "status": "monitoring"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    // The postmortem is reviewed and published.
    let form = |path: &'static str, fields: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let r = app.post_form(&app.client, path, &fields).await;
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            r.json::<Value>().await.unwrap()
        }
    };
    let version = postmortem["version"].as_i64().unwrap();
    let in_review = form(
        "/api/fn/move_postmortem",
        vec![
            ("change[incident]", id.clone()),
            ("change[status]", "in_review".into()),
            ("change[version]", version.to_string()),
        ],
    )
    .await;
    for item in [
        "key_data",
        "impact_assessed",
        "causes_deep",
        "actions_appropriate",
        "shared",
    ] {
        form(
            "/api/fn/tick_checklist",
            vec![
                ("tick[incident]", id.clone()),
                ("tick[item]", item.into()),
                ("tick[checked]", "on".into()),
            ],
        )
        .await;
    }
    let version = in_review["version"].as_i64().unwrap();
    let published = form(
        "/api/fn/move_postmortem",
        vec![
            ("change[incident]", id.clone()),
            ("change[status]", "published".into()),
            ("change[version]", version.to_string()),
        ],
    )
    .await;
    assert_eq!(published["status"], "published");
    // An action item whose due day has passed.
    let r = app
        .post_json(
            &format!("/api/v1/incidents/{id}/actions"),
            &json!({"title": "Rotate the replica keys", "due_on": "2025-01-15"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    // And a test event, sent by hand.
    let r = call(
        &app,
        &admin,
        "test_webhook",
        &[("test[id]", &endpoint_id.to_string())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);

    eventually("five deliveries", || async {
        receiver.received().len() >= 5
    })
    .await;
    // Everything is delivered; nothing more arrives (a repeat would be a second request).
    eventually("the log to show five delivered", || async {
        let page = endpoint_page(&app, &admin, endpoint_id).await;
        let log = page["deliveries"].as_array().unwrap().clone();
        log.len() == 5
            && log
                .iter()
                .all(|d| d["status"] == "delivered" && d["attempts"] == 1)
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let got = receiver.received();
    assert_eq!(
        got.len(),
        5,
        "each event once: {:?}",
        got.iter().map(|r| r.body.clone()).collect::<Vec<_>>()
    );

    let by_event = |event: &str| -> Received {
        let hits: Vec<&Received> = got
            .iter()
            .filter(|r| r.header("x-firebreak-event") == event)
            .collect();
        assert_eq!(hits.len(), 1, "{event} once");
        hits[0].clone()
    };
    for r in &got {
        assert!(
            signature_is_valid(&secret, r),
            "a valid signature on {}",
            r.body
        );
        assert!(!signature_is_valid("whsec_someone_else", r));
        assert_eq!(r.header("content-type"), "application/json");
        assert!(r.header("user-agent").starts_with("Firebreak-Webhooks/"));
        assert!(r.header("x-firebreak-delivery").parse::<i64>().is_ok());
        assert_eq!(r.json()["event"], r.header("x-firebreak-event"));
        assert_eq!(r.answered, 204);
    }
    let incident = json!({"id": 1, "human_id": id, "title": "Checkout lost its database", "severity": "SEV2", "status": "monitoring", "url": format!("{PUBLIC_URL}/incidents/{id}")});

    let created = by_event("incident.created").json();
    assert!(created["id"].as_str().unwrap().starts_with("audit:"));
    assert!(created["occurred_at"].is_string());
    assert_eq!(created["incident"]["human_id"], id.as_str());
    assert_eq!(created["incident"]["url"], incident["url"]);

    let changed = by_event("incident.status_changed").json();
    assert_eq!(changed["incident"], incident);
    assert_eq!(
        changed["change"],
        json!({"field": "status", "from": "investigating", "to": "monitoring"})
    );

    let published = by_event("postmortem.published").json();
    assert_eq!(published["incident"], incident);
    assert_eq!(
        published["postmortem"]["url"],
        format!("{PUBLIC_URL}/incidents/{id}/postmortem")
    );

    let overdue = by_event("action_item.overdue").json();
    assert_eq!(overdue["incident"]["human_id"], id.as_str());
    assert_eq!(overdue["action_item"]["title"], "Rotate the replica keys");
    assert_eq!(overdue["action_item"]["due_on"], "2025-01-15");
    assert!(overdue["action_item"]["days_overdue"].as_i64().unwrap() > 300);
    assert_eq!(
        overdue["id"],
        format!("overdue:{}:2025-01-15", overdue["action_item"]["id"])
    );

    let ping = by_event("ping").json();
    assert_eq!(ping["endpoint"]["id"], endpoint_id);
}
