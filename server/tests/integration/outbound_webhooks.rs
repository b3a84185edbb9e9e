//! Outbound webhooks end to end: a receiver in the test records what
//! Firebreak posts (and can fail on purpose); endpoints are managed through
//! the admin's server functions; events come from ordinary use.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use hmac::{Hmac, Mac};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::{ADMIN, TestApp, VIEWER, assert_invalid, spawn_with};

const PUBLIC_URL: &str = "http://localhost:3000";

#[derive(Debug, Clone)]
struct Received {
    headers: HeaderMap,
    body: String,
    answered: u16,
}

impl Received {
    fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }
}

/// A webhook receiver on port 0 that answers 500 to its first `fail_first` requests.
#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<Received>>>,
    fail_first: Arc<AtomicUsize>,
    url: String,
}

impl Receiver {
    async fn start(fail_first: usize) -> Self {
        async fn receive(
            State(r): State<Receiver>,
            headers: HeaderMap,
            body: String,
        ) -> AxumStatus {
            let fail = r
                .fail_first
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok();
            let status = if fail {
                AxumStatus::INTERNAL_SERVER_ERROR
            } else {
                AxumStatus::NO_CONTENT
            };
            r.got.lock().unwrap().push(Received {
                headers,
                body,
                answered: status.as_u16(),
            });
            status
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut receiver = Receiver {
            fail_first: Arc::new(AtomicUsize::new(fail_first)),
            ..Receiver::default()
        };
        receiver.url = format!("http://{}/hooks/firebreak", listener.local_addr().unwrap());
        let router = axum::Router::new()
            .route("/hooks/firebreak", axum::routing::post(receive))
            .with_state(receiver.clone());
        tokio::spawn(async move { axum::serve(listener, router).await });
        receiver
    }

    fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }
}

/// Polls `check` until it holds, failing after a generous deadline.
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..600 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

async fn quick_app(max_attempts: u32) -> TestApp {
    spawn_with(|c| {
        c.public_url = Some(PUBLIC_URL.into());
        c.webhook_poll_ms = 50;
        c.webhook_retry_base_secs = 0.2;
        c.webhook_max_attempts = max_attempts;
        c.webhook_overdue_check_secs = 1;
    })
    .await
}

async fn call(
    app: &TestApp,
    client: &Client,
    name: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    app.post_form(client, &format!("/api/fn/{name}"), fields)
        .await
}

