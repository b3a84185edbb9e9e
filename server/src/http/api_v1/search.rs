use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;

use app::model::{SearchQuery, SearchResults, SimilarIncidents};

use crate::http::extract::ApiQuery;
use crate::http::identity::ApiActor;
use crate::http::{AppState, WireError};

/// `GET /api/v1/search?q=…&limit=…&offset=…&sort=relevance|date`.
pub async fn search(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Json<SearchResults>, WireError> {
    Ok(Json(state.incidents.search(query, &actor).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimilarParams {
    #[serde(default)]
    limit: Option<i64>,
}

/// `GET /api/v1/incidents/{id}/similar?limit=5`.
pub async fn similar(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    ApiQuery(params): ApiQuery<SimilarParams>,
) -> Result<Json<SimilarIncidents>, WireError> {
    let limit = params.limit.unwrap_or(5);
    Ok(Json(state.incidents.similar(&id, limit, &actor).await?))
}
