//! API tokens (shown once, revocable), invitations, the first admin, and
//! the `user add` / `token create` commands.
use reqwest::StatusCode;
use reqwest::header::{LOCATION, SET_COOKIE};
use serde_json::{Value, json};

use crate::helpers::{ADMIN, VIEWER, me, session_cookie, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_work_on_the_api_until_revoked() {
    let app = spawn_app().await;
    let created: Value = app
        .post_form(
            &app.client,
            "/api/fn/create_api_token",
            &[("name", "alert bridge")],
        )
        .await
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
        .post_form(
            &app.client,
            "/api/fn/revoke_api_token",
            &[("token_id", token_id.as_str())],
        )
        .await;
    assert_eq!(revoke.status(), StatusCode::OK);
    let refused = bot.get(app.url("/api/v1/incidents")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let body: Value = refused.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("revoked"));
    let garbage = app.client_with_token("fbk_not-a-token");
    assert_eq!(me(&app, &garbage).await, StatusCode::UNAUTHORIZED);

    // Someone else cannot revoke your token.
    let other = app.client_as(VIEWER).await;
    let theirs = app
        .post_form(
            &other,
            "/api/fn/revoke_api_token",
            &[("token_id", token_id.as_str())],
        )
        .await;
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
    let invitation: Value = app
        .post_form(
            &admin,
            "/api/fn/invite_user",
            &[
                ("form[email]", "Nia@Example.com"),
                ("form[name]", "Nia"),
                ("form[role]", "responder"),
            ],
        )
        .await
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
        .post_form(
            &app.anonymous,
            &link,
            &[("password", "short"), ("confirm_password", "short")],
        )
        .await;
    assert!(
        short.headers()[LOCATION]
            .to_str()
            .unwrap()
            .ends_with("?error=new_password")
    );
    let accepted = app
        .post_form(
            &app.anonymous,
            &link,
            &[
                ("password", "nia's long password"),
                ("confirm_password", "nia's long password"),
            ],
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    let nia = app.client_with_cookie(&session_cookie(&accepted));
    assert_eq!(me(&app, &nia).await, StatusCode::OK);
    let reuse = app
        .post_form(
            &app.anonymous,
            &link,
            &[
                ("password", "another password"),
                ("confirm_password", "another password"),
            ],
        )
        .await;
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

    let taken = app
        .post_form(
            &admin,
            "/api/fn/invite_user",
            &[
                ("form[email]", "nia@example.com"),
                ("form[name]", "Nia 2"),
                ("form[role]", "viewer"),
            ],
        )
        .await;
    assert_eq!(taken.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_adds_users_and_prints_a_token_as_its_last_line() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_str().unwrap();
    let database = crate::backend::cli_args(dir.path()).await;
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
        .args(&database)
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
        .args(&database)
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
        .args(&database)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("password"));

    let mut config = server::config::ServeConfig::for_data_dir(
        dir.path().to_path_buf(),
        "127.0.0.1:0".parse().unwrap(),
    );
    crate::backend::configure(&mut config).await;
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
    let mut config = server::config::ServeConfig::for_data_dir(
        dir.path().to_path_buf(),
        "127.0.0.1:0".parse().unwrap(),
    );
    crate::backend::configure(&mut config).await;
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
