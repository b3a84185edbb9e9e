//! Importing Markdown postmortems: a committed fixture with the dataset's
//! quirks, re-import without duplicates, and the whole public dataset when
//! it is next to the project.
use std::path::PathBuf;
use std::sync::Arc;

use indicatif::ProgressBar;
use server::import::{import_files, markdown_files};
use server::search::SearchIndex;
use server::service::IncidentService;

async fn open_service(dir: &std::path::Path) -> (IncidentService, Arc<dyn server::store::Store>) {
    let store = crate::backend::open_store(dir).await;
    (
        IncidentService::new(store.clone(), Arc::new(SearchIndex::in_memory().unwrap())),
        store,
    )
}

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/postmortems")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fixture_imports_with_its_quirks_and_reimports_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let (service, store) = open_service(dir.path()).await;
    let files = markdown_files(&[fixture()]).unwrap();
    assert_eq!(files.len(), 4, "directories are walked for *.md");
    let first = import_files(&service, &files, &ProgressBar::hidden()).await;
    assert!(first.failed.is_empty(), "{:?}", first.failed);
    assert_eq!(first.created, 4);
    let derived: Vec<&String> = first
        .notes
        .iter()
        .map(|(_, n)| n)
        .filter(|n| n.starts_with("title derived"))
        .collect();
    assert_eq!(derived.len(), 2, "{:?}", first.notes);

    let quoted = store
        .incident_by_external_id("fixture-0001")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        quoted.title,
        "Storage outage: metadata nodes removed themselves"
    );
    assert_eq!(quoted.services, ["example-cloud-object-store"]);
    assert_eq!(
        quoted.tags,
        [
            "cloud",
            "cascading-failure",
            "lock-service",
            "handshake-timeout"
        ]
    );
    assert!(quoted.summary.contains("*de-registered*"), "markdown kept");
    assert!(
        quoted
            .summary
            .contains("<https://example.com/postmortems/1>"),
        "the link kept"
    );
    assert_eq!(
        quoted.milestones.started_at.unwrap().to_rfc3339(),
        "2021-06-13T04:16:00+00:00"
    );
    assert_eq!(
        quoted.milestones.resolved_at.unwrap().to_rfc3339(),
        "2021-06-13T06:16:00+00:00"
    );
    let missing = store
        .incident_by_external_id("fixture-0002")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(missing.title, "Example Pay Checkout incident");
    assert!(missing.milestones.started_at.is_none() && missing.milestones.resolved_at.is_none());
    let vasa = store
        .incident_by_external_id("fixture-0004")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        vasa.milestones.started_at.unwrap().to_rfc3339(),
        "1628-08-10T12:00:00+00:00"
    );

    let again = import_files(&service, &files, &ProgressBar::hidden()).await;
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 4));
    assert_eq!(
        store.count_incidents().await.unwrap(),
        4,
        "never duplicated"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_public_dataset_imports_without_loss() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/datasets/public-postmortems/data");
    if !data.is_dir() {
        eprintln!(
            "SKIPPED: {} is not here; the fixture test covers the format",
            data.display()
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (service, store) = open_service(dir.path()).await;
    let files = markdown_files(&[data]).unwrap();
    assert_eq!(files.len(), 242);
    let summary = import_files(&service, &files, &ProgressBar::hidden()).await;
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    assert_eq!(summary.created, 242);
    assert_eq!(store.count_incidents().await.unwrap(), 242);
    let titles_derived = summary
        .notes
        .iter()
        .filter(|(_, n)| n.starts_with("title derived"))
        .count();
    assert_eq!(titles_derived, 46, "the README says 46 files have no title");

    // Categories that name a contributing factor became one, on every such incident.
    let named_config_change = files
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            let front = server::import::parse(&text).unwrap().front;
            front
                .categories
                .iter()
                .any(|c| c.eq_ignore_ascii_case("config-change"))
        })
        .count();
    let mut with_factor = 0;
    for id in store.incident_ids_after(0, 1000).await.unwrap() {
        let factors = store.incident_factors(id).await.unwrap();
        with_factor += factors.iter().any(|f| f.factor == "config change") as usize;
    }
    assert!(named_config_change > 0);
    assert_eq!(with_factor, named_config_change);
    // Every body is the postmortem's "What happened", once: importing again changes nothing.
    let first = store.incident_ids_after(0, 1).await.unwrap()[0];
    let postmortem = store.postmortem_for_incident(first).await.unwrap().unwrap();
    let what = postmortem
        .sections
        .iter()
        .find(|s| s.key == "what_happened")
        .unwrap();
    assert!(
        what.body.len() > 100 && what.version == 2,
        "{}",
        what.version
    );
    let again = import_files(&service, &files, &ProgressBar::hidden()).await;
    assert_eq!(
        (again.created, again.updated, again.failed.len()),
        (0, 0, 0)
    );
    let after = store.postmortem_for_incident(first).await.unwrap().unwrap();
    assert_eq!(after.version, postmortem.version);
}

