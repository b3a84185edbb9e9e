//! Admins' postmortem templates and the default template per severity.
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{assert_invalid, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_add_templates_and_choose_the_default_per_severity() {
    let app = spawn_app().await;
    let admin = app.client_as("ada@example.com").await;
    let save = |fields: Vec<(&'static str, &'static str)>| {
        let (app, admin) = (&app, admin.clone());
        async move {
            app.post_form(&admin, "/api/fn/save_template", &fields)
                .await
        }
    };
    let sections = "Summary | Two sentences\nWhat happened\nFollow-ups | Owners and dates";
    let saved: Value = save(vec![
        ("template[name]", "short"),
        ("template[label]", "Short form"),
        ("template[sections]", sections),
    ])
    .await
    .json()
    .await
    .unwrap();
    let short = saved["templates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "short")
        .unwrap()
        .clone();
    assert_eq!(short["built_in"], false);
    assert_eq!(
        short["sections_text"],
        "Summary | Two sentences\nWhat happened | \nFollow-ups | Owners and dates"
    );
    assert_invalid(
        save(vec![
            ("template[name]", "heroku"),
            ("template[label]", "x"),
            ("template[sections]", "A"),
        ])
        .await,
        "name",
    )
    .await;
    assert_invalid(
        save(vec![
            ("template[name]", "empty"),
            ("template[label]", "x"),
            ("template[sections]", "  "),
        ])
        .await,
        "sections",
    )
    .await;
    assert_invalid(
        save(vec![
            ("template[name]", "Bad Name"),
            ("template[label]", "x"),
            ("template[sections]", "A"),
        ])
        .await,
        "name",
    )
    .await;
    let stale = save(vec![
        ("template[name]", "short"),
        ("template[label]", "Short"),
        ("template[sections]", "A"),
        ("template[version]", "7"),
    ])
    .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);

    let defaults = |sev2: &'static str| {
        let (app, admin) = (&app, admin.clone());
        async move {
            let fields = [
                ("defaults[sev1]", "google-sre"),
                ("defaults[sev2]", sev2),
                ("defaults[sev3]", "heroku"),
                ("defaults[sev4]", "heroku"),
            ];
            app.post_form(&admin, "/api/fn/set_template_defaults", &fields)
                .await
        }
    };
    assert_invalid(defaults("nope").await, "sev2").await;
    let chosen: Value = defaults("short").await.json().await.unwrap();
    assert_eq!(chosen["defaults"][1], json!(["SEV2", "short"]));

    // A SEV2 incident's postmortem now starts from the short form.
    let incident = app.create_incident("Short one").await;
    let path = format!(
        "/api/v1/incidents/{}/postmortem",
        incident["human_id"].as_str().unwrap()
    );
    let started: Value = app.post_json(&path, &json!({})).await.json().await.unwrap();
    assert_eq!(started["template"], "short");
    let keys: Vec<&str> = started["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["summary", "what_happened", "follow_ups"]);

    let by_responder = app
        .post_form(
            &app.client,
            "/api/fn/save_template",
            &[
                ("template[name]", "mine"),
                ("template[label]", "x"),
                ("template[sections]", "A"),
            ],
        )
        .await;
    assert_eq!(by_responder.status(), StatusCode::FORBIDDEN);
    let page = admin
        .get(app.url("/admin/templates"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Short form") && page.contains("Google SRE postmortem"));
}
