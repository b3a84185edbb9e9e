use serde_json::Value;
use server::config::{ServeConfig, StorageConfig};
use server::startup::Application;

fn config(dir: &std::path::Path) -> ServeConfig {
    ServeConfig {
        storage: StorageConfig {
            data_dir: dir.to_path_buf(),
            database_url: None,
        },
        addr: "127.0.0.1:0".parse().unwrap(),
        site_root: dir.join("site"),
        demo: true,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_fills_an_empty_registry_once() {
    let dir = tempfile::tempdir().unwrap();
    let app = Application::build(&config(dir.path())).await.unwrap();
    let first = app.service().store().count_incidents().await.unwrap();
    assert!(
        (25..=40).contains(&first),
        "about 30 demo incidents, got {first}"
    );
    drop(app);

    let again = Application::build(&config(dir.path())).await.unwrap();
    assert_eq!(
        again.service().store().count_incidents().await.unwrap(),
        first,
        "a second start adds nothing"
    );
    let addr = again.addr();
    tokio::spawn(again.run_until_stopped());
    let open: Value = reqwest::get(format!("http://{addr}/api/v1/incidents?status=open"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        open["total"].as_i64().unwrap() >= 1,
        "the demo has something still burning"
    );
    let with_timeline: Value = reqwest::get(format!("http://{addr}/api/v1/incidents/1/timeline"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(with_timeline["items"].as_array().unwrap().len() >= 3);
}
