//! `firebreak migrate-data`: a SQLite registry (the demo data, the import
//! fixture, a user, a postmortem under review, factors, an action item
//! done, an incident that duplicates a later one) moved into a fresh
//! PostgreSQL database reads back the same through both stores.
use std::path::Path;
use std::sync::Arc;

use app::domain::{Metric, Role};
use app::model::{
    ActionInput, ActionPatch, Caller, CommentInput, CurrentUser, FactorInput, IncidentInput,
    IncidentPatch, SectionSave, StartPostmortem,
};
use app::port::{Actor, Channel};
use chrono::Utc;
use indicatif::ProgressBar;
use server::config::ServeConfig;
use server::import::{import_files, markdown_files};
use server::search::SearchIndex;
use server::service::IncidentService;
use server::startup::Application;
use server::store::{ActionFilter, AuditFilter, InsightFilter, Store};

type Shared = Arc<dyn Store>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_registry_moves_to_postgresql_unchanged() {
    if !crate::backend::on_postgres() {
        println!("migrate-data runs in the PostgreSQL leg");
        return;
    }
    let from_dir = tempfile::tempdir().unwrap();
    fill(from_dir.path()).await;
    let to_dir = tempfile::tempdir().unwrap();
    let to = crate::backend::database_url(to_dir.path()).await.unwrap();
    let from = format!("sqlite:{}", from_dir.path().join("firebreak.db").display());
    server::migrate_data::run(&from, &to).await.unwrap();

    let sqlite = server::store::open(from_dir.path(), None).await.unwrap();
    let pg = server::store::open(to_dir.path(), Some(&to)).await.unwrap();
    let ids = same_incidents(&sqlite, &pg).await;
    same_people_and_history(&sqlite, &pg).await;
    assert_eq!(insight_figures(&sqlite).await, insight_figures(&pg).await);
    let created = service(&pg)
        .create(input("Declared after the move"), &system())
        .await
        .unwrap();
    assert!(
        created.id > *ids.iter().max().unwrap(),
        "new ids continue after the moved ones: {}",
        created.id
    );

    let again = server::migrate_data::run(&from, &to).await.unwrap_err();
    assert!(format!("{again:#}").contains("not empty"), "{again:#}");
}

fn system() -> Actor {
    Actor::new(Caller::System, Channel::Cli)
}

fn service(store: &Shared) -> IncidentService {
    IncidentService::new(store.clone(), Arc::new(SearchIndex::in_memory().unwrap()))
}

fn input(title: &str) -> IncidentInput {
    IncidentInput {
        title: title.into(),
        severity: "SEV3".into(),
        ..Default::default()
    }
}

fn fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/postmortems")
}

/// The demo data and the import fixture, then what neither has.
async fn fill(dir: &Path) {
    let mut config = ServeConfig::for_data_dir(dir.to_path_buf(), "127.0.0.1:0".parse().unwrap());
    config.demo = true;
    let app = Application::build(&config).await.unwrap();
    let service = app.service().clone();
    let files = markdown_files(&[fixture()]).unwrap();
    let imported = import_files(&service, &files, &ProgressBar::hidden()).await;
    assert!(imported.failed.is_empty(), "{:?}", imported.failed);
    let user = app
        .accounts()
        .add_user(
            &system(),
            "mover@example.com",
            None,
            Role::Admin,
            "long enough pass".into(),
        )
        .await
        .unwrap();
    let actor = Actor::new(
        Caller::User(CurrentUser {
            id: user.id,
            email: user.email,
            name: user.name,
            role: user.role,
        }),
        Channel::Browser,
    );
    review_incident_one(&service, &actor).await;
    act_on_incident_one(&service, &actor).await;
    duplicate_the_newest(&service, &actor).await;
}

async fn review_incident_one(service: &IncidentService, actor: &Actor) {
    let factor = |name: &str| FactorInput {
        incident: "1".into(),
        factor: name.into(),
        explanation: format!("{name} played a part"),
    };
    service.add_factor(factor("deploy"), actor).await.unwrap();
    service
        .add_factor(factor("certificate"), actor)
        .await
        .unwrap();
    let start = StartPostmortem {
        incident: "1".into(),
        template: String::new(),
    };
    let postmortem = service.start_postmortem(start, actor).await.unwrap();
    let section = &postmortem.sections[0];
    let save = SectionSave {
        incident: "1".into(),
        key: section.key.clone(),
        version: section.version,
        body: "A deploy pinned an old TLS library.".into(),
        append_timeline: None,
    };
    service.save_section(save, actor).await.unwrap();
    let comment = CommentInput {
        incident: "1".into(),
        section: section.key.clone(),
        thread: None,
        body: "Which library, exactly?".into(),
    };
    service.comment(comment, actor).await.unwrap();
}

