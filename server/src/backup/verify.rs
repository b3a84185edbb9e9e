//! Checks of a SQLite registry file, shared by backup and restore: the
//! integrity check, the schema's migrations, the row count of every table,
//! and the file-level steps (copy, fsync) around them.
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, SqliteConnection};

/// The migrations this binary knows; a registry must not be newer.
static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");

/// Integrity problems shown at most, of the many a damaged file can have.
const PROBLEMS_SHOWN: usize = 5;

/// One table and its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub table: String,
    pub rows: i64,
}

/// A read-only connection to an existing file (never created).
pub async fn open_read_only(path: &Path) -> anyhow::Result<SqliteConnection> {
    SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(10))
        .connect()
        .await
        .with_context(|| format!("cannot open {} as a SQLite database", path.display()))
}

/// A consistent snapshot of `conn`'s database, written to `dest`.
pub async fn vacuum_into(conn: &mut SqliteConnection, dest: &Path) -> anyhow::Result<()> {
    let dest = dest.to_str().context("the destination path is not UTF-8")?;
    sqlx::query("VACUUM INTO ?")
        .bind(dest)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// `PRAGMA integrity_check` answers exactly "ok".
pub async fn integrity(conn: &mut SqliteConnection) -> anyhow::Result<()> {
    let found: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut *conn)
        .await
        .context("integrity_check could not run: the file is not a readable SQLite database")?;
    if found != ["ok"] {
        let shown: Vec<&str> = found
            .iter()
            .take(PROBLEMS_SHOWN)
            .map(String::as_str)
            .collect();
        bail!(
            "integrity_check found {} problem(s): {}",
            found.len(),
            shown.join("; ")
        );
    }
    Ok(())
}

/// The file is a Firebreak registry (it has sqlx's migration table) and
/// was not made by a newer Firebreak than this one.
pub async fn firebreak_schema(conn: &mut SqliteConnection) -> anyhow::Result<()> {
    let has_migrations: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_one(&mut *conn)
    .await?;
    if has_migrations == 0 {
        bail!(
            "it is a SQLite database but not a Firebreak registry (it has no _sqlx_migrations table)"
        );
    }
    let newest: Option<i64> =
        sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut *conn)
            .await?;
    let known = MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0);
    if let Some(newest) = newest.filter(|n| *n > known) {
        bail!(
            "it was made by a newer Firebreak (schema migration {newest}; this one knows up to {known}): restore it with that version"
        );
    }
    Ok(())
}

/// The row count of every table, by name.
pub async fn table_counts(conn: &mut SqliteConnection) -> anyhow::Result<Vec<Count>> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut counts = Vec::with_capacity(tables.len());
    for table in tables {
        let sql = format!("SELECT count(*) FROM \"{}\"", table.replace('"', "\"\""));
        let rows = sqlx::query_scalar(&sql).fetch_one(&mut *conn).await?;
        counts.push(Count { table, rows });
    }
    Ok(counts)
}

/// Fails, naming each table, unless both sides count the same.
pub fn same_counts(expected: &[Count], found: &[Count]) -> anyhow::Result<()> {
    if expected == found {
        return Ok(());
    }
    let differ: Vec<String> = expected
        .iter()
        .map(|e| {
            let got = found.iter().find(|f| f.table == e.table).map(|f| f.rows);
            (e, got)
        })
        .filter(|(e, got)| *got != Some(e.rows))
        .map(|(e, got)| format!("{} ({} expected, {:?} found)", e.table, e.rows, got))
        .collect();
    bail!("row counts differ: {}", differ.join("; "))
}

pub fn print_counts(counts: &[Count]) {
    println!("{:<34} {:>10}", "table", "rows");
    for c in counts {
        println!("{:<34} {:>10}", c.table, c.rows);
    }
}

/// Flushes a file's contents to the disk.
pub fn sync_file(path: &Path) -> anyhow::Result<()> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("syncing {}", path.display()))
}

/// Flushes the directory entry of `path` (a new name, a rename).
pub fn sync_parent(path: &Path) -> anyhow::Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    sync_file(parent)
}
