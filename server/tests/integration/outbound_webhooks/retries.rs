//! Failed deliveries are retried with backoff, given up, and retried by hand.
use super::*;
use crate::helpers::{ADMIN, assert_invalid};

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
