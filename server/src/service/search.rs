//! Searching and "similar incidents". Queries run on the blocking pool,
//! with panics contained and a time limit, so no query can take a worker
//! down or hold it.
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use app::model::{SearchQuery, SearchResults, SimilarIncidents};
use app::port::Actor;

use super::{IncidentService, ServiceError, access};
use crate::metrics::SearchKind;
use crate::search::{Request, SearchIndex, parse_query};

const DEFAULT_LIMIT: i64 = 20;
const MAX_LIMIT: i64 = 100;
const MAX_OFFSET: i64 = 10_000;
const MAX_SIMILAR: i64 = 20;
const QUERY_TIME_LIMIT: Duration = Duration::from_secs(2);
/// Draft text longer than this is cut before looking for similar incidents.
const MAX_DRAFT_CHARS: usize = 20_000;

async fn on_index<T: Send + 'static>(
    index: &Arc<SearchIndex>,
    work: impl FnOnce(&SearchIndex) -> Result<T, crate::search::SearchError> + Send + 'static,
) -> Result<T, ServiceError> {
    let index = index.clone();
    let task = tokio::task::spawn_blocking(move || {
        std::panic::catch_unwind(AssertUnwindSafe(|| work(&index)))
    });
    match tokio::time::timeout(QUERY_TIME_LIMIT, task).await {
        Err(_) => Err(ServiceError::BadRequest(
            "the search took too long; make the query simpler".into(),
        )),
        Ok(Err(e)) => Err(ServiceError::Internal(format!("search task: {e}"))),
        Ok(Ok(Err(_panic))) => Err(ServiceError::BadRequest(
            "the search could not be run; make the query simpler".into(),
        )),
        Ok(Ok(Ok(result))) => result.map_err(|e| ServiceError::Internal(e.to_string())),
    }
}

fn bounded(value: Option<i64>, default: i64, max: i64, field: &str) -> Result<i64, ServiceError> {
    let v = value.unwrap_or(default);
    if (0..=max).contains(&v) {
        Ok(v)
    } else {
        Err(ServiceError::invalid(
            field,
            format!("must be between 0 and {max}"),
        ))
    }
}

impl IncidentService {
    /// Runs `work` on the index, recording how long it took.
    async fn timed<T: Send + 'static>(
        &self,
        kind: SearchKind,
        work: impl FnOnce(&SearchIndex) -> Result<T, crate::search::SearchError> + Send + 'static,
    ) -> Result<T, ServiceError> {
        let started = std::time::Instant::now();
        let result = on_index(&self.index, work).await;
        self.search_timings.observe(kind, started.elapsed());
        result
    }

    pub async fn search(
        &self,
        query: SearchQuery,
        actor: &Actor,
    ) -> Result<SearchResults, ServiceError> {
        access::require_reader(self.store.as_ref(), actor).await?;
        let limit = bounded(query.limit, DEFAULT_LIMIT, MAX_LIMIT, "limit")?.max(1) as usize;
        let offset = bounded(query.offset, 0, MAX_OFFSET, "offset")? as usize;
        let by_date = match query.sort.as_deref().map(str::trim) {
            None | Some("") | Some("relevance") => false,
            Some("date") => true,
            Some(_) => return Err(ServiceError::invalid("sort", "use relevance or date")),
        };
        let parsed = parse_query(query.q.as_deref().unwrap_or_default())
            .map_err(ServiceError::BadRequest)?;
        self.timed(SearchKind::Query, move |index| {
            index.search(&Request {
                query: &parsed,
                limit,
                offset,
                by_date,
            })
        })
        .await
    }

    pub async fn similar(
        &self,
        id: &str,
        limit: i64,
        actor: &Actor,
    ) -> Result<SimilarIncidents, ServiceError> {
        access::require_reader(self.store.as_ref(), actor).await?;
        let id = self.existing(id).await?;
        let limit = bounded(Some(limit), 5, MAX_SIMILAR, "limit")?.max(1) as usize;
        let found = self
            .timed(SearchKind::Similar, move |index| {
                index.similar_to_incident(id, limit)
            })
            .await?;
        // Not indexed yet (declared a moment ago): nothing to compare with.
        Ok(found.unwrap_or_default())
    }

    pub async fn similar_to_text(
        &self,
        text: &str,
        limit: i64,
        actor: &Actor,
    ) -> Result<SimilarIncidents, ServiceError> {
        access::require_reader(self.store.as_ref(), actor).await?;
        let limit = bounded(Some(limit), 5, MAX_SIMILAR, "limit")?.max(1) as usize;
        let text: String = text.chars().take(MAX_DRAFT_CHARS).collect();
        self.timed(SearchKind::SimilarDraft, move |index| {
            index.similar_to(&text, None, limit)
        })
        .await
    }
}
