//! How insights queries are put together and run: the filter's `AND …`
//! conditions with their parameters, then one statement on the pool.
//!
//! Parameters are numbered (`$1`, `$2`, …), not positional as SQLite's `?`:
//! a statement's own parameters (`extra`) come first, as `$1…$k`, and the
//! filter's conditions number theirs from `$k+1`. So a statement writes its
//! own placeholders without knowing how many the filter needs, and may use
//! the conditions twice (they refer to the same parameters).
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Postgres;
use sqlx::postgres::{PgArguments, PgRow};

use super::PgStore;
use crate::store::{InsightFilter, StoreError};

pub(super) enum Bind {
    Time(DateTime<Utc>),
    Text(String),
    Int(i64),
    /// A BIGINT[], for `= ANY($n)`.
    Ints(Vec<i64>),
    Date(NaiveDate),
}

/// Parameters numbered from `first`.
struct Params {
    first: usize,
    binds: Vec<Bind>,
}

impl Params {
    /// Adds `bind`, and returns its placeholder.
    fn mark(&mut self, bind: Bind) -> String {
        self.binds.push(bind);
        format!("${}", self.first + self.binds.len() - 1)
    }
}

/// `AND …` conditions on `incidents` for `filter`, and their parameters,
/// numbered from `$first`. They read `began_at`, `severity` and `id`, which
/// every insights index holds, so a filtered query never leaves its index
/// (`resolved_in`, for the weekly digest only, reads the table).
/// `on` is the incidents table's alias with its dot (`i.`), or empty.
pub(super) fn conditions(filter: &InsightFilter, on: &str, first: usize) -> (String, Vec<Bind>) {
    let mut sql = String::new();
    let mut p = Params {
        first,
        binds: Vec::new(),
    };
    if let Some(from) = filter.from {
        let m = p.mark(Bind::Time(from));
        sql.push_str(&format!(" AND {on}began_at >= {m}"));
    }
    if let Some(to) = filter.to {
        let m = p.mark(Bind::Time(to));
        sql.push_str(&format!(" AND {on}began_at < {m}"));
    }
    if let Some(severity) = filter.severity {
        let m = p.mark(Bind::Text(severity.as_str().into()));
        sql.push_str(&format!(" AND {on}severity = {m}"));
    }
    if let Some(service) = &filter.service {
        let m = p.mark(Bind::Text(service.clone()));
        sql.push_str(&format!(
            " AND {on}id IN (SELECT incident_id FROM incident_services WHERE service = {m})"
        ));
    }
    if let Some(tag) = &filter.tag {
        let m = p.mark(Bind::Text(tag.clone()));
        sql.push_str(&format!(
            " AND {on}id IN (SELECT incident_id FROM incident_tags WHERE tag = {m})"
        ));
    }
    if let Some(factor) = &filter.factor {
        let m = p.mark(Bind::Text(factor.clone()));
        sql.push_str(&format!(
            " AND {on}id IN (SELECT f.incident_id FROM incident_factors f JOIN factor_taxonomy t
              ON t.id = f.factor_id WHERE lower(t.name) = lower({m}))"
        ));
    }
    if let Some((from, to)) = filter.resolved_in {
        let a = p.mark(Bind::Time(from));
        let b = p.mark(Bind::Time(to));
        sql.push_str(&format!(
            " AND {on}resolved_at >= {a} AND {on}resolved_at < {b}"
        ));
    }
    (sql, p.binds)
}

impl PgStore {
    /// Runs the statement `sql` makes of the filter's `AND …` conditions;
    /// the statement's `extra` parameters are `$1…$k`, the conditions'
    /// follow them.
    pub(super) async fn fetch_where(
        &self,
        filter: &InsightFilter,
        sql: impl FnOnce(&str) -> String,
        extra: Vec<Bind>,
    ) -> Result<Vec<PgRow>, StoreError> {
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
    ) -> Result<Vec<PgRow>, StoreError> {
        let (conditions, binds) = conditions(filter, on, extra.len() + 1);
        let mut all = extra;
        all.extend(binds);
        self.run(&sql(&conditions), all).await
    }

    /// Runs `sql` with `binds` as `$1, $2, …`.
    pub(super) async fn run(&self, sql: &str, binds: Vec<Bind>) -> Result<Vec<PgRow>, StoreError> {
        use sqlx::Arguments;
        let mut args = PgArguments::default();
        for b in binds {
            match b {
                Bind::Time(t) => args.add(t),
                Bind::Text(s) => args.add(s),
                Bind::Int(i) => args.add(i),
                Bind::Ints(ids) => args.add(ids),
                Bind::Date(d) => args.add(d),
            }
            .map_err(|e| StoreError::Database(sqlx::Error::Encode(e)))?;
        }
        Ok(sqlx::query_with::<Postgres, _>(sql, args)
            .fetch_all(&self.pool)
            .await?)
    }
}