/// What an export must carry across: everything but ids and versions.
fn content(i: &app::model::Incident) -> String {
    let m = &i.milestones;
    format!(
        "{}|{}|{}|{}|{:?}|{:?}|{:?}|{:?}|{:?}",
        i.title,
        i.summary,
        i.severity.as_str(),
        i.status.as_str(),
        i.services,
        i.tags,
        m.started_at,
        m.declared_at,
        m.resolved_at
    )
}

async fn all_content(store: &dyn server::store::Store) -> Vec<String> {
    let ids = store.incident_ids_after(0, 1000).await.unwrap();
    let mut out = Vec::new();
    for id in ids {
        let mut text = content(&store.incident(id).await.unwrap().unwrap());
        for e in store.timeline(id).await.unwrap() {
            let (at, kind) = (e.occurred_at, e.kind.as_str());
            text.push_str(&format!("\n{at}|{kind}|{:?}|{}", e.author, e.body));
        }
        out.push(text);
    }
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_imports_back_to_the_same_content() {
    let source_dir = tempfile::tempdir().unwrap();
    let (service, store) = open_service(source_dir.path()).await;
    let files = markdown_files(&[fixture()]).unwrap();
    import_files(&service, &files, &ProgressBar::hidden()).await;
    let first = store.incident_ids_after(0, 1).await.unwrap()[0];
    let system = app::port::Actor::new(app::model::Caller::System, app::port::Channel::Cli);
    for (kind, body, at) in [
        (
            "note",
            "Paged **database** on-call; `pg_stat_activity` full.",
            "2024-03-01T10:05:00Z",
        ),
        (
            "action_taken",
            "Failed over to the replica.",
            "2024-03-01T10:20:00Z",
        ),
    ] {
        let input = app::model::TimelineInput {
            kind: Some(kind.into()),
            body: body.into(),
            occurred_at: Some(at.into()),
        };
        service
            .add_entry(&first.to_string(), input, &system)
            .await
            .unwrap();
    }
    let original = all_content(store.as_ref()).await;
    assert!(
        original
            .iter()
            .any(|c| c.contains("Failed over to the replica."))
    );
    let records = server::export::records(store.as_ref()).await.unwrap();
    assert_eq!(records.len(), 4);

    let out = tempfile::tempdir().unwrap();
    let json = out.path().join("export.json");
    let list: Vec<_> = records.iter().map(|(_, r)| r).collect();
    std::fs::write(&json, serde_json::to_vec_pretty(&list).unwrap()).unwrap();
    let markdown_dir = out.path().join("md");
    std::fs::create_dir_all(&markdown_dir).unwrap();
    for (name, record) in &records {
        std::fs::write(
            markdown_dir.join(format!("{name}.md")),
            server::export::markdown(record).unwrap(),
        )
        .unwrap();
    }

    for exported in [json, markdown_dir] {
        let target = tempfile::tempdir().unwrap();
        let (importer, store) = open_service(target.path()).await;
        let files = markdown_files(std::slice::from_ref(&exported)).unwrap();
        let summary = import_files(&importer, &files, &ProgressBar::hidden()).await;
        assert!(
            summary.failed.is_empty(),
            "{exported:?}: {:?}",
            summary.failed
        );
        assert_eq!(all_content(store.as_ref()).await, original, "{exported:?}");
        // Importing the same export again changes nothing, timeline included.
        let again = import_files(&importer, &files, &ProgressBar::hidden()).await;
        assert_eq!((again.created, again.updated), (0, 0), "{exported:?}");
        assert_eq!(all_content(store.as_ref()).await, original, "{exported:?}");
    }
}
