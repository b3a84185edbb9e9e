//! `firebreak export --format static`: every incident gets a page, every
//! link of the front page resolves, hostile text comes out inert, the
//! search index holds every incident, and OUT is never half written or
//! silently replaced.
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};
use crate::postmortems::{save, started};
use crate::processes::cli;

const HOSTILE_TITLE: &str = "<script>alert(\"x\")</script> it's & \"quoted\"";
const HOSTILE_SUMMARY: &str = "<img src=x onerror=alert(1)> pool **exhausted**";

async fn export_args(app: &TestApp, out: &Path, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = ["export", "--format", "static", "--data-dir"]
        .map(String::from)
        .to_vec();
    args.push(app.data_dir().display().to_string());
    args.extend(crate::backend::cli_args(app.data_dir()).await);
    args.extend(extra.iter().map(|s| s.to_string()));
    args.push(out.display().to_string());
    args
}

fn run(args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_firebreak"))
        .args(args)
        .output()
        .expect("run firebreak")
}

/// A registry with a postmortem, a timeline entry, an action item, a
/// factor, hostile text, and a title with an RTL override written before
/// titles were checked. Returns the three incident numbers.
async fn registry(app: &TestApp) -> [i64; 3] {
    let (pm_incident, postmortem) = started(app, "heroku").await;
    let version = postmortem["sections"][0]["version"].as_i64().unwrap();
    let saved = save(
        app,
        &pm_incident,
        "summary",
        version,
        "The **flapjack** cache froze.",
    )
    .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let timeline = app
        .post_json(
            &format!("/api/v1/incidents/{pm_incident}/timeline"),
            &json!({"body": format!("Paged the *marmalade* team, as in [{pm_incident}](/incidents/{pm_incident})")}),
        )
        .await;
    assert_eq!(timeline.status(), StatusCode::CREATED);
    let action = app
        .post_json(
            &format!("/api/v1/incidents/{pm_incident}/actions"),
            &json!({"title": "Alert on quokka saturation", "due_on": "2030-01-31"}),
        )
        .await;
    assert_eq!(action.status(), StatusCode::CREATED);
    let factor = crate::factors::add(
        app,
        &pm_incident,
        "config change",
        "The zeppelin limit was removed.",
    )
    .await;
    assert!(factor.status().is_success(), "{}", factor.status());

    let hostile = app
        .post_json(
            "/api/v1/incidents",
            &json!({"title": HOSTILE_TITLE, "severity": "SEV1", "summary": HOSTILE_SUMMARY, "services": ["api"]}),
        )
        .await;
    assert_eq!(hostile.status(), StatusCode::CREATED);
    let hostile: Value = hostile.json().await.unwrap();
    let rtl = app.create_incident("Invoice renderer down").await;
    let rtl_id = rtl["id"].as_i64().unwrap();
    crate::backend::execute(
        app.data_dir(),
        &format!("UPDATE incidents SET title = 'invoice\u{202E}fdp.exe' WHERE id = {rtl_id}"),
    )
    .await
    .expect("an old, unchecked title");
    let pm_id = pm_incident.trim_start_matches("INC-").parse().unwrap();
    [pm_id, hostile["id"].as_i64().unwrap(), rtl_id]
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The values of every `href="…"` in `html`.
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

fn search_rows(site: &Path) -> Vec<Value> {
    let script = read(&site.join("search-index.js"));
    let json = script
        .strip_prefix("window.FIREBREAK_INDEX = ")
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .expect("a script that assigns the global");
    let index: Value = serde_json::from_str(json).expect("JSON inside");
    index["rows"].as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_incident_gets_an_escaped_linked_searchable_page() {
    let app = spawn_app().await;
    let ids = registry(&app).await;
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let printed = cli(
        &export_args(&app, &site, &[])
            .await
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        None,
    );
    assert!(String::from_utf8_lossy(&printed.stdout).contains("exported 3 incidents"));

    // Every page exists, and every link of the front page resolves.
    let index = read(&site.join("index.html"));
    for id in ids {
        assert!(
            site.join(format!("incidents/INC-{id}.html")).is_file(),
            "INC-{id}"
        );
    }
    for name in ["style.css", "search.js", "search-index.js"] {
        assert!(site.join(name).is_file(), "{name}");
    }
    let links = hrefs(&index);
    assert!(links.len() >= 7, "{links:?}");
    for href in &links {
        assert!(
            !href.contains(':') && !href.starts_with('/'),
            "relative only: {href}"
        );
        assert!(site.join(href).is_file(), "{href} resolves");
    }
    assert!(index.contains("from 3 incidents"), "the footer counts");

    // Hostile text is text; the override is shown, not obeyed.
    let hostile_page = read(&site.join(format!("incidents/INC-{}.html", ids[1])));
    for html in [&index, &hostile_page] {
        assert!(!html.contains("<script>alert"), "no script breaks out");
        assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;&#x2F;script&gt;"));
        assert!(!html.contains('\u{202E}'));
    }
    assert!(
        !hostile_page.contains("<img"),
        "the summary's raw HTML stays text"
    );
    assert!(index.contains("invoice[U+202E]fdp.exe"));
    for page in std::fs::read_dir(site.join("incidents")).unwrap() {
        let page = read(&page.unwrap().path());
        assert!(!page.contains('\u{202E}'));
        for href in hrefs(&page) {
            assert!(
                href.starts_with("http") || site.join("incidents").join(&href).is_file(),
                "{href} resolves"
            );
        }
    }

    // The incident page holds the whole story.
    let page = read(&site.join(format!("incidents/INC-{}.html", ids[0])));
    let link = format!(r#"href="INC-{}.html""#, ids[0]);
    for expected in [
        "Draft · template heroku",
        "<strong>flapjack</strong>",
        "<em>marmalade</em>",
        link.as_str(),
        "Alert on quokka saturation",
        "2030-01-31",
        "The zeppelin limit was removed.",
        "Who was affected",
        "Impact started",
        "Resolved",
        "from 3 incidents",
    ] {
        assert!(page.contains(expected), "{expected} in the page");
    }

    // The search index holds every incident, with its postmortem and factors.
    let rows = search_rows(&site);
    let found: BTreeSet<i64> = rows.iter().map(|r| r["i"].as_i64().unwrap()).collect();
    assert_eq!(found, BTreeSet::from(ids));
    let words = |id: i64| {
        rows.iter()
            .find(|r| r["i"] == id)
            .map(|r| r["w"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert!(words(ids[0]).contains("flapjack") && words(ids[0]).contains("zeppelin"));
    assert!(
        !search_rows(&site)
            .iter()
            .any(|r| r.to_string().contains('\u{202E}'))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn out_must_be_new_or_an_earlier_export_and_force_replaces_it() {
    let app = spawn_app().await;
    app.create_incident("Queue stalled").await;
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    assert!(run(&export_args(&app, &site, &[]).await).status.success());

    let again = run(&export_args(&app, &site, &[]).await);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));

    app.create_incident("Queue stalled again").await;
    let forced = run(&export_args(&app, &site, &["--force"]).await);
    assert!(forced.status.success(), "{forced:?}");
    assert!(site.join("incidents/INC-2.html").is_file());
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        1,
        "nothing left beside OUT"
    );

    // A directory of someone's files is never replaced.
    let mine = out.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "keep").unwrap();
    let refused = run(&export_args(&app, &mine, &["--force"]).await);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not an earlier static export"));
    assert_eq!(read(&mine.join("notes.txt")), "keep");
}
