//! Contributing factors: several per incident from the admin's taxonomy,
//! each with why; searchable; the taxonomy edited with versions.
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{TestApp, assert_invalid, spawn_app};

pub(crate) async fn add(
    app: &TestApp,
    incident: &str,
    factor: &str,
    why: &str,
) -> reqwest::Response {
    app.post_form(
        &app.client,
        "/api/fn/add_factor",
        &[
            ("factor[incident]", incident),
            ("factor[factor]", factor),
            ("factor[explanation]", why),
        ],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incidents_get_several_factors_from_the_taxonomy_and_search_finds_them() {
    let app = spawn_app().await;
    let incident = app.create_incident("Payments timing out").await;
    let id = incident["human_id"].as_str().unwrap();
    let first: Value = add(&app, id, "Config Change", "The pool limit was removed.")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first[0]["factor"], "config change");
    assert_eq!(first[0]["added_by"], "Kenji");
    let both: Value = add(&app, id, "monitoring gap", "No alert on pool saturation.")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(both.as_array().unwrap().len(), 2);

    let message = assert_invalid(add(&app, id, "Kenji", "").await, "factor").await;
    assert!(
        message.contains("pick one of") && message.contains("deploy"),
        "{message}"
    );
    assert_invalid(
        add(&app, id, "deploy", &"x".repeat(2001)).await,
        "explanation",
    )
    .await;
    let twice = assert_invalid(add(&app, id, "config change", "again").await, "factor").await;
    assert!(twice.contains("already listed"));

    // The page shows them; search finds the incident by a factor's words.
    let page = app
        .get(&format!("/incidents/{id}/postmortem"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("No alert on pool saturation."));
    let mut found = Value::Null;
    for _ in 0..50 {
        found = app
            .get("/api/v1/search?q=saturation")
            .await
            .json()
            .await
            .unwrap();
        if found["total"] == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(found["total"], 1, "{found}");

    let removed: Value = app
        .post_form(
            &app.client,
            "/api/fn/remove_factor",
            &[
                ("removal[incident]", id),
                ("removal[id]", &first[0]["id"].to_string()),
            ],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(removed.as_array().unwrap().len(), 1);
    assert_eq!(removed[0]["factor"], "monitoring gap");
    let viewer = app.client_as("vera@example.com").await;
    let refused = viewer
        .post(app.url("/api/fn/add_factor"))
        .form(&[
            ("factor[incident]", id),
            ("factor[factor]", "deploy"),
            ("factor[explanation]", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_edit_the_taxonomy_with_versions() {
    let app = spawn_app().await;
    let admin = app.client_as("ada@example.com").await;
    let change = |fields: Vec<(&'static str, String)>| {
        let (app, admin) = (&app, admin.clone());
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form(&admin, "/api/fn/change_taxonomy", &fields)
                .await
        }
    };
    let taxonomy: Value = app
        .post_form(&admin, "/api/fn/list_taxonomy", &[])
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = taxonomy
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 13, "{names:?}");
    assert!(names.contains(&"time/leap second") && names.contains(&"monitoring gap"));

    let added: Value = change(vec![
        ("change[name]", "Feature Flag".into()),
        ("change[description]", "A flag flipped".into()),
    ])
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(added["name"], "feature flag");
    assert_invalid(
        change(vec![("change[name]", "deploy".into())]).await,
        "name",
    )
    .await;
    assert_invalid(change(vec![("change[name]", "  ".into())]).await, "name").await;
    let id = added["id"].to_string();
    let retired: Value = change(vec![
        ("change[id]", id.clone()),
        ("change[version]", "1".into()),
        ("change[name]", "feature flag".into()),
        ("change[retired]", "on".into()),
    ])
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(retired["retired"], true);
    let stale = change(vec![
        ("change[id]", id),
        ("change[version]", "1".into()),
        ("change[name]", "flags".into()),
    ])
    .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    assert_eq!(stale.json::<Value>().await.unwrap()["current_version"], 2);

    // A retired factor is no longer offered.
    let incident = app.create_incident("Flag flipped").await;
    let refused = add(
        &app,
        incident["human_id"].as_str().unwrap(),
        "feature flag",
        "",
    )
    .await;
    assert_invalid(refused, "factor").await;
    // Only admins change the taxonomy.
    let by_responder = app
        .post_form(
            &app.client,
            "/api/fn/change_taxonomy",
            &[("change[name]", "x")],
        )
        .await;
    assert_eq!(by_responder.status(), StatusCode::FORBIDDEN);
    let page = admin
        .get(app.url("/admin/factors"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("monitoring gap") && page.contains("Add factor"));
}
