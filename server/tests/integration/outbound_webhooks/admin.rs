//! Endpoints are for admins only, validated, versioned and audited.
use super::*;
use crate::helpers::{ADMIN, VIEWER, assert_invalid};

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

    // Without JavaScript, adding one is a form post that opens its page.
    let r = admin
        .post(app.url("/api/fn/save_webhook"))
        .header("accept", "text/html,application/xhtml+xml")
        .header("referer", app.url("/admin/webhooks"))
        .form(&[
            ("webhook[url]", "https://hooks.example.com/other"),
            ("webhook[incident_created]", "on"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
    let location = r.headers()["location"].to_str().unwrap();
    assert!(location.starts_with("/admin/webhooks/"), "{location}");
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