async fn act_on_incident_one(service: &IncidentService, actor: &Actor) {
    let item = ActionInput {
        incident: "1".into(),
        title: "Alert on TLS handshake failures".into(),
        owner: "mover@example.com".into(),
        due_on: "2026-12-01".into(),
        ..Default::default()
    };
    let item = service.create_action(item, actor).await.unwrap();
    let done = ActionPatch {
        id: item.id,
        version: item.version,
        status: Some("done".into()),
        ..Default::default()
    };
    service.update_action(done, actor).await.unwrap();
}

/// Incident 2 becomes a duplicate of the newest one: a reference to a
/// higher id, which the copy must accept.
async fn duplicate_the_newest(service: &IncidentService, actor: &Actor) {
    let newest = service.store().incident_ids_after(2, 10_000).await.unwrap();
    let second = service.store().incident(2).await.unwrap().unwrap();
    let patch = IncidentPatch {
        version: second.version,
        status: Some("duplicate".into()),
        duplicate_of: Some(newest.last().map(|id| id.to_string())),
        ..Default::default()
    };
    service.update("2", patch, actor).await.unwrap();
}

/// Every incident with its timeline, postmortem (and each section's
/// revisions) and factors; returns the ids.
async fn same_incidents(sqlite: &Shared, pg: &Shared) -> Vec<i64> {
    let ids = sqlite.incident_ids_after(0, 100_000).await.unwrap();
    assert!(ids.len() > 30, "the demo and the fixture: {}", ids.len());
    assert_eq!(ids, pg.incident_ids_after(0, 100_000).await.unwrap());
    for &id in &ids {
        assert_eq!(
            sqlite.incident(id).await.unwrap(),
            pg.incident(id).await.unwrap()
        );
        assert_eq!(
            sqlite.timeline(id).await.unwrap(),
            pg.timeline(id).await.unwrap()
        );
        assert_eq!(
            sqlite.incident_factors(id).await.unwrap(),
            pg.incident_factors(id).await.unwrap()
        );
        let postmortem = sqlite.postmortem_for_incident(id).await.unwrap();
        assert_eq!(postmortem, pg.postmortem_for_incident(id).await.unwrap());
        for section in postmortem.iter().flat_map(|p| &p.sections) {
            assert_eq!(
                sqlite.section_revisions(section.id).await.unwrap(),
                pg.section_revisions(section.id).await.unwrap()
            );
        }
    }
    ids
}

/// Users, action items with their history, the audit log, the taxonomy,
/// the settings and the action policy.
async fn same_people_and_history(sqlite: &Shared, pg: &Shared) {
    let debug = |v: &dyn std::fmt::Debug| format!("{v:?}");
    assert_eq!(
        debug(&sqlite.users().await.unwrap()),
        debug(&pg.users().await.unwrap())
    );
    let today = Utc::now().date_naive();
    let items = sqlite
        .actions(&ActionFilter::default(), today)
        .await
        .unwrap();
    assert!(!items.is_empty());
    assert_eq!(
        items,
        pg.actions(&ActionFilter::default(), today).await.unwrap()
    );
    for item in &items {
        let history = sqlite.action(item.id, today).await.unwrap();
        assert_eq!(history, pg.action(item.id, today).await.unwrap());
    }
    let all = AuditFilter {
        limit: 100_000,
        ..Default::default()
    };
    let audit = sqlite.audit(&all).await.unwrap();
    assert!(audit.0 > 30);
    assert_eq!(audit, pg.audit(&all).await.unwrap());
    assert_eq!(
        sqlite.taxonomy().await.unwrap(),
        pg.taxonomy().await.unwrap()
    );
    assert_eq!(
        sqlite.settings().await.unwrap(),
        pg.settings().await.unwrap()
    );
    assert_eq!(
        sqlite.action_policy().await.unwrap(),
        pg.action_policy().await.unwrap()
    );
}

/// Every figure the insights page reads for the whole registry.
async fn insight_figures(store: &Shared) -> Vec<String> {
    let all = InsightFilter::default();
    let today = Utc::now().date_naive();
    let ranks = |n: u64| (1..=n).collect::<Vec<u64>>();
    let mut figures = Vec::new();
    for metric in Metric::ALL {
        figures.push(format!(
            "{:?}",
            store.metric(&all, metric, &ranks).await.unwrap()
        ));
    }
    figures.extend([
        format!("{:?}", store.selection_totals(&all).await.unwrap()),
        format!("{:?}", store.open_incidents(&all, 1000).await.unwrap()),
        format!("{:?}", store.excluded_incidents(&all, 1000).await.unwrap()),
        format!("{:?}", store.factor_ranking(&all, 1000).await.unwrap()),
        format!("{:?}", store.service_ranking(&all, 1000).await.unwrap()),
        format!("{:?}", store.per_month(&all).await.unwrap()),
        format!("{:?}", store.ttr_trend(&all).await.unwrap()),
        format!("{:?}", store.repeat_groups(&all, 1000).await.unwrap()),
        format!("{:?}", store.action_months(&all, today).await.unwrap()),
        format!("{:?}", store.newest_incidents(&all, 1000).await.unwrap()),
        format!("{:?}", store.change_mark().await.unwrap()),
    ]);
    figures
}
