//! Events are queued once, whatever repeats, and leased to one sender.
use super::*;
use crate::helpers::ADMIN;

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
