//! The OpenAPI document at `/api/openapi.json` and the page at `/api/docs`:
//! public, complete, and faithful to what the API really sends.
//!
//! Why every route is documented: `api_v1::documented_routes()` builds the
//! router from the handlers' `#[utoipa::path]` annotations (utoipa-axum's
//! `routes!`), so a handler routed that way is in the document by
//! construction. What could bypass it is a bare `.route(…)`, `.nest(…)` or
//! `.merge(…)` in `api_v1.rs`, or an `/api/v1/…` route added in `http.rs`;
//! `no_route_bypasses_the_document` refuses those. Then every operation in
//! the document is requested, to show the router really serves it.
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// The operations /api/v1 had when the document was introduced; new ones
/// are covered by construction, these must never silently disappear.
const KNOWN_OPERATIONS: [(&str, &str); 27] = [
    ("get", "/api/v1/incidents"),
    ("post", "/api/v1/incidents"),
    ("get", "/api/v1/incidents/{id}"),
    ("patch", "/api/v1/incidents/{id}"),
    ("get", "/api/v1/incidents/{id}/timeline"),
    ("post", "/api/v1/incidents/{id}/timeline"),
    ("patch", "/api/v1/incidents/{id}/timeline/{entry_id}"),
    ("post", "/api/v1/login"),
    ("post", "/api/v1/logout"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/audit"),
    ("get", "/api/v1/search"),
    ("get", "/api/v1/incidents/{id}/similar"),
    ("get", "/api/v1/incidents/{id}/postmortem"),
    ("post", "/api/v1/incidents/{id}/postmortem"),
    ("put", "/api/v1/incidents/{id}/postmortem/sections/{key}"),
    (
        "get",
        "/api/v1/incidents/{id}/postmortem/sections/{key}/revisions",
    ),
    ("get", "/api/v1/incidents/{id}/postmortem/events"),
    ("get", "/api/v1/incidents/{id}/postmortem/markdown"),
    ("get", "/api/v1/incidents/{id}/actions"),
    ("post", "/api/v1/incidents/{id}/actions"),
    ("get", "/api/v1/actions"),
    ("get", "/api/v1/actions/{id}"),
    ("patch", "/api/v1/actions/{id}"),
    ("get", "/api/v1/insights"),
    ("get", "/api/v1/insights/csv"),
    ("get", "/api/v1/digest"),
];

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

async fn document(app: &TestApp) -> Value {
    let response = app
        .anonymous
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("the document is JSON")
}

/// Every `(method, path)` the document describes.
fn operations(document: &Value) -> Vec<(String, String)> {
    let paths = document["paths"].as_object().expect("paths");
    let mut found = Vec::new();
    for (path, item) in paths {
        for method in METHODS {
            if item[method].is_object() {
                found.push((method.to_string(), path.clone()));
            }
        }
    }
    found
}

fn schema<'a>(document: &'a Value, name: &str) -> &'a Value {
    let schema = &document["components"]["schemas"][name];
    assert!(schema.is_object(), "no schema {name}");
    schema
}

