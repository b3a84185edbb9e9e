//! Is this instance fit to serve? Readiness checks the database answers
//! and the search index is open and close behind the outbox; the snapshot
//! gives `/metrics` the same figures. Neither needs a caller: they say
//! nothing about the registry's contents beyond counts.
use std::time::{Duration, Instant};

use chrono::Utc;
use serde::Serialize;

use super::{IncidentService, ServiceError};
use crate::store::PoolUse;

/// The index may run this far behind the oldest unapplied outbox row and
/// still be ready (the freshness goal is 1 s; this leaves room for a burst).
pub const READY_LAG: Duration = Duration::from_secs(5);
/// A database that takes longer than this to answer `SELECT 1` is not ready.
const PING_LIMIT: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Readiness {
    pub ready: bool,
    pub checks: Vec<Check>,
}

/// What `/metrics` reports besides request counts.
#[derive(Debug, Clone, Default)]
pub struct OperationsSnapshot {
    pub index_position: i64,
    pub outbox_head: i64,
    pub index_lag_seconds: f64,
    pub rebuilding: bool,
    pub indexed_documents: u64,
    pub pools: Vec<PoolUse>,
    pub open_by_severity: Vec<(String, i64)>,
}

fn check(name: &'static str, ok: bool, detail: impl Into<String>) -> Check {
    Check {
        name,
        ok,
        detail: detail.into(),
    }
}

impl IncidentService {
    pub async fn readiness(&self) -> Readiness {
        let database = self.database_check().await;
        let index = if database.ok {
            self.index_check().await
        } else {
            check(
                "search_index",
                false,
                "not checked: the database did not answer",
            )
        };
        Readiness {
            ready: database.ok && index.ok,
            checks: vec![database, index],
        }
    }

    async fn database_check(&self) -> Check {
        let started = Instant::now();
        match tokio::time::timeout(PING_LIMIT, self.store.ping()).await {
            Ok(Ok(())) => check(
                "database",
                true,
                format!("answered in {} ms", started.elapsed().as_millis()),
            ),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "readiness: the database failed");
                check("database", false, "the database returned an error")
            }
            Err(_) => check(
                "database",
                false,
                format!("no answer within {} s", PING_LIMIT.as_secs()),
            ),
        }
    }

    async fn index_check(&self) -> Check {
        let progress = &self.index.progress;
        if let Some(done) = progress.rebuilding() {
            return check(
                "search_index",
                false,
                format!("being rebuilt from the database ({done} incidents so far)"),
            );
        }
        let position = progress.applied();
        if position < 0 {
            return check("search_index", false, "not built yet");
        }
        match self.store.outbox_backlog(position).await {
            Ok(backlog) => {
                let lag = backlog
                    .oldest_pending_at
                    .map_or(0.0, |at| (Utc::now() - at).as_seconds_f64().max(0.0));
                let behind = (backlog.head - position).max(0);
                let detail = format!("{behind} changes behind, {lag:.1} s");
                check("search_index", lag <= READY_LAG.as_secs_f64(), detail)
            }
            Err(e) => {
                tracing::warn!(error = %e, "readiness: reading the outbox failed");
                check("search_index", false, "the outbox could not be read")
            }
        }
    }

    pub async fn operations_snapshot(&self) -> Result<OperationsSnapshot, ServiceError> {
        let position = self.index.progress.applied();
        let backlog = self.store.outbox_backlog(position).await?;
        Ok(OperationsSnapshot {
            index_position: position,
            outbox_head: backlog.head,
            index_lag_seconds: backlog
                .oldest_pending_at
                .map_or(0.0, |at| (Utc::now() - at).as_seconds_f64().max(0.0)),
            rebuilding: self.index.progress.rebuilding().is_some(),
            indexed_documents: self.index.num_docs(),
            pools: self.store.pool_use(),
            open_by_severity: self.store.open_incidents_by_severity().await?,
        })
    }
}
