//! Which database the integration tests run on. By default each test gets
//! the embedded SQLite file in its temporary data directory. The PostgreSQL
//! leg (`FIREBREAK_TEST_BACKEND=postgres`, run by `make test` when
//! PostgreSQL answers) gives each data directory a fresh database of its
//! own on `FIREBREAK_TEST_POSTGRES_URL`, so the same tests are the contract
//! test of both stores.
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use server::config::ServeConfig;
use server::store::Store;
use sqlx::Connection;
use sqlx::postgres::PgConnection;
use tokio::sync::OnceCell;

const DEFAULT_SERVER: &str = "postgres://postgres@127.0.0.1:5432/test";
/// Where a data directory records the database made for it.
const URL_FILE: &str = "test-database-url";
/// Databases made by the tests are named `fb_it_<pid>_<n>`.
const PREFIX: &str = "fb_it_";

pub fn on_postgres() -> bool {
    std::env::var("FIREBREAK_TEST_BACKEND").as_deref() == Ok("postgres")
}

fn server_url() -> String {
    std::env::var("FIREBREAK_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_SERVER.into())
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let root = base.rsplit_once('/').map_or(base, |(root, _)| root);
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

/// The process that made a test database, from its name `fb_it_<pid>_<n>`.
fn maker(name: &str) -> Option<u32> {
    name.strip_prefix(PREFIX)?.split('_').next()?.parse().ok()
}

/// Drops the databases that finished test runs left behind, once per test
/// binary. A database whose process still runs (another test run at the
/// same time) is left alone.
async fn drop_leftovers(admin: &mut PgConnection) {
    static DONE: OnceCell<()> = OnceCell::const_new();
    DONE.get_or_init(|| async {
        let names: Vec<String> =
            sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'fb_it_%'")
                .fetch_all(&mut *admin)
                .await
                .expect("list test databases");
        let running = |pid: u32| Path::new(&format!("/proc/{pid}")).exists();
        for name in names
            .iter()
            .filter(|n| maker(n).is_some_and(|pid| !running(pid)))
        {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\""))
                .execute(&mut *admin)
                .await;
        }
    })
    .await;
}

async fn fresh_database() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let server = server_url();
    let mut admin = PgConnection::connect(&server)
        .await
        .expect("the PostgreSQL leg needs FIREBREAK_TEST_POSTGRES_URL to answer");
    drop_leftovers(&mut admin).await;
    let name = format!(
        "{PREFIX}{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .await
        .expect("create a test database");
    with_database(&server, &name)
}

/// The database URL for a data directory: `None` for its SQLite file, or
/// (in the PostgreSQL leg) a database made for it on first use.
pub async fn database_url(dir: &Path) -> Option<String> {
    if !on_postgres() {
        return None;
    }
    let file = dir.join(URL_FILE);
    if let Ok(url) = std::fs::read_to_string(&file) {
        return Some(url);
    }
    let url = fresh_database().await;
    std::fs::write(&file, &url).expect("record the test database");
    Some(url)
}

/// The store behind a data directory, on this leg's backend.
pub async fn open_store(dir: &Path) -> Arc<dyn Store> {
    let url = database_url(dir).await;
    server::store::open(dir, url.as_deref())
        .await
        .expect("store")
}

/// Points a configuration at this leg's database for its data directory.
pub async fn configure(config: &mut ServeConfig) {
    config.storage.database_url = database_url(&config.storage.data_dir).await;
}

/// `--database-url URL` for a CLI run on this leg, or nothing.
pub async fn cli_args(dir: &Path) -> Vec<String> {
    match database_url(dir).await {
        Some(url) => vec!["--database-url".into(), url],
        None => Vec::new(),
    }
}

/// Runs one SQL statement straight on the database, as an operator with a
/// SQL shell would (for tests of what the database itself refuses).
pub async fn execute(dir: &Path, sql: &str) -> Result<u64, sqlx::Error> {
    match database_url(dir).await {
        Some(url) => {
            let mut db = PgConnection::connect(&url).await?;
            Ok(sqlx::query(sql).execute(&mut db).await?.rows_affected())
        }
        None => {
            let url = format!("sqlite://{}", dir.join("firebreak.db").display());
            let mut db = sqlx::SqliteConnection::connect(&url).await?;
            Ok(sqlx::query(sql).execute(&mut db).await?.rows_affected())
        }
    }
}

/// The number a `SELECT count(*) …` statement gives, straight from the database.
pub async fn count(dir: &Path, sql: &str) -> Result<i64, sqlx::Error> {
    match database_url(dir).await {
        Some(url) => {
            let mut db = PgConnection::connect(&url).await?;
            sqlx::query_scalar(sql).fetch_one(&mut db).await
        }
        None => {
            let url = format!("sqlite://{}", dir.join("firebreak.db").display());
            let mut db = sqlx::SqliteConnection::connect(&url).await?;
            sqlx::query_scalar(sql).fetch_one(&mut db).await
        }
    }
}

#[test]
fn a_test_database_names_the_process_that_made_it() {
    assert_eq!(maker("fb_it_4242_7"), Some(4242));
    assert_eq!(maker("fb_it_x_7"), None);
    assert_eq!(maker("test"), None);
}

#[test]
fn a_database_name_replaces_the_last_path_segment() {
    assert_eq!(
        with_database("postgres://u@h:5432/test?sslmode=disable", "fb_it_1_2"),
        "postgres://u@h:5432/fb_it_1_2?sslmode=disable"
    );
    assert_eq!(
        with_database("postgres://u@h/test", "x"),
        "postgres://u@h/x"
    );
}
