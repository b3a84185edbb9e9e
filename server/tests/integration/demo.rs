use app::domain::Role;
use app::model::Caller;
use app::port::{Actor, Channel};
use serde_json::Value;
use server::config::ServeConfig;
use server::startup::Application;

async fn config(dir: &std::path::Path) -> ServeConfig {
    let mut config = ServeConfig::for_data_dir(dir.to_path_buf(), "127.0.0.1:0".parse().unwrap());
    config.demo = true;
    crate::backend::configure(&mut config).await;
    config
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_fills_an_empty_registry_once() {
    let dir = tempfile::tempdir().unwrap();
    let app = Application::build(&config(dir.path()).await).await.unwrap();
    let first = app.service().store().count_incidents().await.unwrap();
    assert!(
        (25..=40).contains(&first),
        "about 30 demo incidents, got {first}"
    );
    drop(app);

    let again = Application::build(&config(dir.path()).await).await.unwrap();
    assert_eq!(
        again.service().store().count_incidents().await.unwrap(),
        first,
        "a second start adds nothing"
    );
    let operator = Actor::new(Caller::System, Channel::Cli);
    let accounts = again.accounts().clone();
    accounts
        .add_user(
            &operator,
            "viewer@example.com",
            None,
            Role::Viewer,
            "long enough".into(),
        )
        .await
        .unwrap();
    let token = accounts
        .create_token_for(&operator, "viewer@example.com", "demo test")
        .await
        .unwrap()
        .secret;
    let addr = again.addr();
    tokio::spawn(again.run_until_stopped());
    let client = reqwest::Client::new();
    let get = |path: &str| {
        client
            .get(format!("http://{addr}{path}"))
            .bearer_auth(&token)
            .send()
    };
    let open: Value = get("/api/v1/incidents?status=open")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        open["total"].as_i64().unwrap() >= 1,
        "the demo has something still burning"
    );
    let with_timeline: Value = get("/api/v1/incidents/1/timeline")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(with_timeline["items"].as_array().unwrap().len() >= 3);
}
