use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{assert_invalid, spawn_app};

fn incident(title: &str) -> Value {
    json!({"title": title, "severity": "SEV3"})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_titles_are_named() {
    let app = spawn_app().await;
    let path = "/api/v1/incidents";
    assert!(
        assert_invalid(app.post_json(path, &incident("")).await, "title")
            .await
            .contains("empty")
    );
    assert!(
        assert_invalid(
            app.post_json(path, &incident(&"x".repeat(100 * 1024)))
                .await,
            "title"
        )
        .await
        .contains("too long")
    );
    assert!(
        assert_invalid(app.post_json(path, &incident("a\0b")).await, "title")
            .await
            .contains("NUL")
    );
    assert!(
        assert_invalid(
            app.post_json(path, &incident("invoice\u{202E}fdp.exe"))
                .await,
            "title"
        )
        .await
        .contains("U+202E")
    );
    let listed: Value = app.get(path).await.json().await.unwrap();
    assert_eq!(listed["total"], 0, "nothing half-saved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_severity_status_and_kind_are_named() {
    let app = spawn_app().await;
    let path = "/api/v1/incidents";
    assert_invalid(
        app.post_json(path, &json!({"title": "t", "severity": "SEV9"}))
            .await,
        "severity",
    )
    .await;
    assert_invalid(
        app.post_json(
            path,
            &json!({"title": "t", "severity": "SEV1", "status": "on fire"}),
        )
        .await,
        "status",
    )
    .await;
    app.create_incident("ok").await;
    assert_invalid(
        app.patch_json(
            "/api/v1/incidents/1",
            &json!({"version": 1, "status": "closed"}),
        )
        .await,
        "status",
    )
    .await;
    assert_invalid(
        app.patch_json(
            "/api/v1/incidents/1",
            &json!({"version": 1, "status": "duplicate"}),
        )
        .await,
        "duplicate_of",
    )
    .await;
    assert_invalid(
        app.patch_json(
            "/api/v1/incidents/1",
            &json!({"version": 1, "status": "declined"}),
        )
        .await,
        "decline_reason",
    )
    .await;
    assert_invalid(
        app.patch_json(
            "/api/v1/incidents/1",
            &json!({"version": 1, "repeat_of": "INC-77"}),
        )
        .await,
        "repeat_of",
    )
    .await;
    assert_invalid(
        app.patch_json(
            "/api/v1/incidents/1",
            &json!({"version": 1, "repeat_of": "1"}),
        )
        .await,
        "repeat_of",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_problem_is_reported_at_once() {
    let app = spawn_app().await;
    let r = app
        .post_json(
            "/api/v1/incidents",
            &json!({"title": "", "severity": "x", "tags": ["a:b"], "started_at": "soon"}),
        )
        .await;
    let body: Value = r.json().await.unwrap();
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["title", "severity", "tags", "started_at"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn out_of_order_and_future_timestamps_are_named() {
    let app = spawn_app().await;
    let r = app.post_json("/api/v1/incidents", &json!({"title": "t", "severity": "SEV2", "started_at": "2026-01-01T10:00:00Z", "resolved_at": "2026-01-01T09:00:00Z"})).await;
    assert!(
        assert_invalid(r, "resolved_at")
            .await
            .contains("started_at")
    );
    let r = app
        .post_json(
            "/api/v1/incidents",
            &json!({"title": "t", "severity": "SEV2", "started_at": "2999-01-01T00:00:00Z"}),
        )
        .await;
    assert!(assert_invalid(r, "started_at").await.contains("future"));
    let r = app
        .post_json(
            "/api/v1/incidents",
            &json!({"title": "t", "severity": "SEV2", "detected_at": "31/12/2025"}),
        )
        .await;
    assert!(assert_invalid(r, "detected_at").await.contains("RFC 3339"));
    app.create_incident("ok").await;
    let r = app.patch_json("/api/v1/incidents/1", &json!({"version": 1, "started_at": "2026-01-01T10:00:00Z", "mitigated_at": "2026-01-01T09:59:59Z"})).await;
    assert_invalid(r, "mitigated_at").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_json_and_wrong_types_are_4xx() {
    let app = spawn_app().await;
    let send = |body: &'static str| {
        app.client
            .post(app.url("/api/v1/incidents"))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let r = send("{\"title\": ").await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "bad_request");
    let r = send(r#"{"title": "\ud800", "severity": "SEV1"}"#)
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST, "unpaired surrogate");
    assert_invalid(
        send(r#"{"title": 5, "severity": "SEV1"}"#).await.unwrap(),
        "title",
    )
    .await;
    assert_invalid(send(r#"{"severity": "SEV1"}"#).await.unwrap(), "title").await;
    assert_invalid(
        send(r#"{"title": "t", "severity": "SEV1", "colour": "red"}"#)
            .await
            .unwrap(),
        "colour",
    )
    .await;
    let no_type = app
        .client
        .post(app.url("/api/v1/incidents"))
        .body(r#"{"title":"t","severity":"SEV1"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(
        no_type.status(),
        StatusCode::BAD_REQUEST,
        "JSON must say it is JSON"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_ids_and_routes_are_404_json() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/incidents/999",
        "/api/v1/incidents/INC-999",
        "/api/v1/incidents/abc",
        "/api/v1/incidents/'%3B%20DROP",
        "/api/v1/nope",
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"], "not_found", "{path}");
    }
    let r = app
        .patch_json("/api/v1/incidents/5", &json!({"version": 1, "title": "x"}))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_list_parameters_are_named() {
    let app = spawn_app().await;
    assert_invalid(app.get("/api/v1/incidents?limit=abc").await, "limit").await;
    assert_invalid(app.get("/api/v1/incidents?limit=100000").await, "limit").await;
    assert_invalid(app.get("/api/v1/incidents?severity=SEV0").await, "severity").await;
    assert_invalid(app.get("/api/v1/incidents?status=closed").await, "status").await;
    assert_invalid(
        app.get("/api/v1/incidents?sort=started_at%3B%20DROP%20TABLE%20incidents")
            .await,
        "sort",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sql_and_like_wildcards_round_trip_literally() {
    let app = spawn_app().await;
    let evil = "'; DROP TABLE incidents;--";
    let created = app.create_incident(evil).await;
    assert_eq!(created["title"], evil);
    app.create_incident("50% of traffic_lost \\ backslash")
        .await;
    app.create_incident("5000 of traffic lost").await;
    let got: Value = app.get("/api/v1/incidents/1").await.json().await.unwrap();
    assert_eq!(got["title"], evil);
    for (q, expected) in [
        ("50%25", 1),
        ("traffic_lost", 1),
        ("%5C", 1),
        ("%25", 1),
        ("_", 1),
        ("DROP%20TABLE", 1),
        ("traffic", 2),
    ] {
        let page: Value = app
            .get(&format!("/api/v1/incidents?q={q}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(page["total"], expected, "q={q}: {page}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nfd_and_nfc_titles_are_the_same_text() {
    let app = spawn_app().await;
    let created = app.create_incident("Cafe\u{301} payments").await;
    assert_eq!(created["title"], "Caf\u{e9} payments");
    let page: Value = app
        .get("/api/v1/incidents?q=Caf%C3%A9")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_get_413() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // The server refuses on the declared length, before reading the body,
    // so this sends only the headers of a signed-in 30 MB request, to the
    // REST API and to a server function.
    let app = spawn_app().await;
    for path in ["/api/v1/incidents", "/api/fn/create_incident"] {
        let mut socket = tokio::net::TcpStream::connect(app.addr).await.unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nCookie: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            app.addr,
            app.session,
            30 * 1000 * 1000
        );
        socket.write_all(head.as_bytes()).await.unwrap();
        let mut response = vec![0u8; 64];
        let n = socket.read(&mut response).await.unwrap();
        let status_line = String::from_utf8_lossy(&response[..n]).to_string();
        assert!(
            status_line.starts_with("HTTP/1.1 413"),
            "{path}: {status_line}"
        );
    }

    let big_summary =
        json!({"title": "t", "severity": "SEV1", "summary": "x".repeat(1024 * 1024 + 10)});
    assert_invalid(
        app.post_json("/api/v1/incidents", &big_summary).await,
        "summary",
    )
    .await;
}
