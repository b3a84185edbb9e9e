//! Who may do what, over HTTP: pages, server functions and the REST API,
//! for each role and for nobody; the anonymous-read setting; cross-site
//! writes; security headers.
use reqwest::header::{ACCEPT, LOCATION};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{ADMIN, RESPONDER, TestApp, VIEWER, spawn_app};

async fn create_via_api(app: &TestApp, client: &Client) -> StatusCode {
    client
        .post(app.url("/api/v1/incidents"))
        .json(&json!({"title": "Disk full", "severity": "SEV3"}))
        .send()
        .await
        .unwrap()
        .status()
}

async fn create_via_server_fn(app: &TestApp, client: &Client) -> StatusCode {
    app.post_form(
        client,
        "/api/fn/create_incident",
        &[("form[title]", "Disk full"), ("form[severity]", "SEV3")],
    )
    .await
    .status()
}

async fn status_of(client: &Client, url: String) -> StatusCode {
    client.get(url).send().await.unwrap().status()
}

async fn server_fn(
    app: &TestApp,
    client: &Client,
    name: &str,
    form: &[(&str, &str)],
) -> StatusCode {
    client
        .post(app.url(&format!("/api/fn/{name}")))
        .form(form)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn viewers_read_but_cannot_write_or_administer() {
    let app = spawn_app().await;
    app.create_incident("Seen by a viewer").await;
    let viewer = app.client_as(VIEWER).await;

    assert_eq!(
        status_of(&viewer, app.url("/api/v1/incidents")).await,
        StatusCode::OK
    );
    assert_eq!(
        status_of(&viewer, app.url("/api/v1/incidents/1")).await,
        StatusCode::OK
    );
    let page = viewer
        .get(app.url("/incidents/INC-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Seen by a viewer"));
    assert!(
        !html.contains("Update status"),
        "no write forms for a viewer"
    );

    assert_eq!(create_via_api(&app, &viewer).await, StatusCode::FORBIDDEN);
    assert_eq!(
        create_via_server_fn(&app, &viewer).await,
        StatusCode::FORBIDDEN
    );
    let patch = viewer
        .patch(app.url("/api/v1/incidents/1"))
        .json(&json!({"version": 1, "title": "renamed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(patch.status(), StatusCode::FORBIDDEN);
    let body: Value = patch.json().await.unwrap();
    assert_eq!(body["error"], "forbidden");
    assert!(
        body["message"].as_str().unwrap().contains("responder"),
        "{body}"
    );

    assert_eq!(
        status_of(&viewer, app.url("/admin/users")).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        server_fn(&app, &viewer, "list_users", &[]).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status_of(&viewer, app.url("/api/v1/audit")).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status_of(&viewer, app.url("/api/v1/audit?entity=incident&id=1")).await,
        StatusCode::OK,
        "an incident's history is for every reader"
    );
    // A viewer may still manage their own tokens.
    assert_eq!(
        server_fn(&app, &viewer, "create_api_token", &[("name", "reports")]).await,
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responders_write_incidents_but_cannot_administer() {
    let app = spawn_app().await;
    let responder = app.client_as(RESPONDER).await;
    assert_eq!(create_via_api(&app, &responder).await, StatusCode::CREATED);
    assert_eq!(create_via_server_fn(&app, &responder).await, StatusCode::OK);
    let entry = responder
        .post(app.url("/api/v1/incidents/1/timeline"))
        .json(&json!({"kind": "note", "body": "looking"}))
        .send()
        .await
        .unwrap();
    assert_eq!(entry.status(), StatusCode::CREATED);
    assert_eq!(
        status_of(&responder, app.url("/incidents/new")).await,
        StatusCode::OK
    );

    assert_eq!(
        status_of(&responder, app.url("/admin/users")).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status_of(&responder, app.url("/admin/settings")).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        server_fn(&app, &responder, "list_users", &[]).await,
        StatusCode::FORBIDDEN
    );
    let promote = [
        ("user_id", "2"),
        ("form[version]", "1"),
        ("form[role]", "admin"),
    ];
    assert_eq!(
        server_fn(&app, &responder, "change_user", &promote).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        server_fn(
            &app,
            &responder,
            "change_settings",
            &[("version", "0"), ("anonymous_read", "on")]
        )
        .await,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_manage_users_and_settings() {
    let app = spawn_app().await;
    let admin = app.client_as(ADMIN).await;
    assert_eq!(create_via_api(&app, &admin).await, StatusCode::CREATED);
    let page = admin.get(app.url("/admin/users")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(VIEWER) && html.contains(RESPONDER),
        "every user listed"
    );
    assert_eq!(
        status_of(&admin, app.url("/admin/audit")).await,
        StatusCode::OK
    );
    assert_eq!(
        status_of(&admin, app.url("/api/v1/audit")).await,
        StatusCode::OK
    );

    // Promote the viewer (user 3) to responder: now they can write.
    let users: Value = admin
        .post(app.url("/api/fn/list_users"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let vera = users[0]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == VIEWER)
        .unwrap()
        .clone();
    let change = app
        .post_form(
            &admin,
            "/api/fn/change_user",
            &[
                ("user_id", vera["id"].to_string().as_str()),
                ("form[version]", vera["version"].to_string().as_str()),
                ("form[role]", "responder"),
            ],
        )
        .await;
    assert_eq!(change.status(), StatusCode::OK);
    let vera_client = app.client_as(VIEWER).await;
    assert_eq!(
        create_via_api(&app, &vera_client).await,
        StatusCode::CREATED
    );

    // The same stale version again is a conflict, not an overwrite.
    let stale = app
        .post_form(
            &admin,
            "/api/fn/change_user",
            &[
                ("user_id", vera["id"].to_string().as_str()),
                ("form[version]", vera["version"].to_string().as_str()),
                ("form[role]", "viewer"),
            ],
        )
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_admin_cannot_lock_everyone_out() {
    let app = spawn_app().await;
    let admin = app.client_as(ADMIN).await;
    let demote = app
        .post_form(
            &admin,
            "/api/fn/change_user",
            &[
                ("user_id", "1"),
                ("form[version]", "1"),
                ("form[role]", "viewer"),
            ],
        )
        .await;
    assert_eq!(demote.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = demote.json().await.unwrap();
    assert!(
        body["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("last active admin")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_requests_are_refused_by_default() {
    let app = spawn_app().await;
    app.create_incident("Private history").await;
    let nobody = &app.anonymous;
    let api = nobody
        .get(app.url("/api/v1/incidents"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(api.json::<Value>().await.unwrap()["error"], "unauthorized");
    assert_eq!(create_via_api(&app, nobody).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        create_via_server_fn(&app, nobody).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        server_fn(&app, nobody, "get_incident", &[("id", "1")]).await,
        StatusCode::UNAUTHORIZED
    );
    let page = nobody
        .get(app.url("/incidents/INC-1?x=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        page.headers()[LOCATION],
        "/login?next=%2Fincidents%2FINC-1%3Fx%3D1"
    );
    let login = nobody.get(app.url("/login")).send().await.unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    assert!(login.text().await.unwrap().contains("Sign in to Firebreak"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_reading_is_an_opt_in_setting_and_never_allows_writes() {
    let app = spawn_app().await;
    app.create_incident("Public history").await;
    let admin = app.client_as(ADMIN).await;
    let on = app
        .post_form(
            &admin,
            "/api/fn/change_settings",
            &[("version", "0"), ("anonymous_read", "on")],
        )
        .await;
    assert_eq!(on.status(), StatusCode::OK);
    let nobody = &app.anonymous;
    assert_eq!(
        status_of(nobody, app.url("/api/v1/incidents")).await,
        StatusCode::OK
    );
    let page = nobody
        .get(app.url("/incidents/INC-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Public history"));
    assert_eq!(create_via_api(&app, nobody).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        create_via_server_fn(&app, nobody).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status_of(nobody, app.url("/api/v1/audit")).await,
        StatusCode::UNAUTHORIZED
    );

    let off = app
        .post_form(&admin, "/api/fn/change_settings", &[("version", "1")])
        .await;
    assert_eq!(off.status(), StatusCode::OK);
    assert_eq!(
        status_of(nobody, app.url("/api/v1/incidents")).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_with_a_valid_cookie_are_refused() {
    let app = spawn_app().await;
    for (header, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let server_fn = app
            .client
            .post(app.url("/api/fn/create_incident"))
            .header(header, value)
            .header(ACCEPT, "text/html")
            .form(&[("form[title]", "Planted"), ("form[severity]", "SEV1")])
            .send()
            .await
            .unwrap();
        assert_eq!(server_fn.status(), StatusCode::FORBIDDEN, "{header}");
        let api = app
            .client
            .post(app.url("/api/v1/incidents"))
            .header(header, value)
            .json(&json!({"title": "Planted", "severity": "SEV1"}))
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), StatusCode::FORBIDDEN, "{header}");
        let logout = app
            .client
            .post(app.url("/logout"))
            .header(header, value)
            .send()
            .await
            .unwrap();
        assert_eq!(logout.status(), StatusCode::FORBIDDEN, "{header}");
    }
    let listed: Value = app.get("/api/v1/incidents").await.json().await.unwrap();
    assert_eq!(listed["total"], 0, "nothing was planted");
    // The same post from Firebreak's own page goes through.
    let own = app
        .client
        .post(app.url("/api/v1/incidents"))
        .header("origin", format!("http://{}", app.addr))
        .header("sec-fetch-site", "same-origin")
        .json(&json!({"title": "Real", "severity": "SEV1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), StatusCode::CREATED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_a_nonce_csp_and_the_security_headers() {
    let app = spawn_app().await;
    let page = app.get("/incidents").await;
    let header = |name: &str| page.headers()[name].to_str().unwrap().to_string();
    let csp = header("content-security-policy");
    for directive in [
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "'wasm-unsafe-eval'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the CSP")
        .to_string();
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("referrer-policy"), "same-origin");
    assert_eq!(header("cache-control"), "no-store");
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "scripts carry the header's nonce"
    );
    let again = app.get("/incidents").await;
    let other = again.headers()["content-security-policy"].to_str().unwrap();
    assert!(!other.contains(&nonce), "a fresh nonce per response");
}
