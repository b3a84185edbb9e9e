use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_page_renders_incidents_filters_and_counts() {
    let app = spawn_app().await;
    app.create_incident("Checkout <b>down</b>").await;
    app.post_json(
        "/api/v1/incidents",
        &json!({"title": "Auth slow", "severity": "SEV4"}),
    )
    .await;
    let r = app.get("/incidents").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Checkout &lt;b&gt;down&lt;/b&gt;"),
        "titles are escaped"
    );
    assert!(html.contains("href=\"/incidents/INC-1\""));
    assert!(html.contains("2 incidents"));
    assert!(html.contains("sev-badge sev4"));
    assert!(html.contains("id=\"global-search\""));

    let filtered = app
        .get("/incidents?severity=SEV4")
        .await
        .text()
        .await
        .unwrap();
    assert!(filtered.contains("Auth slow") && !filtered.contains("Checkout &lt;b&gt;"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_registry_teaches_the_next_step() {
    let app = spawn_app().await;
    let html = app.get("/").await.text().await.unwrap();
    assert!(html.contains("No incidents match."));
    assert!(html.contains("--demo"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incident_page_shows_facts_timeline_and_forms() {
    let app = spawn_app().await;
    app.post_json("/api/v1/incidents", &json!({"title": "Disk full", "severity": "SEV1", "summary": "## Impact\n\n<script>alert(1)</script> </textarea><b>breakout</b>", "customer_impact": "</textarea><i>x</i>", "commander": "Lena"})).await;
    app.post_json(
        "/api/v1/incidents/1/timeline",
        &json!({"body": "Rotated logs", "kind": "action_taken"}),
    )
    .await;
    let r = app.get("/incidents/INC-1").await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("Disk full"));
    assert!(html.contains("<h2>Impact</h2>"));
    assert!(!html.contains("<script>alert(1)"), "raw HTML never passes");
    assert!(
        !html.contains("<b>breakout") && !html.contains("<i>x</i>"),
        "nothing breaks out of a textarea"
    );
    assert!(
        html.contains("&lt;/textarea&gt;&lt;b&gt;breakout"),
        "the textarea holds the text, escaped"
    );
    assert!(html.contains("Lena"));
    assert!(html.contains("Rotated logs"));
    assert!(html.contains("Action taken"));
    assert!(
        html.contains("name=\"form[version]\" value=\"1\""),
        "forms carry the version"
    );
    assert!(html.contains("Update status"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_incident_page_is_a_404() {
    let app = spawn_app().await;
    let r = app.get("/incidents/INC-42").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.text().await.unwrap().contains("Incident not found"));
    assert_eq!(
        app.get("/no/such/page").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_incident_form_renders_with_severity_descriptions() {
    let app = spawn_app().await;
    let html = app.get("/incidents/new").await.text().await.unwrap();
    assert!(html.contains("Declare an incident"));
    assert!(html.contains("name=\"form[title]\""));
    assert!(html.contains("Critical: a core service is down"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn theme_choice_is_remembered_in_a_cookie() {
    let app = spawn_app().await;
    let r = app
        .client
        .post(app.url("/api/fn/set_theme"))
        .header("accept", "text/html")
        .header("referer", app.url("/incidents"))
        .form(&[("theme", "dark")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("firebreak_theme=dark"), "{cookie}");
    let html = app
        .client
        .get(app.url("/incidents"))
        .header("cookie", format!("{}; firebreak_theme=dark", app.session))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-theme=\"dark\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_compressed_for_browsers_that_ask() {
    let app = spawn_app().await;
    app.create_incident("Checkout down after the payments deploy")
        .await;
    let r = app
        .client
        .get(app.url("/incidents/INC-1"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-encoding"], "br");
    let packed = r.bytes().await.unwrap();
    let mut html = Vec::new();
    brotli::BrotliDecompress(&mut &packed[..], &mut html).expect("a brotli stream");
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("Checkout down after the payments deploy"));
    // Resolved resources stream in after the document's end.
    assert!(html.contains("</html>"), "the whole page");
    assert!(
        packed.len() * 3 < html.len(),
        "{} bytes for {}",
        packed.len(),
        html.len()
    );
}
