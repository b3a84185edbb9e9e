//! Outbound webhooks end to end: a receiver in the test records what
//! Firebreak posts (and can fail on purpose); endpoints are managed through
//! the admin's server functions; events come from ordinary use. This file
//! holds the receiver and the helpers; the tests are in `outbound_webhooks/`.
mod admin;
mod delivery;
mod exactly_once;
mod retries;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use hmac::{Hmac, Mac};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::{TestApp, spawn_with};

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