/// Adds an endpoint for `events` (form field names) and returns it.
async fn add_endpoint(
    app: &TestApp,
    admin: &Client,
    url: &str,
    events: &[&str],
    enabled: bool,
) -> Value {
    let mut fields = vec![
        ("webhook[url]", url),
        ("webhook[description]", "on-call bot"),
    ];
    let names: Vec<String> = events.iter().map(|e| format!("webhook[{e}]")).collect();
    fields.extend(names.iter().map(|n| (n.as_str(), "on")));
    if enabled {
        fields.push(("webhook[enabled]", "on"));
    }
    let r = call(app, admin, "save_webhook", &fields).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

async fn endpoint_page(app: &TestApp, admin: &Client, id: i64) -> Value {
    let r = call(app, admin, "get_webhook", &[("id", &id.to_string())]).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

/// What a receiver does with `X-Firebreak-Signature`, written out here
/// independently of the server's code.
fn signature_is_valid(secret: &str, r: &Received) -> bool {
    let header = r.header("x-firebreak-signature");
    let mut parts = header.split(',');
    let (Some(t), Some(v1)) = (
        parts.next().and_then(|p| p.strip_prefix("t=")),
        parts.next().and_then(|p| p.strip_prefix("v1=")),
    ) else {
        return false;
    };
    let fresh = (chrono::Utc::now().timestamp() - t.parse::<i64>().unwrap_or(0)).abs() < 300;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{}", r.body).as_bytes());
    fresh
        && mac
            .verify_slice(&hex::decode(v1).unwrap_or_default())
            .is_ok()
}

const ALL_EVENTS: [&str; 4] = [
    "incident_created",
    "status_changed",
    "postmortem_published",
    "action_item_overdue",
];

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_are_retried_then_given_up_and_can_be_retried_by_hand() {
    let app = quick_app(3).await;
    let admin = app.client_as(ADMIN).await;
    let flaky = Receiver::start(2).await;
    let down = Receiver::start(usize::MAX).await;
    let off = Receiver::start(0).await;
    let flaky_id = add_endpoint(&app, &admin, &flaky.url, &["incident_created"], true).await["id"]
        .as_i64()
        .unwrap();
    let down_id = add_endpoint(&app, &admin, &down.url, &["incident_created"], true).await["id"]
        .as_i64()
        .unwrap();
    let off_id = add_endpoint(&app, &admin, &off.url, &["incident_created"], false).await["id"]
        .as_i64()
        .unwrap();
    let status_only = add_endpoint(&app, &admin, &off.url, &["status_changed"], true).await["id"]
        .as_i64()
        .unwrap();

    app.create_incident("Payments queue stuck").await;

    // Two failures, then success: three requests for one delivery and one event.
    eventually("the flaky receiver's delivery", || async {
        let log = endpoint_page(&app, &admin, flaky_id).await["deliveries"].clone();
        log[0]["status"] == "delivered"
    })
    .await;
    let log = endpoint_page(&app, &admin, flaky_id).await["deliveries"].clone();
    assert_eq!(log.as_array().unwrap().len(), 1);
    assert_eq!(log[0]["attempts"], 3);
    assert_eq!(log[0]["last_status_code"], 204);
    let got = flaky.received();
    let delivery_id = log[0]["id"].to_string();
    assert_eq!(
        got.iter().map(|r| r.answered).collect::<Vec<_>>(),
        [500, 500, 204]
    );
    assert!(
        got.iter().all(|r| r.body == got[0].body),
        "the same event each time"
    );
    assert!(
        got.iter()
            .all(|r| r.header("x-firebreak-delivery") == delivery_id)
    );

    // Always failing: given up after three attempts, and shown so.
    eventually("the failing receiver's delivery to fail", || async {
        let log = endpoint_page(&app, &admin, down_id).await["deliveries"].clone();
        log[0]["status"] == "failed"
    })
    .await;
    let failed = endpoint_page(&app, &admin, down_id).await["deliveries"][0].clone();
    assert_eq!(failed["attempts"], 3);
    assert_eq!(failed["last_status_code"], 500);
    assert!(failed["last_error"].as_str().unwrap().contains("500"));
    assert_eq!(failed["next_attempt_at"], Value::Null);
    assert_eq!(down.received().len(), 3);
    let page = admin
        .get(app.url(&format!("/admin/webhooks/{down_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("failed") && html.contains("Retry now"),
        "the log shows the failure"
    );

    // A disabled endpoint and one for other events got nothing.
    assert_eq!(
        endpoint_page(&app, &admin, off_id).await["deliveries"],
        json!([])
    );
    assert_eq!(
        endpoint_page(&app, &admin, status_only).await["deliveries"],
        json!([])
    );

    // "Retry now" once the receiver is back.
    down.fail_first.store(0, Ordering::SeqCst);
    let retry = |delivery: String| {
        let (app, admin) = (&app, &admin);
        async move {
            call(
                app,
                admin,
                "retry_webhook_delivery",
                &[
                    ("retry[endpoint]", &down_id.to_string()),
                    ("retry[delivery]", &delivery),
                ],
            )
            .await
        }
    };
    let r = retry(failed["id"].to_string()).await;
    assert_eq!(r.status(), StatusCode::OK);
    eventually("the retried delivery", || async {
        endpoint_page(&app, &admin, down_id).await["deliveries"][0]["status"] == "delivered"
    })
    .await;
    assert_eq!(
        endpoint_page(&app, &admin, down_id).await["deliveries"][0]["attempts"],
        4
    );
    // Only failed deliveries can be retried.
    assert_invalid(retry(failed["id"].to_string()).await, "delivery").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endpoints_are_for_admins_validated_and_versioned() {
    let app = quick_app(3).await;
    let admin = app.client_as(ADMIN).await;
    let viewer = app.client_as(VIEWER).await;
    for (client, expected) in [
        (&app.client, StatusCode::FORBIDDEN),
        (&viewer, StatusCode::FORBIDDEN),
        (&app.anonymous, StatusCode::UNAUTHORIZED),
    ] {
        assert_eq!(
            call(&app, client, "list_webhooks", &[]).await.status(),
            expected
        );
        let r = call(
            &app,
            client,
            "save_webhook",
            &[
                ("webhook[url]", "https://example.com/x"),
                ("webhook[incident_created]", "on"),
            ],
        )
        .await;
        assert_eq!(r.status(), expected);
    }
    let page = app
        .client
        .get(app.url("/admin/webhooks"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::FORBIDDEN);

    let bad = call(
        &app,
        &admin,
        "save_webhook",
        &[("webhook[url]", "ftp://example.com/x")],
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = bad.json().await.unwrap();
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["url", "events"]);
    assert_invalid(
        call(
            &app,
            &admin,
            "save_webhook",
            &[
                ("webhook[url]", "javascript:alert(1)"),
                ("webhook[incident_created]", "on"),
            ],
        )
        .await,
        "url",
    )
    .await;

    let created = add_endpoint(
        &app,
        &admin,
        "https://hooks.example.com/firebreak",
        &["incident_created"],
        true,
    )
    .await;
    let id = created["id"].as_i64().unwrap().to_string();
    assert_eq!(created["version"], 1);
    assert_eq!(created["events"], json!(["incident.created"]));
    let edit = |version: &'static str, description: &'static str| {
        let (app, admin, id) = (&app, &admin, id.clone());
        async move {
            call(
                app,
                admin,
                "save_webhook",
                &[
                    ("webhook[id]", id.as_str()),
                    ("webhook[version]", version),
                    ("webhook[url]", "https://hooks.example.com/firebreak"),
                    ("webhook[description]", description),
                    ("webhook[status_changed]", "on"),
                ],
            )
            .await
        }
    };
    let saved: Value = edit("1", "pager bridge").await.json().await.unwrap();
    assert_eq!(saved["version"], 2);
    assert_eq!(saved["enabled"], false);
    assert_eq!(saved["events"], json!(["incident.status_changed"]));
    assert_eq!(
        saved["secret"], created["secret"],
        "editing keeps the secret"
    );
    let stale = edit("1", "someone else's edit").await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let body: Value = stale.json().await.unwrap();
    assert_eq!(body["current_version"], 2);

    // The pages, without JavaScript: the list, and the endpoint with its secret.
    let list = admin.get(app.url("/admin/webhooks")).send().await.unwrap();
    assert_eq!(list.status(), StatusCode::OK);
    assert!(
        list.text()
            .await
            .unwrap()
            .contains("https://hooks.example.com/firebreak")
    );
    let page = admin
        .get(app.url(&format!("/admin/webhooks/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains(created["secret"].as_str().unwrap()));
    assert!(html.contains("pager bridge"));
    let missing = admin
        .get(app.url("/admin/webhooks/999"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    // The audit log records the changes, never the secret.
    let audit = admin
        .get(app.url("/api/v1/audit?entity=webhook_endpoint"))
        .send()
        .await
        .unwrap();
    let text = audit.text().await.unwrap();
    assert!(text.contains("webhook.update"), "{text}");
    assert!(!text.contains(created["secret"].as_str().unwrap()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rewound_cursor_queues_nothing_twice() {
    let app = quick_app(3).await;
    let admin = app.client_as(ADMIN).await;
    let receiver = Receiver::start(0).await;
    let endpoint = add_endpoint(&app, &admin, &receiver.url, &["incident_created"], true).await;
    app.create_incident("Edge cache cold").await;
    eventually("the first delivery", || async {
        receiver.received().len() == 1
    })
    .await;

    // As after a crash between queueing and moving the cursor: the same
    // audit rows are read again, and the unique event key drops them.
    crate::backend::execute(app.data_dir(), "UPDATE webhook_cursor SET audit_id = 0")
        .await
        .unwrap();
    app.create_incident("Edge cache cold again").await;
    eventually("the second delivery", || async {
        receiver.received().len() >= 2
    })
    .await;
    let log = endpoint_page(&app, &admin, endpoint["id"].as_i64().unwrap()).await;
    assert_eq!(log["deliveries"].as_array().unwrap().len(), 2);
    let titles: Vec<Value> = receiver
        .received()
        .iter()
        .map(|r| r.json()["incident"]["title"].clone())
        .collect();
    assert_eq!(
        titles,
        [json!("Edge cache cold"), json!("Edge cache cold again")]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_senders_never_lease_the_same_delivery() {
    // The app's own sender sleeps for a minute after its first look.
    let app = spawn_with(|c| c.webhook_poll_ms = 60_000).await;
    let admin = app.client_as(ADMIN).await;
    let endpoint = add_endpoint(
        &app,
        &admin,
        "http://127.0.0.1:9/never",
        &["incident_created"],
        true,
    )
    .await;
    let id = endpoint["id"].as_i64().unwrap().to_string();
    for _ in 0..12 {
        let r = call(&app, &admin, "test_webhook", &[("test[id]", &id)]).await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    // Two instances' stores on the same database lease at once.
    let (one, two) = (
        crate::backend::open_store(app.data_dir()).await,
        crate::backend::open_store(app.data_dir()).await,
    );
    let now = chrono::Utc::now();
    let until = now + chrono::Duration::seconds(60);
    let (a, b) = tokio::join!(
        one.lease_webhook_deliveries(now, until, 8),
        two.lease_webhook_deliveries(now, until, 8)
    );
    let mut ids: Vec<i64> = a
        .unwrap()
        .iter()
        .chain(b.unwrap().iter())
        .map(|d| d.id)
        .collect();
    assert_eq!(ids.len(), 12, "every due delivery leased once");
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 12, "no delivery leased twice");
    let again = one.lease_webhook_deliveries(now, until, 8).await.unwrap();
    assert!(
        again.is_empty(),
        "held deliveries stay held until their lease ends"
    );
}
