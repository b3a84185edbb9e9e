use std::net::SocketAddr;

use app::domain::Role;
use app::model::Caller;
use app::port::{Actor, Channel};
use reqwest::header::{COOKIE, HeaderMap, HeaderValue, SET_COOKIE};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use server::config::ServeConfig;
use server::service::{AccountService, SessionPolicy};
use server::startup::Application;
use tempfile::TempDir;

pub const PASSWORD: &str = "correct horse battery";
pub const ADMIN: &str = "ada@example.com";
pub const RESPONDER: &str = "kenji@example.com";
pub const VIEWER: &str = "vera@example.com";

pub struct TestApp {
    pub addr: SocketAddr,
    /// Signed in as a responder: what most tests need.
    pub client: Client,
    /// No session and no token.
    pub anonymous: Client,
    /// `name=value` of the responder's session cookie, to combine with others.
    pub session: String,
    _data_dir: TempDir,
}

fn plain_client(headers: HeaderMap) -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap()
}

/// The `name=value` part of a response's session cookie.
pub fn session_cookie(response: &Response) -> String {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.contains("firebreak_session="))
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_string()
}

/// Starts Firebreak on a free port with an empty registry in a temp dir,
/// and three accounts: an admin, a responder and a viewer.
pub async fn spawn_app() -> TestApp {
    spawn_with(|_| {}).await
}

pub async fn spawn_with(adjust: impl FnOnce(&mut ServeConfig)) -> TestApp {
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter("warn")
        .try_init();
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut config = ServeConfig::for_data_dir(
        data_dir.path().to_path_buf(),
        "127.0.0.1:0".parse().unwrap(),
    );
    adjust(&mut config);
    crate::backend::configure(&mut config).await;
    // The accounts exist before the server starts, as after `firebreak user add`.
    let store = crate::backend::open_store(&config.storage.data_dir).await;
    let accounts = AccountService::new(store, SessionPolicy::default());
    let operator = Actor::new(Caller::System, Channel::Cli);
    for (email, name, role) in [
        (ADMIN, "Ada", Role::Admin),
        (RESPONDER, "Kenji", Role::Responder),
        (VIEWER, "Vera", Role::Viewer),
    ] {
        accounts
            .add_user(&operator, email, Some(name), role, PASSWORD.into())
            .await
            .expect("test user");
    }
    let app = Application::build(&config).await.expect("app builds");
    let addr = app.addr();
    tokio::spawn(app.run_until_stopped());
    let mut test_app = TestApp {
        addr,
        client: plain_client(HeaderMap::new()),
        anonymous: plain_client(HeaderMap::new()),
        session: String::new(),
        _data_dir: data_dir,
    };
    let response = test_app.login(RESPONDER, PASSWORD).await;
    test_app.session = session_cookie(&response);
    test_app.client = test_app.client_with_cookie(&test_app.session);
    test_app
}

impl TestApp {
    pub fn data_dir(&self) -> &std::path::Path {
        self._data_dir.path()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Signs in through `POST /api/v1/login`; returns the response.
    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.anonymous
            .post(self.url("/api/v1/login"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .expect("request")
    }

    /// A client that carries the session cookie of `email`.
    pub async fn client_as(&self, email: &str) -> Client {
        let response = self.login(email, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK, "sign in as {email}");
        self.client_with_cookie(&session_cookie(&response))
    }

    /// A client that sends this `Cookie` header.
    pub fn client_with_cookie(&self, cookie: &str) -> Client {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_str(cookie).unwrap());
        plain_client(headers)
    }

    /// A client that sends `Authorization: Bearer <token>`.
    pub fn client_with_token(&self, token: &str) -> Client {
        let mut headers = HeaderMap::new();
        let value = format!("Bearer {token}");
        headers.insert(
            reqwest::header::AUTHORIZATION,
            HeaderValue::from_str(&value).unwrap(),
        );
        plain_client(headers)
    }

    /// Posts form fields (a server function, or a plain form) with `client`.
    pub async fn post_form(
        &self,
        client: &Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Response {
        client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .expect("request")
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

    pub async fn put_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .put(self.url(path))
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

/// The status of `GET /api/v1/me` for this client: 200 while signed in.
pub async fn me(app: &TestApp, client: &reqwest::Client) -> StatusCode {
    client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .status()
}
