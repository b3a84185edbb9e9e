//! Copies the rows of each table, batch by batch, each batch one
//! `INSERT … SELECT * FROM UNNEST($1::type[], …)` with the ids as they are.
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use sqlx::sqlite::SqliteRow;
use sqlx::{PgConnection, SqliteConnection};
use tokio_stream::StreamExt;

use super::schema::{Table, quoted};
use super::values::Values;

/// Rows per statement, and per step of the progress bar.
const BATCH: usize = 500;

/// Copies every table in order under one progress bar of `total` rows.
pub async fn copy_all(
    src: &mut SqliteConnection,
    dst: &mut PgConnection,
    tables: &[Table],
    total: u64,
) -> anyhow::Result<()> {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} rows  {per_sec}  eta {eta}  {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    for table in tables {
        bar.set_message(table.name.clone());
        copy_table(src, dst, table, &bar).await?;
    }
    bar.finish_and_clear();
    Ok(())
}

/// A table that refers to itself goes in one statement: PostgreSQL checks
/// its foreign keys at the end of the statement, so an incident may name
/// one with a higher id (a duplicate of a later incident).
async fn copy_table(
    src: &mut SqliteConnection,
    dst: &mut PgConnection,
    table: &Table,
    bar: &ProgressBar,
) -> anyhow::Result<()> {
    let limit = if table.self_referencing {
        usize::MAX
    } else {
        BATCH
    };
    let insert = insert_sql(table);
    let select = select_sql(table);
    let mut rows = sqlx::query(&select).fetch(src);
    let mut batch = Batch::new(table);
    while let Some(row) = rows.next().await {
        batch.push(
            &row.with_context(|| format!("reading {}", table.name))?,
            table,
        )?;
        if batch.rows == limit {
            batch.flush(dst, &insert, table, bar).await?;
        }
    }
    batch.flush(dst, &insert, table, bar).await
}

fn select_sql(table: &Table) -> String {
    let columns: Vec<String> = table.columns.iter().map(|c| quoted(&c.name)).collect();
    format!("SELECT {} FROM {}", columns.join(", "), quoted(&table.name))
}

fn insert_sql(table: &Table) -> String {
    let columns: Vec<String> = table.columns.iter().map(|c| quoted(&c.name)).collect();
    let arrays: Vec<String> = (table.columns.iter().enumerate())
        .map(|(i, c)| format!("${}::{}", i + 1, c.kind.array_type()))
        .collect();
    let overriding = if table.identity.is_some() {
        " OVERRIDING SYSTEM VALUE"
    } else {
        ""
    };
    format!(
        "INSERT INTO {} ({}){overriding} SELECT * FROM UNNEST({})",
        quoted(&table.name),
        columns.join(", "),
        arrays.join(", ")
    )
}

/// Rows read and not yet written, column by column.
struct Batch {
    columns: Vec<Values>,
    rows: usize,
}

impl Batch {
    fn new(table: &Table) -> Self {
        Self {
            columns: table.columns.iter().map(|c| Values::new(c.kind)).collect(),
            rows: 0,
        }
    }

    fn push(&mut self, row: &SqliteRow, table: &Table) -> anyhow::Result<()> {
        for (i, values) in self.columns.iter_mut().enumerate() {
            values.push(row, i).with_context(|| {
                format!(
                    "reading {}.{} as {:?}",
                    table.name, table.columns[i].name, table.columns[i].kind
                )
            })?;
        }
        self.rows += 1;
        Ok(())
    }

    async fn flush(
        &mut self,
        dst: &mut PgConnection,
        insert: &str,
        table: &Table,
        bar: &ProgressBar,
    ) -> anyhow::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let full = std::mem::replace(self, Self::new(table));
        let mut query = sqlx::query(insert);
        for values in full.columns {
            query = values.bind(query);
        }
        query
            .execute(dst)
            .await
            .with_context(|| format!("writing {} to PostgreSQL", table.name))?;
        bar.inc(full.rows as u64);
        Ok(())
    }
}
