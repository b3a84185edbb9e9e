//! PostgreSQL tsvector + GIN, the peer Dispatch uses: the `english`
//! configuration, the title weighted A and the text B, `ts_rank` for order.
//! Everything lives in a schema of its own, dropped before and after.
use std::time::{Duration, Instant};

use app::model::{Incident, TimelineEntry};
use sqlx::postgres::{PgPool, PgPoolOptions};

use super::corpus::BenchQuery;

const SCHEMA: &str = "firebreak_bench";
const BATCH: usize = 500;
/// A query still running after this is stopped and counted at this time.
pub const STATEMENT_TIMEOUT: Duration = Duration::from_secs(5);

pub struct Postgres {
    pool: PgPool,
}

impl Postgres {
    /// One connection, so a session setting holds for every statement.
    pub async fn connect(url: &str) -> sqlx::Result<Self> {
        let pool = PgPoolOptions::new().max_connections(1).connect(url).await?;
        Ok(Self { pool })
    }

    /// Caps each statement at [`STATEMENT_TIMEOUT`] (`None`: no cap, for loading).
    async fn statement_timeout(&self, cap: Option<Duration>) -> sqlx::Result<()> {
        let ms = cap.map_or(0, |d| d.as_millis());
        sqlx::query(&format!("SET statement_timeout = {ms}"))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Loads every incident and builds the GIN index; the time covers both.
    pub async fn load(&self, docs: &[(Incident, Vec<TimelineEntry>)]) -> sqlx::Result<Duration> {
        self.statement_timeout(None).await?;
        self.drop_schema().await?;
        for statement in [
            format!("CREATE SCHEMA {SCHEMA}"),
            format!(
                "CREATE TABLE {SCHEMA}.docs (id bigint PRIMARY KEY, severity text NOT NULL, tsv tsvector NOT NULL)"
            ),
        ] {
            sqlx::query(&statement).execute(&self.pool).await?;
        }
        let started = Instant::now();
        let insert = format!(
            "INSERT INTO {SCHEMA}.docs (id, severity, tsv)
             SELECT id, severity, setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')
             FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[]) AS t(id, severity, title, body)"
        );
        for batch in docs.chunks(BATCH) {
            let ids: Vec<i64> = batch.iter().map(|(d, _)| d.id).collect();
            let severities: Vec<&str> = batch.iter().map(|(d, _)| d.severity.as_str()).collect();
            let titles: Vec<&str> = batch.iter().map(|(d, _)| d.title.as_str()).collect();
            let bodies: Vec<&str> = batch.iter().map(|(d, _)| d.summary.as_str()).collect();
            sqlx::query(&insert)
                .bind(ids)
                .bind(severities)
                .bind(titles)
                .bind(bodies)
                .execute(&self.pool)
                .await?;
        }
        // As an operator would for a one-off build: the default 64 MB makes
        // a GIN build over 100k long texts spill to disk for many minutes.
        sqlx::query("SET maintenance_work_mem = '1GB'")
            .execute(&self.pool)
            .await?;
        let index = format!("CREATE INDEX docs_tsv ON {SCHEMA}.docs USING gin (tsv)");
        sqlx::query(&index).execute(&self.pool).await?;
        sqlx::query(&format!("ANALYZE {SCHEMA}.docs"))
            .execute(&self.pool)
            .await?;
        let took = started.elapsed();
        self.statement_timeout(Some(STATEMENT_TIMEOUT)).await?;
        Ok(took)
    }

    /// The best ten ids; `Err` when the statement timed out.
    pub async fn query(&self, q: &BenchQuery) -> sqlx::Result<usize> {
        let sql = format!(
            "SELECT id FROM {SCHEMA}.docs, to_tsquery('english', $1) AS q
             WHERE tsv @@ q AND ($2::text IS NULL OR severity = $2)
             ORDER BY ts_rank(tsv, q) DESC LIMIT 10"
        );
        let rows: Vec<i64> = sqlx::query_scalar(&sql)
            .bind(&q.tsquery)
            .bind(q.severity)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.len())
    }

    pub async fn drop_schema(&self) -> sqlx::Result<()> {
        sqlx::query(&format!("DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
