//! `firebreak migrate-data --from sqlite:PATH --to postgres://…`: moves a
//! SQLite registry into an empty PostgreSQL database, ids included.
//!
//! Both databases are first opened through their stores' `connect`, which
//! runs the migrations, so both schemas are current. SQLite is then read in
//! one read transaction (a consistent snapshot) and PostgreSQL written in
//! **one transaction for everything**: it takes the stores' write lock,
//! refuses a database holding incidents, users or audit rows, deletes the
//! rows the migrations seeded, copies every table in foreign-key order
//! (`copy.rs`), moves every identity sequence past the highest copied id
//! (`target.rs`) and compares the row counts of every table (`verify.rs`).
//! Any error or a count that differs rolls it all back: the PostgreSQL
//! database is left as it was, never half-moved.
//!
//! Values are converted by the PostgreSQL column's type, read from
//! `information_schema.columns` (`schema.rs`, `values.rs`): RFC 3339 text
//! becomes TIMESTAMPTZ, 0/1 BOOLEAN, 'YYYY-MM-DD' DATE; generated columns
//! are left to PostgreSQL. The insight cell tables are not copied: the
//! PostgreSQL triggers build them as incidents, services and factors
//! arrive. The search index is not touched: an instance on the new
//! database builds its own on first start.
mod copy;
mod schema;
mod source;
mod target;
mod values;
mod verify;

use std::time::Instant;

use sqlx::{Connection, PgConnection, SqliteConnection};

use crate::store::{PgStore, SqliteStore};

pub async fn run(from: &str, to: &str) -> anyhow::Result<()> {
    let from = source::sqlite_url(from)?;
    let to = target::postgres_url(to)?;
    target::refuse_if_in_use(&mut PgConnection::connect(to).await?).await?;
    SqliteStore::connect(&from).await?;
    PgStore::connect(to).await?;
    let mut src = source::open(&from).await?;
    let mut dst = PgConnection::connect(to).await?;
    let started = Instant::now();
    let tallies = move_rows(&mut src, &mut dst).await?;
    let copied: i64 = tallies.iter().filter(|t| t.copied).map(|t| t.sqlite).sum();
    println!(
        "moved {copied} rows in {:.1} s; every count matches",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The whole move, in one PostgreSQL transaction committed only when
/// every count matches.
async fn move_rows(
    src: &mut SqliteConnection,
    dst: &mut PgConnection,
) -> anyhow::Result<Vec<verify::Tally>> {
    let mut read = src.begin().await?;
    let mut tx = dst.begin().await?;
    target::lock(&mut tx).await?;
    target::refuse_if_in_use(&mut tx).await?;
    let tables = schema::tables(&mut read, &mut tx).await?;
    let counts = verify::counts(&tables);
    let expected = verify::read_sqlite(&mut read, &counts).await?;
    target::clear(&mut tx, &tables).await?;
    copy::copy_all(
        &mut read,
        &mut tx,
        &tables,
        rows_to_copy(&counts, &expected),
    )
    .await?;
    target::reset_sequences(&mut tx, &tables).await?;
    let tallies = verify::compare(&mut tx, &counts, &expected).await?;
    verify::print(&tallies);
    if let Err(mismatch) = verify::check(&tallies) {
        tx.rollback().await?;
        return Err(mismatch);
    }
    tx.commit().await?;
    Ok(tallies)
}

fn rows_to_copy(counts: &[verify::Count], expected: &[i64]) -> u64 {
    let copied = counts.iter().zip(expected).filter(|(c, _)| c.copied);
    copied.map(|(_, n)| (*n).max(0) as u64).sum()
}
