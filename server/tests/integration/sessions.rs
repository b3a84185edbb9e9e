//! Signing in and out over HTTP: the cookie, rotation, rate limits,
//! password changes, disabled accounts and idle sessions.
use reqwest::StatusCode;
use reqwest::header::{LOCATION, SET_COOKIE};
use serde_json::{Value, json};

use crate::helpers::{
    ADMIN, PASSWORD, RESPONDER, VIEWER, me, session_cookie, spawn_app, spawn_with,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_sets_a_hardened_cookie_and_sign_out_ends_it() {
    let app = spawn_app().await;
    let response = app.login(RESPONDER, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let set_cookie = response.headers()[SET_COOKIE].to_str().unwrap().to_string();
    assert!(
        set_cookie.starts_with("__Host-firebreak_session="),
        "{set_cookie}"
    );
    for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(
            set_cookie.contains(attribute),
            "{attribute} in {set_cookie}"
        );
    }
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["email"], RESPONDER);
    assert_eq!(user["role"], "responder");

    let client = app.client_with_cookie(&session_cookie(&app.login(RESPONDER, PASSWORD).await));
    assert_eq!(me(&app, &client).await, StatusCode::OK);
    let out = client.post(app.url("/api/v1/logout")).send().await.unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert!(
        out.headers()[SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(
        me(&app, &client).await,
        StatusCode::UNAUTHORIZED,
        "the session is gone server-side"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_on_another_host_gets_an_unprefixed_cookie() {
    let app = spawn_with(|c| c.public_url = Some("http://firebreak.internal:3000".into())).await;
    let response = app.login(RESPONDER, PASSWORD).await;
    let set_cookie = response.headers()[SET_COOKIE].to_str().unwrap().to_string();
    assert!(set_cookie.starts_with("firebreak_session="), "{set_cookie}");
    assert!(!set_cookie.contains("Secure"), "{set_cookie}");
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_id_changes_at_sign_in() {
    let app = spawn_app().await;
    let first = session_cookie(&app.login(RESPONDER, PASSWORD).await);
    // Signing in again from the same browser: a new id, and the old one ends.
    let again = app
        .client_with_cookie(&first)
        .post(app.url("/api/v1/login"))
        .json(&json!({"email": RESPONDER, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let second = session_cookie(&again);
    assert_ne!(first, second);
    assert_eq!(
        me(&app, &app.client_with_cookie(&first)).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        me(&app, &app.client_with_cookie(&second)).await,
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_form_redirects_back_or_says_only_wrong_email_or_password() {
    let app = spawn_app().await;
    let ok = app
        .post_form(
            &app.anonymous,
            "/login",
            &[
                ("email", VIEWER),
                ("password", PASSWORD),
                ("next", "/incidents?status=open"),
            ],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(ok.headers()[LOCATION], "/incidents?status=open");
    assert!(
        ok.headers()[SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("firebreak_session=")
    );

    let offsite = app
        .post_form(
            &app.anonymous,
            "/login",
            &[
                ("email", VIEWER),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(offsite.headers()[LOCATION], "/", "never redirect off-site");

    let wrong_password = app.login(VIEWER, "not the password").await;
    let unknown_email = app.login("nobody@example.com", PASSWORD).await;
    assert_eq!(wrong_password.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_email.status(), StatusCode::UNAUTHORIZED);
    let a: Value = wrong_password.json().await.unwrap();
    let b: Value = unknown_email.json().await.unwrap();
    assert_eq!(
        a, b,
        "the same answer whether or not the email has an account"
    );
    assert_eq!(a["message"], "wrong email or password");

    let form = app
        .post_form(
            &app.anonymous,
            "/login",
            &[("email", VIEWER), ("password", "nope"), ("next", "/x")],
        )
        .await;
    assert_eq!(
        form.headers()[LOCATION],
        "/login?error=credentials&next=%2Fx"
    );
    let page = app
        .anonymous
        .get(app.url("/login?error=credentials"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::UNAUTHORIZED);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("Wrong email or password.")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_is_rate_limited_per_account() {
    let app = spawn_app().await;
    let mut statuses = Vec::new();
    for _ in 0..7 {
        statuses.push(app.login(ADMIN, "guessing").await);
    }
    let last = statuses.pop().unwrap();
    assert_eq!(last.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(last.headers().contains_key("retry-after"));
    let body: Value = last.json().await.unwrap();
    assert_eq!(body["error"], "too_many_requests");
    // Even the right password waits: the limit is on attempts.
    assert_eq!(
        app.login(ADMIN, PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another account is not affected.
    assert_eq!(app.login(VIEWER, PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_change_ends_every_other_session() {
    let app = spawn_app().await;
    let laptop = app.client_as(VIEWER).await;
    let phone = app.client_as(VIEWER).await;
    let wrong = app
        .post_form(
            &laptop,
            "/profile/password",
            &[
                ("current_password", "nope"),
                ("new_password", "a new long password"),
                ("confirm_password", "a new long password"),
            ],
        )
        .await;
    assert_eq!(wrong.headers()[LOCATION], "/profile?error=current_password");
    let changed = app
        .post_form(
            &laptop,
            "/profile/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a new long password"),
                ("confirm_password", "a new long password"),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(changed.headers()[LOCATION], "/profile?saved=password");
    let renewed = app.client_with_cookie(&session_cookie(&changed));
    assert_eq!(me(&app, &phone).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&app, &laptop).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&app, &renewed).await, StatusCode::OK);
    assert_eq!(
        app.login(VIEWER, PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login(VIEWER, "a new long password").await.status(),
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disabling_a_user_ends_their_sessions_and_tokens() {
    let app = spawn_app().await;
    let viewer = app.client_as(VIEWER).await;
    let token: Value = app
        .post_form(&viewer, "/api/fn/create_api_token", &[("name", "cron")])
        .await
        .json()
        .await
        .unwrap();
    let by_token = app.client_with_token(token["secret"].as_str().unwrap());
    assert_eq!(me(&app, &by_token).await, StatusCode::OK);
    let admin = app.client_as(ADMIN).await;
    let disable = app
        .post_form(
            &admin,
            "/api/fn/change_user",
            &[
                ("user_id", "3"),
                ("form[version]", "1"),
                ("form[disabled]", "true"),
            ],
        )
        .await;
    assert_eq!(disable.status(), StatusCode::OK);
    assert_eq!(me(&app, &viewer).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&app, &by_token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.login(VIEWER, PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_sessions_end() {
    let app = spawn_with(|c| c.session_idle_minutes = 1).await;
    let client = app.client_as(VIEWER).await;
    assert_eq!(me(&app, &client).await, StatusCode::OK);
    // Age the session in the database rather than waiting a minute.
    crate::backend::execute(
        app.data_dir(),
        "UPDATE sessions SET last_seen_at = '2020-01-01T00:00:00+00:00'",
    )
    .await
    .unwrap();
    assert_eq!(me(&app, &client).await, StatusCode::UNAUTHORIZED);
}
