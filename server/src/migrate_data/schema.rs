//! What to copy: every table of the SQLite registry, in foreign-key order,
//! with the columns PostgreSQL takes (its generated columns left out) and
//! the type each one converts to. Read from both catalogs, so a new table
//! or column needs no code here.
use anyhow::{Context, bail};
use sqlx::{PgConnection, SqliteConnection};

use super::values::Kind;

/// Tables PostgreSQL's triggers fill as incidents, services and factors
/// arrive (migration 0009), each with the column that is 0 in a cell no
/// incident uses any more. They are never copied.
pub const CELL_TABLES: [(&str, &str); 3] = [
    ("month_cells", "incidents"),
    ("factor_cells", "n"),
    ("service_cells", "n"),
];

#[derive(Debug)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
}

#[derive(Debug)]
pub struct Table {
    pub name: String,
    /// The columns written: PostgreSQL's, less the generated ones.
    pub columns: Vec<Column>,
    /// The identity column, whose sequence is moved past the copied ids.
    pub identity: Option<String>,
    /// A foreign key to itself (incidents: repeat_of, duplicate_of).
    pub self_referencing: bool,
}

/// A table or column name as an SQL identifier. The names come from the
/// databases' own catalogs, never from the command line.
pub fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

struct PgColumn {
    name: String,
    data_type: String,
    generated: bool,
    identity: bool,
}

/// The tables to copy, parents before the tables that refer to them.
pub async fn tables(
    src: &mut SqliteConnection,
    dst: &mut PgConnection,
) -> anyhow::Result<Vec<Table>> {
    let names = sqlite_tables(src).await?;
    let edges = foreign_keys(dst).await?;
    let mut tables = Vec::new();
    for name in fk_order(names, &edges)? {
        let self_referencing = edges.iter().any(|(c, p)| *c == name && *p == name);
        tables.push(table(src, dst, name, self_referencing).await?);
    }
    Ok(tables)
}

async fn sqlite_tables(src: &mut SqliteConnection) -> sqlx::Result<Vec<String>> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         AND name <> '_sqlx_migrations' ORDER BY rowid",
    )
    .fetch_all(src)
    .await?;
    let cells = CELL_TABLES.map(|(t, _)| t);
    Ok(names
        .into_iter()
        .filter(|n| !cells.contains(&n.as_str()))
        .collect())
}

/// `(child, parent)` for every foreign key of the PostgreSQL schema.
async fn foreign_keys(dst: &mut PgConnection) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT child.relname::text, parent.relname::text FROM pg_constraint c \
         JOIN pg_class child ON child.oid = c.conrelid \
         JOIN pg_class parent ON parent.oid = c.confrelid \
         WHERE c.contype = 'f' AND child.relnamespace = current_schema()::regnamespace",
    )
    .fetch_all(dst)
    .await
}

/// `names` reordered so each table comes after every other table it refers
/// to; otherwise in the given (creation) order.
fn fk_order(mut left: Vec<String>, edges: &[(String, String)]) -> anyhow::Result<Vec<String>> {
    let mut done: Vec<String> = Vec::new();
    while !left.is_empty() {
        let waits = |t: &String| {
            edges
                .iter()
                .any(|(c, p)| c == t && p != t && left.contains(p) && !done.contains(p))
        };
        let Some(next) = left.iter().position(|t| !waits(t)) else {
            bail!("the foreign keys between {} form a cycle", left.join(", "));
        };
        done.push(left.remove(next));
    }
    Ok(done)
}

async fn table(
    src: &mut SqliteConnection,
    dst: &mut PgConnection,
    name: String,
    self_referencing: bool,
) -> anyhow::Result<Table> {
    let pg = pg_columns(dst, &name).await?;
    if pg.is_empty() {
        bail!("table {name} of the SQLite registry does not exist in PostgreSQL");
    }
    check_columns(&name, &pg, &sqlite_columns(src, &name).await?)?;
    let identity = pg.iter().find(|c| c.identity).map(|c| c.name.clone());
    let columns = pg
        .into_iter()
        .filter(|c| !c.generated)
        .map(|c| column(&name, c))
        .collect::<anyhow::Result<_>>()?;
    Ok(Table {
        name,
        columns,
        identity,
        self_referencing,
    })
}

fn column(table: &str, c: PgColumn) -> anyhow::Result<Column> {
    let kind = Kind::from_data_type(&c.data_type).with_context(|| {
        format!(
            "{table}.{} is {}, a type migrate-data does not convert",
            c.name, c.data_type
        )
    })?;
    Ok(Column { name: c.name, kind })
}

async fn pg_columns(dst: &mut PgConnection, table: &str) -> sqlx::Result<Vec<PgColumn>> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT column_name::text, data_type::text, is_generated::text, is_identity::text \
         FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(dst)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, data_type, generated, identity)| PgColumn {
            name,
            data_type,
            generated: generated == "ALWAYS",
            identity: identity == "YES",
        })
        .collect())
}

/// `(name, hidden)`: hidden is 2 or 3 for a generated column.
async fn sqlite_columns(
    src: &mut SqliteConnection,
    table: &str,
) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as("SELECT name, hidden FROM pragma_table_xinfo(?)")
        .bind(table)
        .fetch_all(src)
        .await
}

/// Both schemas must have the same columns: a stored SQLite column with no
/// PostgreSQL home would be lost, and a PostgreSQL one SQLite lacks has
/// nothing to be filled from.
fn check_columns(table: &str, pg: &[PgColumn], sqlite: &[(String, i64)]) -> anyhow::Result<()> {
    for (name, _) in sqlite.iter().filter(|(_, hidden)| *hidden == 0) {
        if !pg.iter().any(|c| c.name == *name) {
            bail!("column {table}.{name} of the SQLite registry does not exist in PostgreSQL");
        }
    }
    for c in pg.iter().filter(|c| !c.generated) {
        if !sqlite.iter().any(|(name, _)| *name == c.name) {
            bail!(
                "column {table}.{} of PostgreSQL does not exist in the SQLite registry",
                c.name
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parents_come_first_and_self_references_do_not_wait() {
        let edges = [
            ("incidents", "users"),
            ("incidents", "incidents"),
            ("timeline_entries", "incidents"),
        ]
        .map(|(c, p)| (c.to_string(), p.to_string()));
        let order = fk_order(names(&["timeline_entries", "incidents", "users"]), &edges).unwrap();
        assert_eq!(order, names(&["users", "incidents", "timeline_entries"]));
    }

    #[test]
    fn a_cycle_is_an_error() {
        let edges = [("a", "b"), ("b", "a")].map(|(c, p)| (c.to_string(), p.to_string()));
        assert!(fk_order(names(&["a", "b"]), &edges).is_err());
    }
}
