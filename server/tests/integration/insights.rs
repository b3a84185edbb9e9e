//! Insights over HTTP against hand-computed figures: exact seconds, the
//! median of an even sample, nearest-rank p90, open and excluded incidents
//! kept apart, the small-sample flag, filters, charts and CSV.
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_invalid, spawn_app};

/// `start` plus `secs` seconds, as RFC 3339.
fn at(start: &str, secs: i64) -> String {
    let t = chrono::DateTime::parse_from_rfc3339(start).unwrap() + chrono::Duration::seconds(secs);
    t.to_rfc3339()
}

async fn declare(app: &TestApp, body: Value) -> String {
    let response = app.post_json("/api/v1/incidents", &body).await;
    let status = response.status();
    let created: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["human_id"].as_str().unwrap().to_string()
}

/// A resolved incident: detected, acknowledged, mitigated and resolved
/// that many seconds after the start (`None` leaves a stamp out).
async fn resolved(
    app: &TestApp,
    title: &str,
    start: &str,
    stamps: [Option<i64>; 4],
    extra: Value,
) -> String {
    let mut body = json!({"title": title, "severity": "SEV2", "services": ["checkout"], "status": "resolved", "started_at": start});
    for (name, secs) in [
        "detected_at",
        "acknowledged_at",
        "mitigated_at",
        "resolved_at",
    ]
    .iter()
    .zip(stamps)
    {
        if let Some(s) = secs {
            body[*name] = json!(at(start, s));
        }
    }
    if let Value::Object(more) = extra {
        for (k, v) in more {
            body[k] = v;
        }
    }
    declare(app, body).await
}

