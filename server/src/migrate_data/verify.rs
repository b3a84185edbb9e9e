//! The row counts of every table on both sides, compared before the
//! PostgreSQL transaction commits, and printed as a table.
use anyhow::bail;
use sqlx::{PgConnection, SqliteConnection};

use super::schema::{CELL_TABLES, Table, quoted};

/// What is counted: each copied table, and the cells in use of each
/// trigger-kept table (SQLite keeps a cell at 0 when its last incident
/// moves away; PostgreSQL, building them afresh, never has one).
pub struct Count {
    pub label: String,
    sql: String,
    pub copied: bool,
}

#[derive(Debug)]
pub struct Tally {
    pub label: String,
    pub sqlite: i64,
    pub postgres: i64,
    /// A copied table, not a trigger-kept one.
    pub copied: bool,
}

pub fn counts(tables: &[Table]) -> Vec<Count> {
    let copied = tables.iter().map(|t| Count {
        label: t.name.clone(),
        sql: format!("SELECT count(*) FROM {}", quoted(&t.name)),
        copied: true,
    });
    let cells = CELL_TABLES.iter().map(|(t, used)| Count {
        label: format!("{t} (cells in use)"),
        sql: format!(
            "SELECT count(*) FROM {} WHERE {} <> 0",
            quoted(t),
            quoted(used)
        ),
        copied: false,
    });
    copied.chain(cells).collect()
}

pub async fn read_sqlite(src: &mut SqliteConnection, counts: &[Count]) -> sqlx::Result<Vec<i64>> {
    let mut found = Vec::new();
    for count in counts {
        found.push(sqlx::query_scalar(&count.sql).fetch_one(&mut *src).await?);
    }
    Ok(found)
}

pub async fn compare(
    dst: &mut PgConnection,
    counts: &[Count],
    sqlite: &[i64],
) -> sqlx::Result<Vec<Tally>> {
    let mut tallies = Vec::new();
    for (count, sqlite) in counts.iter().zip(sqlite) {
        tallies.push(Tally {
            label: count.label.clone(),
            sqlite: *sqlite,
            postgres: sqlx::query_scalar(&count.sql).fetch_one(&mut *dst).await?,
            copied: count.copied,
        });
    }
    Ok(tallies)
}

pub fn print(tallies: &[Tally]) {
    println!("{:<34} {:>10} {:>10}", "table", "sqlite", "postgres");
    for t in tallies {
        let mark = if t.sqlite == t.postgres {
            ""
        } else {
            "  MISMATCH"
        };
        println!("{:<34} {:>10} {:>10}{mark}", t.label, t.sqlite, t.postgres);
    }
}

pub fn check(tallies: &[Tally]) -> anyhow::Result<()> {
    let wrong: Vec<String> = tallies
        .iter()
        .filter(|t| t.sqlite != t.postgres)
        .map(|t| {
            format!(
                "{} ({} in SQLite, {} in PostgreSQL)",
                t.label, t.sqlite, t.postgres
            )
        })
        .collect();
    if !wrong.is_empty() {
        bail!(
            "row counts differ, so the move was rolled back and PostgreSQL is unchanged: {}",
            wrong.join("; ")
        );
    }
    Ok(())
}
