//! SQLite FTS5, the embedded peer: porter stemming, bm25 with the title
//! weighted as Firebreak weights it.
use std::time::{Duration, Instant};

use app::model::{Incident, TimelineEntry};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};

use super::corpus::BenchQuery;

pub async fn load(docs: &[(Incident, Vec<TimelineEntry>)]) -> (SqlitePool, Duration) {
    let options = SqliteConnectOptions::new().in_memory(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap();
    sqlx::query("CREATE VIRTUAL TABLE docs USING fts5(title, body, severity UNINDEXED, tokenize = 'porter unicode61')")
        .execute(&pool)
        .await
        .unwrap();
    let started = Instant::now();
    let mut tx = pool.begin().await.unwrap();
    for (incident, _) in docs {
        sqlx::query("INSERT INTO docs (rowid, title, body, severity) VALUES (?, ?, ?, ?)")
            .bind(incident.id)
            .bind(&incident.title)
            .bind(&incident.summary)
            .bind(incident.severity.as_str())
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    (pool, started.elapsed())
}

pub async fn query(pool: &SqlitePool, q: &BenchQuery) -> usize {
    let sql = match q.severity {
        Some(_) => {
            "SELECT rowid FROM docs WHERE docs MATCH ? AND severity = ? ORDER BY bm25(docs, 3.0, 1.0) LIMIT 10"
        }
        None => "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 3.0, 1.0) LIMIT 10",
    };
    let mut query = sqlx::query_scalar::<_, i64>(sql).bind(&q.fts);
    if let Some(sev) = q.severity {
        query = query.bind(sev);
    }
    query.fetch_all(pool).await.map(|r| r.len()).unwrap_or(0)
}
