//! Live events between two instances on one PostgreSQL database: a save
//! made on one reaches readers connected to the other, and so does who is
//! writing what.
use std::time::Duration;

use app::model::LiveEvent;
use reqwest::StatusCode;
use reqwest::header::ACCEPT;
use server::config::ServeConfig;
use server::startup::Application;

use crate::helpers::spawn_app;
use crate::postmortems::{save, started};

const WITHIN: Duration = Duration::from_secs(2);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saves_and_presence_reach_readers_on_another_instance() {
    if !crate::backend::on_postgres() {
        eprintln!("live events across instances run in the PostgreSQL leg");
        return;
    }
    let a = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let mut config =
        ServeConfig::for_data_dir(dir.path().to_path_buf(), "127.0.0.1:0".parse().unwrap());
    config.storage.database_url = crate::backend::database_url(a.data_dir()).await;
    let b = Application::build(&config).await.unwrap();
    let on_b = b.service().live().clone();
    let mut heard_on_b = on_b.subscribe();
    tokio::spawn(b.run_until_stopped());

    let (id, _) = started(&a, "").await;
    assert_eq!(
        save(&a, &id, "summary", 1, "Saved on A.").await.status(),
        StatusCode::OK
    );
    let section = tokio::time::timeout(WITHIN, async {
        loop {
            if let Ok((_, LiveEvent::SectionSaved { section })) = heard_on_b.recv().await {
                break section;
            }
        }
    })
    .await
    .expect("the save reaches instance B's readers");
    assert_eq!(
        (section.key.as_str(), section.body.as_str()),
        ("summary", "Saved on A.")
    );

    // Someone writing on B shows in A's event stream, whose first event is
    // the presence of the moment.
    let incident: i64 = id.trim_start_matches("INC-").parse().unwrap();
    on_b.heartbeat(incident, 4242, "Bea", "what_happened");
    let path = format!("/api/v1/incidents/{id}/postmortem/events");
    let seen = tokio::time::timeout(WITHIN, async {
        loop {
            let mut events = a
                .client
                .get(a.url(&path))
                .header(ACCEPT, "text/event-stream")
                .send()
                .await
                .unwrap();
            let first = events.chunk().await.unwrap().unwrap_or_default();
            let text = String::from_utf8_lossy(&first).to_string();
            if text.contains("Bea") {
                break text;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("B's writer shows on A");
    assert!(seen.contains("what_happened"), "{seen}");
}
