//! How insights queries are put together and run: the filter's `AND …`
//! conditions with their parameters, then one statement on a reader.
use chrono::{DateTime, Utc};
use sqlx::Sqlite;
use sqlx::sqlite::{SqliteArguments, SqliteRow};

use super::SqliteStore;
use crate::store::{InsightFilter, StoreError};

pub(super) enum Bind {
    Time(DateTime<Utc>),
    Text(String),
    Int(i64),
}

/// `AND …` conditions on `incidents` for `filter`, and their parameters.
/// They read `began_at`, `severity` and `id`, which every insights index
/// holds, so a filtered query never leaves its index (`resolved_in`, for the
/// weekly digest only, reads the table).
/// `on` is the incidents table's alias with its dot (`i.`), or empty.
pub(super) fn conditions(filter: &InsightFilter, on: &str) -> (String, Vec<Bind>) {
    let mut sql = String::new();
    let mut binds = Vec::new();
    if let Some(from) = filter.from {
        sql.push_str(&format!(" AND {on}began_at >= ?"));
        binds.push(Bind::Time(from));
    }
    if let Some(to) = filter.to {
        sql.push_str(&format!(" AND {on}began_at < ?"));
        binds.push(Bind::Time(to));
    }
    if let Some(severity) = filter.severity {
        sql.push_str(&format!(" AND {on}severity = ?"));
        binds.push(Bind::Text(severity.as_str().into()));
    }
    if let Some(service) = &filter.service {
        sql.push_str(&format!(
            " AND {on}id IN (SELECT incident_id FROM incident_services WHERE service = ?)"
        ));
        binds.push(Bind::Text(service.clone()));
    }
    if let Some(tag) = &filter.tag {
        sql.push_str(&format!(
            " AND {on}id IN (SELECT incident_id FROM incident_tags WHERE tag = ?)"
        ));
        binds.push(Bind::Text(tag.clone()));
    }
    if let Some(factor) = &filter.factor {
        sql.push_str(&format!(
            " AND {on}id IN (SELECT f.incident_id FROM incident_factors f JOIN factor_taxonomy t
              ON t.id = f.factor_id WHERE t.name = ? COLLATE NOCASE)"
        ));
        binds.push(Bind::Text(factor.clone()));
    }
    if let Some((from, to)) = filter.resolved_in {
        sql.push_str(&format!(
            " AND {on}resolved_at >= ? AND {on}resolved_at < ?"
        ));
        binds.push(Bind::Time(from));
        binds.push(Bind::Time(to));
    }
    (sql, binds)
}

impl SqliteStore {
    /// Runs the statement `sql` makes of the filter's `AND …` conditions,
    /// with `extra` parameters after the filter's.
    pub(super) async fn fetch_where(
        &self,
        filter: &InsightFilter,
        sql: impl FnOnce(&str) -> String,
        extra: Vec<Bind>,
    ) -> Result<Vec<SqliteRow>, StoreError> {
        self.fetch_where_on(filter, "", sql, extra).await
    }

    /// [`Self::fetch_where`] with the conditions on the incidents table's
    /// alias `on` (`i.`), for joins.
    pub(super) async fn fetch_where_on(
        &self,
        filter: &InsightFilter,
        on: &str,
        sql: impl FnOnce(&str) -> String,
        extra: Vec<Bind>,
    ) -> Result<Vec<SqliteRow>, StoreError> {
        let (conditions, mut binds) = conditions(filter, on);
        binds.extend(extra);
        self.run(&sql(&conditions), binds).await
    }

    pub(super) async fn run(
        &self,
        sql: &str,
        binds: Vec<Bind>,
    ) -> Result<Vec<SqliteRow>, StoreError> {
        use sqlx::Arguments;
        let mut args = SqliteArguments::default();
        for b in binds {
            match b {
                Bind::Time(t) => args.add(t),
                Bind::Text(s) => args.add(s),
                Bind::Int(i) => args.add(i),
            }
            .map_err(|e| StoreError::Database(sqlx::Error::Encode(e)))?;
        }
        Ok(sqlx::query_with::<Sqlite, _>(sql, args)
            .fetch_all(&self.reader)
            .await?)
    }
}