async fn fixtures(app: &TestApp) {
    let a = resolved(
        app,
        "Pool exhausted",
        "2026-01-10T00:00:00Z",
        [Some(60), Some(120), Some(600), Some(3600)],
        json!({}),
    )
    .await;
    let factor = app
        .post_form(
            &app.client,
            "/api/fn/add_factor",
            &[
                ("factor[incident]", a.as_str()),
                ("factor[factor]", "config change"),
                ("factor[explanation]", "the pool limit"),
            ],
        )
        .await;
    assert_eq!(factor.status(), StatusCode::OK);
    resolved(
        app,
        "Cache stampede",
        "2026-01-11T00:00:00Z",
        [Some(300), Some(360), Some(1800), Some(7199)],
        json!({}),
    )
    .await;
    resolved(
        app,
        "=SUM(A1) queue stuck",
        "2026-02-01T00:00:00Z",
        [Some(10), Some(20), Some(50), Some(100)],
        json!({"repeat_of": a}),
    )
    .await;
    resolved(
        app,
        "Disk filled overnight",
        "2026-02-02T00:00:00Z",
        [None, None, None, Some(86400)],
        json!({}),
    )
    .await;
    declare(
        app,
        json!({"title": "Still burning", "severity": "SEV1", "status": "investigating",
        "started_at": "2026-02-03T00:00:00Z", "detected_at": "2026-02-03T00:00:30Z"}),
    )
    .await;
    resolved(
        app,
        "Same pool again",
        "2026-01-12T00:00:00Z",
        [None, None, None, Some(50)],
        json!({"status": "duplicate", "duplicate_of": a}),
    )
    .await;
    declare(app, json!({"title": "Not an incident", "severity": "SEV4", "status": "declined", "decline_reason": "a test alert",
        "started_at": "2026-01-20T00:00:00Z"})).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_match_hand_computed_figures_and_name_their_timestamps() {
    let app = spawn_app().await;
    fixtures(&app).await;
    let i: Value = app.get("/api/v1/insights").await.json().await.unwrap();
    // TTR over 100, 3600, 7199, 86400 s: never truncated to hours.
    assert_eq!(i["ttr"]["n"], 4, "{i}");
    assert_eq!(i["ttr"]["median_s"], 5399.5);
    assert_eq!(i["ttr"]["p90_s"], 86400);
    assert_eq!(i["ttr"]["mean_s"], 24324.75);
    assert_eq!(i["ttr"]["from_field"], "started_at");
    assert_eq!(i["ttr"]["to_field"], "resolved_at");
    assert_eq!(i["ttr"]["small_sample"], true);
    // TTD over 10, 30, 60, 300: the open incident has both stamps and counts;
    // the resolved one without detected_at is reported as missing.
    assert_eq!(i["ttd"]["n"], 4);
    assert_eq!(i["ttd"]["median_s"], 45.0);
    assert_eq!(i["ttd"]["p90_s"], 300);
    assert_eq!(i["ttd"]["missing"], 1);
    assert_eq!(i["tta"]["from_field"], "detected_at");
    assert_eq!(i["tta"]["n"], 3);
    assert_eq!(i["tta"]["median_s"], 60.0);
    assert_eq!(i["ttm"]["n"], 3);
    assert_eq!(i["ttm"]["median_s"], 600.0);
    // Impact: 600 + 1800 + 50 s = 40.8 min; the duplicate's 50 s is left out.
    assert_eq!(i["impact_minutes"], 41);
    let titles = |key: &str| -> Vec<String> {
        i[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(titles("open"), ["Still burning"]);
    let mut excluded = titles("excluded");
    excluded.sort();
    assert_eq!(excluded, ["Not an incident", "Same pool again"]);
    assert_eq!(i["per_month"][0]["month"], "2026-01");
    assert_eq!(i["per_month"][0]["by_severity"], json!([0, 2, 0, 0]));
    assert_eq!(i["per_month"][1]["by_severity"], json!([1, 2, 0, 0]));
    assert_eq!(i["ttr_trend"][0]["median_s"], 5399.5);
    assert_eq!(i["ttr_trend"][1]["median_s"], 43250.0);
    assert_eq!(i["services"][0]["name"], "checkout");
    // Incident A's 600 s of impact is 10 minutes against its one factor.
    assert_eq!(
        i["factors"],
        json!([{"name": "config change", "count": 1, "impact_minutes": 10}])
    );
    assert_eq!(
        i["repeats"][0]["repeats"][0]["title"],
        "=SUM(A1) queue stuck"
    );

    // A change is counted at once: answers are reused only while nothing changed.
    resolved(
        &app,
        "One more",
        "2026-01-13T00:00:00Z",
        [None, None, None, Some(60)],
        json!({}),
    )
    .await;
    let again: Value = app.get("/api/v1/insights").await.json().await.unwrap();
    assert_eq!(again["ttr"]["n"], 5);
    // A small registry computes at once, so its figures are never behind;
    // each answer says when it was read.
    assert_eq!(again["catching_up"], false);
    assert!(
        again["as_of"].as_str().is_some_and(|t| t.starts_with("20")),
        "{again}"
    );

    // Filters: February only, then SEV1 only.
    let feb: Value = app
        .get("/api/v1/insights?from=2026-02-01&to=2026-03-01")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(feb["ttr"]["n"], 2);
    assert_eq!(feb["ttr"]["median_s"], 43250.0);
    let sev1: Value = app
        .get("/api/v1/insights?severity=SEV1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sev1["ttr"]["n"], 0);
    assert!(
        sev1["ttr"]["median_s"].is_null(),
        "no figure, never a made-up one"
    );
    assert_eq!(sev1["open"].as_array().unwrap().len(), 1);
    // A service names its incidents: read by id, not from the month cells.
    let checkout: Value = app
        .get("/api/v1/insights?service=checkout")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(checkout["ttr"]["n"], 5, "{checkout}");
    assert_eq!(checkout["ttr"]["median_s"], 3600.0);
    assert_eq!(checkout["total"], 6, "the duplicate is in the selection");
    assert_eq!(checkout["ttd"]["missing"], 2, "the disk and the late one");
    assert_eq!(checkout["ttr_trend"][0]["n"], 3);
    assert_eq!(checkout["ttr_trend"][0]["median_s"], 3600.0);
    assert_eq!(checkout["ttr_trend"][1]["median_s"], 43250.0);
    assert_eq!(checkout["per_month"][0]["by_severity"], json!([0, 3, 0, 0]));
    assert_eq!(checkout["services"][0]["count"], 5);
    assert_eq!(
        checkout["repeats"][0]["repeats"][0]["title"],
        "=SUM(A1) queue stuck"
    );
    assert_invalid(app.get("/api/v1/insights?from=yesterday").await, "from").await;
    assert_invalid(
        app.get("/api/v1/insights?from=2026-03-01&to=2026-02-01")
            .await,
        "to",
    )
    .await;
    assert_invalid(app.get("/api/v1/insights?severity=SEV7").await, "severity").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn charts_render_without_javascript_and_their_numbers_export_safely() {
    let app = spawn_app().await;
    fixtures(&app).await;
    let page = app.get("/insights").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("started_at → resolved_at"));
    assert!(html.contains("Small sample"));
    for id in [
        "per-month",
        "ttr-ecdf",
        "ttr-trend",
        "repeats",
        "factors-count",
        "services",
    ] {
        assert!(
            html.contains(&format!("aria-labelledby=\"{id}-t {id}-d\"")),
            "chart {id}"
        );
    }
    assert!(html.contains("No action items on these incidents yet."));
    assert!(
        html.contains("1h 30m"),
        "median TTR 5399.5 s shown in human units"
    );

    let csv = app.get("/api/v1/insights/csv?chart=repeats").await;
    assert_eq!(csv.status(), StatusCode::OK);
    let csv = csv.text().await.unwrap();
    assert!(csv.contains("'=SUM(A1) queue stuck"), "{csv}");
    let metrics = app
        .get("/api/v1/insights/csv?chart=metrics&severity=SEV2")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        metrics.starts_with("metric,from_field,to_field,n,median_s,p90_s"),
        "{metrics}"
    );
    assert!(
        metrics.contains("ttr,started_at,resolved_at,4,5399.5,86400"),
        "{metrics}"
    );
    assert_invalid(app.get("/api/v1/insights/csv?chart=pie").await, "chart").await;

    let recurring = app.get("/insights/recurring").await.text().await.unwrap();
    assert!(recurring.contains("Clusters of similar incidents"));
    assert!(recurring.contains("checkout"));
    let digest = app
        .get("/digest?week=2026-02-02")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        digest.contains("Week of 2026-02-02 to 2026-02-08"),
        "{digest}"
    );
    let api: Value = app
        .get("/api/v1/digest?week=2026-02-04")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(api["week_start"], "2026-02-02");
    assert_invalid(app.get("/api/v1/digest?week=soon").await, "week").await;
}

/// The factor and service rankings of a query, as `[name, count, minutes]`.
async fn rankings(app: &TestApp, query: &str) -> (Value, Value) {
    let i: Value = app
        .get(&format!("/api/v1/insights{query}"))
        .await
        .json()
        .await
        .unwrap();
    let pick = |key: &str| {
        Value::Array(
            i[key]
                .as_array()
                .unwrap_or_else(|| panic!("{key} in {i}"))
                .iter()
                .map(|r| json!([r["name"], r["count"], r["impact_minutes"]]))
                .collect(),
        )
    };
    (pick("factors"), pick("services"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rankings_follow_every_change_over_whole_and_cut_months() {
    let app = spawn_app().await;
    fixtures(&app).await;
    // Whole January from the summary cells, plus the cut edges (15–31
    // December, and 1 February until noon) from the rows: A, the cache
    // stampede and the =SUM repeat; the disk (2 February) falls outside.
    let cut = "?from=2025-12-15&to=2026-02-01T12:00:00Z";
    assert_eq!(
        rankings(&app, cut).await,
        (
            json!([["config change", 1, 10]]),
            json!([["checkout", 3, 41]])
        )
    );
    // Every month: the four counted incidents; the duplicate's 50 s and the
    // declined incident are left out.
    assert_eq!(
        rankings(&app, "").await,
        (
            json!([["config change", 1, 10]]),
            json!([["checkout", 4, 41]])
        )
    );

    // A becomes SEV1 and moves to March with a new service: its cells move.
    let moved = app
        .patch_json(
            "/api/v1/incidents/1",
            &json!({"version": 1, "severity": "SEV1", "services": ["payments"],
                "started_at": "2026-03-10T00:00:00Z", "detected_at": "2026-03-10T00:01:00Z",
                "acknowledged_at": "2026-03-10T00:02:00Z", "mitigated_at": "2026-03-10T00:20:00Z",
                "resolved_at": "2026-03-10T01:00:00Z"}),
        )
        .await;
    assert_eq!(
        moved.status(),
        StatusCode::OK,
        "{}",
        moved.text().await.unwrap()
    );
    assert_eq!(
        rankings(&app, cut).await,
        (json!([]), json!([["checkout", 2, 31]]))
    );
    assert_eq!(
        rankings(&app, "?severity=SEV1").await,
        (
            json!([["config change", 1, 20]]),
            json!([["payments", 1, 20]])
        )
    );
    assert_eq!(
        rankings(&app, "?severity=SEV2&from=2026-03-01").await,
        (json!([]), json!([]))
    );

    // Marked a duplicate, A no longer counts anywhere.
    let duplicate = app
        .patch_json(
            "/api/v1/incidents/1",
            &json!({"version": 2, "status": "duplicate", "duplicate_of": "INC-2"}),
        )
        .await;
    assert_eq!(
        duplicate.status(),
        StatusCode::OK,
        "{}",
        duplicate.text().await.unwrap()
    );
    assert_eq!(
        rankings(&app, "").await,
        (json!([]), json!([["checkout", 3, 31]]))
    );

    // A factor added to the cache stampede, then removed again.
    let added = app
        .post_form(
            &app.client,
            "/api/fn/add_factor",
            &[
                ("factor[incident]", "INC-2"),
                ("factor[factor]", "capacity"),
                ("factor[explanation]", "too few replicas"),
            ],
        )
        .await;
    let factors: Value = added.json().await.unwrap();
    assert_eq!(rankings(&app, cut).await.0, json!([["capacity", 1, 30]]));
    let id = factors[0]["id"].as_i64().unwrap().to_string();
    let removed = app
        .post_form(
            &app.client,
            "/api/fn/remove_factor",
            &[("removal[incident]", "INC-2"), ("removal[id]", id.as_str())],
        )
        .await;
    assert_eq!(removed.status(), StatusCode::OK);
    assert_eq!(rankings(&app, "").await.0, json!([]));
}
