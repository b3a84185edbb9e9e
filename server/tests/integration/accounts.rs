//! Accounts over HTTP: signing in and out, sessions, passwords, tokens,
//! invitations, the audit log, people on incidents, and the CLI.
use reqwest::StatusCode;
use reqwest::header::{LOCATION, SET_COOKIE};
use serde_json::{Value, json};

use crate::helpers::{
    ADMIN, PASSWORD, RESPONDER, TestApp, VIEWER, session_cookie, spawn_app, spawn_with,
};

async fn me(app: &TestApp, client: &reqwest::Client) -> StatusCode {
    client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .status()
}

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
        .anonymous
        .post(app.url("/login"))
        .form(&[
            ("email", VIEWER),
            ("password", PASSWORD),
            ("next", "/incidents?status=open"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(ok.headers()[LOCATION], "/incidents?status=open");
    assert!(
        ok.headers()[SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("firebreak_session=")
    );

    let offsite = app
        .anonymous
        .post(app.url("/login"))
        .form(&[
            ("email", VIEWER),
            ("password", PASSWORD),
            ("next", "//evil.example/"),
        ])
        .send()
        .await
        .unwrap();
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
        .anonymous
        .post(app.url("/login"))
        .form(&[("email", VIEWER), ("password", "nope"), ("next", "/x")])
        .send()
        .await
        .unwrap();
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
    let wrong = laptop
        .post(app.url("/profile/password"))
        .form(&[
            ("current_password", "nope"),
            ("new_password", "a new long password"),
            ("confirm_password", "a new long password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.headers()[LOCATION], "/profile?error=current_password");
    let changed = laptop
        .post(app.url("/profile/password"))
        .form(&[
            ("current_password", PASSWORD),
            ("new_password", "a new long password"),
            ("confirm_password", "a new long password"),
        ])
        .send()
        .await
        .unwrap();
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
    let token: Value = viewer
        .post(app.url("/api/fn/create_api_token"))
        .form(&[("name", "cron")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let by_token = app.client_with_token(token["secret"].as_str().unwrap());
    assert_eq!(me(&app, &by_token).await, StatusCode::OK);
    let admin = app.client_as(ADMIN).await;
    let disable = admin
        .post(app.url("/api/fn/change_user"))
        .form(&[
            ("user_id", "3"),
            ("form[version]", "1"),
            ("form[disabled]", "true"),
        ])
        .send()
        .await
        .unwrap();
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
    let pool = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        app.data_dir().join("firebreak.db").display()
    ))
    .await
    .unwrap();
    sqlx::query("UPDATE sessions SET last_seen_at = '2020-01-01T00:00:00+00:00'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(me(&app, &client).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_work_on_the_api_until_revoked() {
    let app = spawn_app().await;
    let created: Value = app
        .client
        .post(app.url("/api/fn/create_api_token"))
        .form(&[("name", "alert bridge")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = created["secret"].as_str().unwrap();
    assert!(secret.starts_with("fbk_"));
    let bot = app.client_with_token(secret);
    let made = bot
        .post(app.url("/api/v1/incidents"))
        .json(&json!({"title": "From a script", "severity": "SEV4"}))
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), StatusCode::CREATED);

    let profile: Value = app
        .client
        .post(app.url("/api/fn/my_profile"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let listed = &profile["tokens"][0];
    assert_eq!(listed["name"], "alert bridge");
    assert!(
        listed.get("secret").is_none() && !profile.to_string().contains(secret),
        "never listed again"
    );
    assert!(listed["last_used_at"].is_string());

    let token_id = created["token"]["id"].to_string();
    let revoke = app
        .client
        .post(app.url("/api/fn/revoke_api_token"))
        .form(&[("token_id", token_id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(revoke.status(), StatusCode::OK);
    let refused = bot.get(app.url("/api/v1/incidents")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let body: Value = refused.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("revoked"));
    let garbage = app.client_with_token("fbk_not-a-token");
    assert_eq!(me(&app, &garbage).await, StatusCode::UNAUTHORIZED);

    // Someone else cannot revoke your token.
    let other = app.client_as(VIEWER).await;
    let theirs = other
        .post(app.url("/api/fn/revoke_api_token"))
        .form(&[("token_id", token_id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_a_new_token_is_shown_once_on_the_next_page() {
    let app = spawn_app().await;
    let post = app
        .client
        .post(app.url("/api/fn/create_api_token"))
        .header("accept", "text/html")
        .header("referer", app.url("/profile"))
        .form(&[("name", "no-js")])
        .send()
        .await
        .unwrap();
    assert!(post.status().is_redirection());
    let reveal = post
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("firebreak_reveal="))
        .expect("a reveal cookie");
    assert!(reveal.contains("HttpOnly") && reveal.contains("Max-Age=120"));
    let pair = reveal.split(';').next().unwrap().to_string();
    let cookie = format!("{}; {pair}", app.session);
    let page = app
        .client_with_cookie(&cookie)
        .get(app.url("/profile"))
        .send()
        .await
        .unwrap();
    let cleared = page.headers().get_all(SET_COOKIE).iter().any(|v| {
        let v = v.to_str().unwrap();
        v.starts_with("firebreak_reveal=;") && v.contains("Max-Age=0")
    });
    assert!(cleared, "the page clears the cookie as it shows the secret");
    let html = page.text().await.unwrap();
    let secret = pair.trim_start_matches("firebreak_reveal=token:");
    assert!(html.contains(secret), "the token appears on the page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_sets_a_password_once() {
    let app = spawn_app().await;
    let admin = app.client_as(ADMIN).await;
    let invitation: Value = admin
        .post(app.url("/api/fn/invite_user"))
        .form(&[
            ("form[email]", "Nia@Example.com"),
            ("form[name]", "Nia"),
            ("form[role]", "responder"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(invitation["user"]["email"], "nia@example.com");
    assert_eq!(invitation["user"]["invite_pending"], true);
    let link = invitation["link"].as_str().unwrap().to_string();
    assert_eq!(
        app.login("nia@example.com", "anything at all")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let page = app.anonymous.get(app.url(&link)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("nia@example.com"));

    let short = app
        .anonymous
        .post(app.url(&link))
        .form(&[("password", "short"), ("confirm_password", "short")])
        .send()
        .await
        .unwrap();
    assert!(
        short.headers()[LOCATION]
            .to_str()
            .unwrap()
            .ends_with("?error=new_password")
    );
    let accepted = app
        .anonymous
        .post(app.url(&link))
        .form(&[
            ("password", "nia's long password"),
            ("confirm_password", "nia's long password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    let nia = app.client_with_cookie(&session_cookie(&accepted));
    assert_eq!(me(&app, &nia).await, StatusCode::OK);
    let reuse = app
        .anonymous
        .post(app.url(&link))
        .form(&[
            ("password", "another password"),
            ("confirm_password", "another password"),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        reuse.headers()[LOCATION]
            .to_str()
            .unwrap()
            .ends_with("?error=invitation")
    );
    assert_eq!(
        app.anonymous
            .get(app.url(&link))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );

    let taken = admin
        .post(app.url("/api/fn/invite_user"))
        .form(&[
            ("form[email]", "nia@example.com"),
            ("form[name]", "Nia 2"),
            ("form[role]", "viewer"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(taken.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_writes_one_audit_row_naming_the_actor() {
    let app = spawn_app().await;
    app.create_incident("Audited").await;
    app.patch_json(
        "/api/v1/incidents/1",
        &json!({"version": 1, "title": "Audited twice", "severity": "SEV1"}),
    )
    .await;
    app.post_json(
        "/api/v1/incidents/1/timeline",
        &json!({"kind": "note", "body": "hello"}),
    )
    .await;
    app.patch_json(
        "/api/v1/incidents/1",
        &json!({"version": 2, "status": "resolved"}),
    )
    .await;
    // A save that changes nothing writes nothing.
    app.patch_json(
        "/api/v1/incidents/1",
        &json!({"version": 3, "title": "Audited twice"}),
    )
    .await;

    let audit: Value = app
        .get("/api/v1/audit?entity=incident&id=1")
        .await
        .json()
        .await
        .unwrap();
    let rows = audit["items"].as_array().unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        ["status", "timeline.add", "update", "create"],
        "newest first"
    );
    assert!(
        rows.iter()
            .all(|r| r["actor"] == RESPONDER && r["channel"] == "api")
    );
    let update = &rows[2]["changes"];
    assert_eq!(update.as_array().unwrap().len(), 2, "{update}");
    assert!(
        update
            .as_array()
            .unwrap()
            .contains(&json!({"field": "title", "before": "Audited", "after": "Audited twice"}))
    );
    assert!(
        update
            .as_array()
            .unwrap()
            .contains(&json!({"field": "severity", "before": "SEV2", "after": "SEV1"}))
    );

    let page = app.get("/incidents/INC-1").await.text().await.unwrap();
    assert!(
        page.contains("History (4)"),
        "the incident page shows its history"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_refuses_updates_and_deletes() {
    let app = spawn_app().await;
    app.create_incident("Tamper target").await;
    let pool = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        app.data_dir().join("firebreak.db").display()
    ))
    .await
    .unwrap();
    let update = sqlx::query("UPDATE audit_log SET actor = 'someone else'")
        .execute(&pool)
        .await;
    let delete = sqlx::query("DELETE FROM audit_log").execute(&pool).await;
    for result in [update, delete] {
        let error = result.expect_err("tampering is refused").to_string();
        assert!(error.contains("append-only"), "{error}");
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE actor = ?")
        .bind(RESPONDER)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(count >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_with_accounts_become_user_references() {
    let app = spawn_app().await;
    let made: Value = app
        .post_json("/api/v1/incidents", &json!({"title": "Who leads", "severity": "SEV2", "commander": "ADA@example.com", "comms_lead": "Sam Outside"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(made["commander"], "Ada");
    assert_eq!(made["commander_user"]["email"], ADMIN);
    assert_eq!(made["comms_lead"], "Sam Outside");
    assert!(
        made["comms_lead_user"].is_null(),
        "free text stays free text"
    );
    let renamed: Value = app
        .patch_json(
            "/api/v1/incidents/1",
            &json!({"version": 1, "comms_lead": "vera"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(renamed["comms_lead"], "Vera");
    assert_eq!(renamed["comms_lead_user"]["email"], VIEWER);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_adds_users_and_prints_a_token_as_its_last_line() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_str().unwrap();
    let mut add = Command::new(env!("CARGO_BIN_EXE_firebreak"))
        .args([
            "user",
            "add",
            "--email",
            "ops@example.com",
            "--admin",
            "--password-stdin",
            "--data-dir",
            data_dir,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(b"operator password\n")
        .unwrap();
    let added = add.wait_with_output().unwrap();
    assert!(added.status.success(), "{added:?}");
    assert!(String::from_utf8_lossy(&added.stdout).contains("ops@example.com"));

    let token = Command::new(env!("CARGO_BIN_EXE_firebreak"))
        .args([
            "token",
            "create",
            "--email",
            "ops@example.com",
            "--data-dir",
            data_dir,
        ])
        .output()
        .unwrap();
    assert!(token.status.success(), "{token:?}");
    let stdout = String::from_utf8(token.stdout).unwrap();
    let secret = stdout.lines().last().unwrap().trim().to_string();
    assert!(secret.starts_with("fbk_"), "{stdout}");

    let short = Command::new(env!("CARGO_BIN_EXE_firebreak"))
        .args([
            "user",
            "add",
            "--email",
            "x@example.com",
            "--password-stdin",
            "--data-dir",
            data_dir,
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("password"));

    let config = server::config::ServeConfig::for_data_dir(
        dir.path().to_path_buf(),
        "127.0.0.1:0".parse().unwrap(),
    );
    let app = server::startup::Application::build(&config).await.unwrap();
    let addr = app.addr();
    tokio::spawn(app.run_until_stopped());
    let me: Value = reqwest::Client::new()
        .get(format!("http://{addr}/api/v1/me"))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "ops@example.com");
    assert_eq!(me["role"], "admin");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_registry_offers_a_first_admin_invitation_until_used() {
    let dir = tempfile::tempdir().unwrap();
    let config = server::config::ServeConfig::for_data_dir(
        dir.path().to_path_buf(),
        "127.0.0.1:0".parse().unwrap(),
    );
    let app = server::startup::Application::build(&config).await.unwrap();
    let accounts = app.accounts().clone();
    // Start-up made one; asking again renews it (the old link dies).
    let link = accounts
        .first_admin_invitation()
        .await
        .unwrap()
        .expect("an invitation");
    let addr = app.addr();
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let accepted = client
        .post(format!("http://{addr}{link}"))
        .form(&[
            ("password", "first admin password"),
            ("confirm_password", "first admin password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    let me: Value = client
        .get(format!("http://{addr}/api/v1/me"))
        .header("cookie", session_cookie(&accepted))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "admin@localhost");
    assert_eq!(me["role"], "admin");
    assert_eq!(
        accounts.first_admin_invitation().await.unwrap(),
        None,
        "no more once someone can sign in"
    );
}
