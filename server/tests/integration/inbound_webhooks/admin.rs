//! Only admins configure integrations; the page works without JavaScript.
use super::*;

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
    let change = change_integration(&app, &app.client, "1", "disable").await;
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
