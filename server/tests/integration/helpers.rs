use std::net::SocketAddr;

use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use server::config::{ServeConfig, StorageConfig};
use server::startup::Application;
use tempfile::TempDir;

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: Client,
    _data_dir: TempDir,
}

/// Starts Firebreak on a free port with an empty registry in a temp dir.
pub async fn spawn_app() -> TestApp {
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter("warn")
        .try_init();
    let data_dir = tempfile::tempdir().expect("temp dir");
    let config = ServeConfig {
        storage: StorageConfig {
            data_dir: data_dir.path().to_path_buf(),
            database_url: None,
        },
        addr: "127.0.0.1:0".parse().unwrap(),
        site_root: data_dir.path().join("site"),
        demo: false,
    };
    let app = Application::build(&config).await.expect("app builds");
    let addr = app.addr();
    tokio::spawn(app.run_until_stopped());
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestApp {
        addr,
        client,
        _data_dir: data_dir,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn patch_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .patch(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// Declares an incident through the API and returns its JSON.
    pub async fn create_incident(&self, title: &str) -> Value {
        let response = self.post_json("/api/v1/incidents", &json!({"title": title, "severity": "SEV2", "services": ["checkout"], "tags": ["dns"]})).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.unwrap()
    }
}

/// Asserts a 422 whose errors name `field`; returns that field's message.
pub async fn assert_invalid(response: Response, field: &str) -> String {
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "expected 422 for {field}"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid", "{body}");
    let fields = body["fields"].as_array().unwrap();
    let hit = fields
        .iter()
        .find(|f| f["field"] == field)
        .unwrap_or_else(|| panic!("no error for {field} in {body}"));
    let message = hit["message"].as_str().unwrap().to_string();
    assert!(!message.is_empty());
    message
}
