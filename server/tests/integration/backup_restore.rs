//! The restore drill: `firebreak backup` of a registry that is serving and
//! being written to, restored into an empty data dir, served again with the
//! same incidents, postmortem, action item and users, and searchable.
//! A second restore needs --force and keeps the old database aside; a
//! corrupt, truncated or foreign backup is refused and the data dir is
//! left as it was. SQLite only: on PostgreSQL both commands point to
//! pg_dump and pg_restore.
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use server::config::ServeConfig;
use server::startup::Application;

use crate::helpers::{PASSWORD, RESPONDER, TestApp, spawn_app};

const BINARY: &str = env!("CARGO_BIN_EXE_firebreak");

/// Runs `firebreak ARGS` whatever its exit status.
fn firebreak(args: &[&str]) -> Output {
    Command::new(BINARY)
        .args(args)
        .output()
        .expect("run firebreak")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_serving_restores_into_an_empty_dir_and_serves_again() {
    let app = spawn_app().await;
    let backups = tempfile::tempdir().unwrap();
    let dest = backups.path().join("registry.db");
    if crate::backend::on_postgres() {
        refused_on_postgres(&app, &dest).await;
        return;
    }
    let before = registry(&app).await;
    let writes = Writes::start(&app);
    writes.first_answered().await;
    let backup = tokio::task::spawn_blocking({
        let (data, dest) = (app.data_dir().to_path_buf(), dest.clone());
        move || firebreak(&["backup", "--data-dir", path(&data), path(&dest)])
    })
    .await
    .unwrap();
    let written = writes.stop().await;
    assert!(backup.status.success(), "{}", text(&backup));
    assert!(
        text(&backup).contains("integrity_check ok"),
        "{}",
        text(&backup)
    );
    assert!(written > 0, "the app kept writing during the backup");
    let again = firebreak(&["backup", "--data-dir", path(app.data_dir()), path(&dest)]);
    assert!(!again.status.success());
    assert!(text(&again).contains("already exists"), "{}", text(&again));

    // A data dir that does not exist yet is fine.
    let restored = tempfile::tempdir().unwrap();
    let data = restored.path().join("data");
    let first = firebreak(&["restore", "--data-dir", path(&data), path(&dest)]);
    assert!(first.status.success(), "{}", text(&first));
    let db = data.join("firebreak.db");
    let bytes = std::fs::read(&db).unwrap();

    let refused = firebreak(&["restore", "--data-dir", path(&data), path(&dest)]);
    assert!(!refused.status.success());
    assert!(text(&refused).contains("--force"), "{}", text(&refused));
    assert_eq!(
        std::fs::read(&db).unwrap(),
        bytes,
        "a refused restore changes nothing"
    );

    let forced = firebreak(&["restore", "--force", "--data-dir", path(&data), path(&dest)]);
    assert!(forced.status.success(), "{}", text(&forced));
    let aside = kept_aside(&data);
    assert!(text(&forced).contains(path(&aside)), "{}", text(&forced));
    assert_eq!(
        std::fs::read(&aside).unwrap(),
        bytes,
        "the old database is kept whole"
    );

    let served = serve(&data).await;
    let client = sign_in(&served).await;
    same_registry(&served, &client, &before).await;
    let busy = firebreak(&["restore", "--force", "--data-dir", path(&data), path(&dest)]);
    assert!(!busy.status.success());
    assert!(
        text(&busy).contains("a server is running"),
        "{}",
        text(&busy)
    );
}

/// What was written before the backup started.
struct Before {
    incidents: Vec<Value>,
    postmortem_of: String,
    action_of: String,
}

async fn registry(app: &TestApp) -> Before {
    let mut incidents = Vec::new();
    for title in ["Pager storm on zanzibar", "Checkout latency", "DNS outage"] {
        incidents.push(app.create_incident(title).await);
    }
    let (postmortem_of, _) = crate::postmortems::started(app, "").await;
    let action_of = incidents[1]["human_id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/incidents/{action_of}/actions");
    let item = json!({"title": "Alert on pool saturation", "owner": RESPONDER, "kind": "detect"});
    assert_eq!(
        app.post_json(&path, &item).await.status(),
        StatusCode::CREATED
    );
    let postmortem = app.get(&format!("/api/v1/incidents/{postmortem_of}")).await;
    incidents.push(postmortem.json().await.unwrap());
    Before {
        incidents,
        postmortem_of,
        action_of,
    }
}

/// Incidents declared one after another until stopped.
struct Writes {
    stop: Arc<AtomicBool>,
    done: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<usize>,
}

impl Writes {
    fn start(app: &TestApp) -> Writes {
        let stop = Arc::new(AtomicBool::new(false));
        let done = Arc::new(AtomicUsize::new(0));
        let (client, url) = (app.client.clone(), app.url("/api/v1/incidents"));
        let (flag, count) = (stop.clone(), done.clone());
        let task = tokio::spawn(async move {
            while !flag.load(Ordering::Relaxed) || count.load(Ordering::Relaxed) == 0 {
                let body = json!({"title": "Written during the backup", "severity": "SEV3"});
                let response = client.post(&url).json(&body).send().await.unwrap();
                assert_eq!(response.status(), StatusCode::CREATED);
                count.fetch_add(1, Ordering::Relaxed);
            }
            count.load(Ordering::Relaxed)
        });
        Writes { stop, done, task }
    }

    /// Returns once one write has been answered, so the registry the backup
    /// copies holds at least one incident written while serving.
    async fn first_answered(&self) {
        while self.done.load(Ordering::Relaxed) == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }

    async fn stop(self) -> usize {
        self.stop.store(true, Ordering::Relaxed);
        self.task.await.unwrap()
    }
}

fn kept_aside(data: &Path) -> std::path::PathBuf {
    let aside: Vec<_> = std::fs::read_dir(data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| path(p).contains("firebreak.db.before-restore-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    aside[0].clone()
}

async fn serve(data: &Path) -> std::net::SocketAddr {
    let config = ServeConfig::for_data_dir(data.to_path_buf(), "127.0.0.1:0".parse().unwrap());
    let app = Application::build(&config)
        .await
        .expect("the restored registry serves");
    let addr = app.addr();
    tokio::spawn(app.run_until_stopped());
    addr
}

async fn sign_in(addr: &std::net::SocketAddr) -> Client {
    let client = Client::builder().cookie_store(true).build().unwrap();
    let response = client
        .post(format!("http://{addr}/api/v1/login"))
        .json(&json!({"email": RESPONDER, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "the users came back");
    client
}

async fn get(client: &Client, addr: &std::net::SocketAddr, path: &str) -> Value {
    let response = client
        .get(format!("http://{addr}{path}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.unwrap()
}

async fn same_registry(addr: &std::net::SocketAddr, client: &Client, before: &Before) {
    for incident in &before.incidents {
        let id = incident["human_id"].as_str().unwrap();
        let now = get(client, addr, &format!("/api/v1/incidents/{id}")).await;
        assert_eq!(now["title"], incident["title"]);
        assert_eq!(now["version"], incident["version"]);
    }
    let pm = get(
        client,
        addr,
        &format!("/api/v1/incidents/{}/postmortem", before.postmortem_of),
    )
    .await;
    assert!(!pm["sections"].as_array().unwrap().is_empty(), "{pm}");
    let items = get(
        client,
        addr,
        &format!("/api/v1/incidents/{}/actions", before.action_of),
    )
    .await;
    assert_eq!(items["items"].as_array().map(Vec::len), Some(1), "{items}");
    let total = get(client, addr, "/api/v1/incidents?limit=1").await["total"].clone();
    assert!(total.as_u64().unwrap() > before.incidents.len() as u64);
    // The index is rebuilt from the restored database.
    searchable(client, addr, "q=zanzibar", json!(1)).await;
    searchable(client, addr, "q=", total).await;
}

async fn searchable(client: &Client, addr: &std::net::SocketAddr, query: &str, expected: Value) {
    let path = format!("/api/v1/search?{query}&limit=1");
    for _ in 0..400 {
        if get(client, addr, &path).await["total"] == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "{path} never found {expected}: {}",
        get(client, addr, &path).await
    );
}

async fn refused_on_postgres(app: &TestApp, dest: &Path) {
    let url = crate::backend::database_url(app.data_dir()).await.unwrap();
    let data = path(app.data_dir());
    for args in [
        vec![
            "backup",
            "--data-dir",
            data,
            "--database-url",
            &url,
            path(dest),
        ],
        vec![
            "restore",
            "--data-dir",
            data,
            "--database-url",
            &url,
            path(dest),
        ],
    ] {
        let output = firebreak(&args);
        assert!(!output.status.success());
        assert!(text(&output).contains("pg_dump"), "{}", text(&output));
    }
    assert!(!dest.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_truncated_or_foreign_backup_is_refused_and_the_data_dir_is_untouched() {
    if crate::backend::on_postgres() {
        println!("backup and restore of SQLite files run in the SQLite leg");
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let source = work.path().join("source");
    server::store::open(&source, None).await.unwrap();
    let good = work.path().join("good.db");
    let made = firebreak(&["backup", "--data-dir", path(&source), path(&good)]);
    assert!(made.status.success(), "{}", text(&made));
    let data = work.path().join("data");
    let restored = firebreak(&["restore", "--data-dir", path(&data), path(&good)]);
    assert!(restored.status.success(), "{}", text(&restored));
    let contents = std::fs::read(data.join("firebreak.db")).unwrap();
    let bytes = std::fs::read(&good).unwrap();

    let garbage = work.path().join("garbage.db");
    std::fs::write(
        &garbage,
        b"not a database at all, just some text".repeat(200),
    )
    .unwrap();
    let truncated = work.path().join("truncated.db");
    std::fs::write(&truncated, &bytes[..bytes.len() / 3]).unwrap();
    let foreign = work.path().join("foreign.db");
    let mut other =
        sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", path(&foreign)))
            .await
            .unwrap();
    sqlx::query("CREATE TABLE notes (body TEXT)")
        .execute(&mut other)
        .await
        .unwrap();
    drop(other);
    for (src, says) in [
        (&garbage, "not a database"),
        (&truncated, "malformed"),
        (&foreign, "not a Firebreak registry"),
        (&work.path().join("missing.db"), "there is no file"),
    ] {
        let output = firebreak(&["restore", "--force", "--data-dir", path(&data), path(src)]);
        assert!(!output.status.success(), "{src:?} was restored");
        let message = text(&output);
        assert!(message.contains("nothing was restored"), "{message}");
        assert!(message.contains(says), "{message}");
        assert_eq!(std::fs::read(data.join("firebreak.db")).unwrap(), contents);
        let entries: Vec<_> = std::fs::read_dir(&data).unwrap().collect();
        assert_eq!(entries.len(), 1, "nothing beside the database: {entries:?}");
    }
}

use sqlx::Connection;
