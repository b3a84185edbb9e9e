//! The PostgreSQL database to fill: refused unless empty; cleared of the
//! rows its migrations seed; its identity sequences moved past the copied
//! ids at the end.
use anyhow::bail;
use sqlx::PgConnection;

use super::schema::{CELL_TABLES, Table, quoted};

/// The advisory lock every PgStore write transaction takes first (the
/// same key as `store/postgres.rs`): a running instance waits for the move.
const WRITE_LOCK: i64 = 0x6662_7772;

pub fn postgres_url(to: &str) -> anyhow::Result<&str> {
    if to.starts_with("postgres://") || to.starts_with("postgresql://") {
        Ok(to)
    } else {
        bail!("--to must be a PostgreSQL URL (postgres://…), not {to:?}");
    }
}

pub async fn lock(dst: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(WRITE_LOCK)
        .execute(dst)
        .await?;
    Ok(())
}

/// Refuses a database that already holds incidents, users or audit rows
/// (the append-only audit log could not be cleared); one without the
/// schema yet is empty.
pub async fn refuse_if_in_use(dst: &mut PgConnection) -> anyhow::Result<()> {
    let migrated: bool = sqlx::query_scalar("SELECT to_regclass('audit_log') IS NOT NULL")
        .fetch_one(&mut *dst)
        .await?;
    if !migrated {
        return Ok(());
    }
    let (incidents, users, audit): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM incidents), (SELECT count(*) FROM users), \
         (SELECT count(*) FROM audit_log)",
    )
    .fetch_one(dst)
    .await?;
    if incidents + users + audit > 0 {
        bail!(
            "the PostgreSQL database is not empty ({incidents} incidents, {users} users, \
             {audit} audit rows): migrate-data only fills an empty registry; nothing was written"
        );
    }
    Ok(())
}

/// Deletes what the migrations seeded (the factor taxonomy, the action
/// policy) and any other leftovers, children first; the copy replaces them.
pub async fn clear(dst: &mut PgConnection, tables: &[Table]) -> sqlx::Result<()> {
    let names = tables.iter().rev().map(|t| t.name.as_str());
    for name in names.chain(CELL_TABLES.map(|(t, _)| t)) {
        sqlx::query(&format!("DELETE FROM {}", quoted(name)))
            .execute(&mut *dst)
            .await?;
    }
    Ok(())
}

/// Moves each identity sequence past the highest copied id, so the next
/// row gets a fresh one (1 for a table that stayed empty).
pub async fn reset_sequences(dst: &mut PgConnection, tables: &[Table]) -> sqlx::Result<()> {
    for table in tables {
        let Some(id) = &table.identity else { continue };
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max({col}), 1), max({col}) IS NOT NULL) FROM {t}",
            col = quoted(id),
            t = quoted(&table.name),
        );
        sqlx::query(&sql)
            .bind(quoted(&table.name))
            .bind(id)
            .execute(&mut *dst)
            .await?;
    }
    Ok(())
}