fn property_names(schema: &Value) -> Vec<String> {
    let mut names: Vec<String> = schema["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    names.sort();
    names
}

#[tokio::test]
async fn document_and_page_are_public_even_when_anonymous_reading_is_off() {
    let app = spawn_app().await;
    let incidents = app
        .anonymous
        .get(app.url("/api/v1/incidents"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        incidents.status(),
        StatusCode::UNAUTHORIZED,
        "reading is off"
    );

    let document = document(&app).await;
    let version = document["openapi"].as_str().unwrap();
    assert!(version.starts_with("3."), "{version}");
    assert_eq!(document["info"]["title"], "Firebreak");
    assert_eq!(document["info"]["version"], env!("CARGO_PKG_VERSION"));
    let schemes = &document["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["session"]["in"], "cookie");
    let ids: Vec<&str> = operations(&document)
        .iter()
        .map(|(m, p)| document["paths"][p][m]["operationId"].as_str().unwrap())
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "operation ids are unique: {ids:?}");

    let page = app
        .anonymous
        .get(app.url("/api/docs"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let kind = page.headers()["content-type"].to_str().unwrap().to_string();
    assert!(kind.starts_with("text/html"), "{kind}");
}

#[tokio::test]
async fn no_route_bypasses_the_document() {
    let code = |source: &str| -> String {
        source
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let api = code(include_str!("../../src/http/api_v1.rs"));
    for bypass in [".route(", ".route_service(", ".nest(", ".merge("] {
        assert!(
            !api.contains(bypass),
            "api_v1.rs uses {bypass}: route handlers with routes!(…) so they are documented"
        );
    }
    let http = code(include_str!("../../src/http.rs"));
    assert!(
        !http.contains("\"/api/v1/"),
        "http.rs routes under /api/v1 itself: add the handler to api_v1::documented_routes()"
    );
}

#[tokio::test]
async fn every_route_is_documented_and_every_documented_operation_is_served() {
    let app = spawn_app().await;
    let document = document(&app).await;
    let described = operations(&document);
    for (method, path) in KNOWN_OPERATIONS {
        assert!(
            described.contains(&(method.to_string(), path.to_string())),
            "{method} {path} is not in the document"
        );
    }
    assert!(described.iter().all(|(_, p)| p.starts_with("/api/v1/")));
    // Anonymous requests with no body: each is answered by its handler (401,
    // 400 or 422), never by the API's unknown-route fallback or with 405.
    for (method, path) in &described {
        let concrete = path
            .replace("{id}", "1")
            .replace("{entry_id}", "1")
            .replace("{key}", "impact");
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let response = app
            .anonymous
            .request(method.clone(), app.url(&concrete))
            .send()
            .await
            .unwrap();
        let status = response.status();
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        let body = response.text().await.unwrap_or_default();
        assert!(
            !body.contains("API route"),
            "{method} {path} is not routed: {body}"
        );
    }
}

#[tokio::test]
async fn schemas_match_what_the_api_sends() {
    let app = spawn_app().await;
    let document = document(&app).await;

    let results = schema(&document, "SearchResults");
    for field in ["total", "took_ms", "hits", "facets"] {
        assert!(
            results["properties"][field].is_object(),
            "SearchResults.{field}"
        );
        assert!(
            results["required"]
                .as_array()
                .unwrap()
                .contains(&json!(field)),
            "SearchResults.{field} is required"
        );
    }
    let hit = schema(&document, "SearchHit");
    for field in [
        "id",
        "title",
        "severity",
        "status",
        "started_at",
        "snippet",
        "score",
    ] {
        assert!(hit["properties"][field].is_object(), "SearchHit.{field}");
    }
    let search: Value = app
        .get("/api/v1/search?q=anything")
        .await
        .json()
        .await
        .unwrap();
    let mut sent: Vec<String> = search.as_object().unwrap().keys().cloned().collect();
    sent.sort();
    assert_eq!(
        sent,
        property_names(results),
        "search sends what the schema says"
    );

    let incident = app.create_incident("Checkout is slow").await;
    let mut sent: Vec<String> = incident.as_object().unwrap().keys().cloned().collect();
    sent.sort();
    // `Incident` flattens `Milestones`: its schema is both parts.
    let parts = schema(&document, "Incident")["allOf"].as_array().unwrap();
    let mut described: Vec<String> = parts
        .iter()
        .flat_map(|part| match part["$ref"].as_str() {
            Some(r) => property_names(schema(&document, r.rsplit('/').next().unwrap())),
            None => property_names(part),
        })
        .collect();
    described.sort();
    assert_eq!(sent, described, "an incident is sent as the schema says");
}

#[tokio::test]
async fn error_responses_name_the_field() {
    let app = spawn_app().await;
    let document = document(&app).await;
    let create = &document["paths"]["/api/v1/incidents"]["post"]["responses"];
    assert_eq!(create["422"]["$ref"], "#/components/responses/Invalid");
    assert_eq!(create["401"]["$ref"], "#/components/responses/Unauthorized");
    let update = &document["paths"]["/api/v1/incidents/{id}"]["patch"]["responses"];
    assert_eq!(update["409"]["$ref"], "#/components/responses/Conflict");
    let invalid = &document["components"]["responses"]["Invalid"]["content"]["application/json"];
    assert_eq!(invalid["schema"]["$ref"], "#/components/schemas/ApiError");
    assert_eq!(invalid["example"]["fields"][0]["field"], "title");

    let variants = schema(&document, "ApiError")["oneOf"].as_array().unwrap();
    let invalid_variant = variants
        .iter()
        .find(|v| v["properties"]["error"]["enum"] == json!(["invalid"]))
        .expect("an `invalid` variant");
    assert_eq!(
        invalid_variant["properties"]["fields"]["items"]["$ref"],
        "#/components/schemas/FieldError"
    );
    assert_eq!(
        property_names(schema(&document, "FieldError")),
        ["field", "message"]
    );
    let conflict = variants
        .iter()
        .find(|v| v["properties"]["error"]["enum"] == json!(["conflict"]))
        .expect("a `conflict` variant");
    assert!(conflict["properties"]["changes"].is_object());

    // And the API really answers that shape.
    let response = app
        .post_json("/api/v1/incidents", &json!({"severity": "SEV2"}))
        .await;
    let message = crate::helpers::assert_invalid(response, "title").await;
    assert!(!message.is_empty());
}

#[tokio::test]
async fn docs_page_lists_every_operation_and_escapes_text() {
    let app = spawn_app().await;
    let document = document(&app).await;
    let page = app
        .anonymous
        .get(app.url("/api/docs"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for (method, path) in operations(&document) {
        let id = document["paths"][&path][&method]["operationId"]
            .as_str()
            .unwrap();
        assert!(
            page.contains(&format!("<code>{path}</code>")),
            "{path} on the page"
        );
        assert!(
            page.contains(&format!("id=\"op-{id}\"")),
            "{method} {path} on the page"
        );
    }
    for name in document["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
    {
        assert!(
            page.contains(&format!("id=\"schema-{name}\"")),
            "schema {name}"
        );
    }
    for tag in [
        "incidents",
        "postmortems",
        "actions",
        "search",
        "insights",
        "session",
    ] {
        assert!(page.contains(&format!("id=\"tag-{tag}\"")), "tag {tag}");
    }
    // The snippet's description mentions `<mark>`: shown, never markup.
    assert!(page.contains("&lt;mark&gt;"));
    assert!(!page.contains("<mark>"));
    assert!(!page.contains("<script"), "no scripts");
    assert!(!page.contains("=\"http"), "no external assets");
    assert!(page.contains("href=\"/pkg/firebreak.css\""));
}
