use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use utoipa::IntoParams;

use app::model::{SearchQuery, SearchResults, SimilarIncidents};

use crate::http::extract::ApiQuery;
use crate::http::identity::ApiActor;
use crate::http::openapi::errors;
use crate::http::{AppState, WireError};

/// Search incidents
///
/// An empty `q` lists everything, newest first; a `q` over 1,000
/// characters is refused with 400. `q` holds words, `"phrases"`, `prefix*` and field filters:
/// `service:checkout severity:sev1 tag:dns status:resolved after:2025-01-01 before:2026-01-01`.
/// Hits carry a snippet whose only markup is `<mark>`; `facets` count the
/// matches by severity, status, service, tag and year.
#[utoipa::path(
    get, path = "/search", tag = "search", operation_id = "search_incidents",
    params(SearchQuery),
    responses(
        (status = 200, description = "The hits, their count and the facets", body = SearchResults),
        (status = 400, response = errors::BadRequest),
        (status = 401, response = errors::Unauthorized),
        (status = 422, response = errors::Invalid),
    ),
    security((), ("bearer" = []), ("session" = []))
)]
pub async fn search(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Json<SearchResults>, WireError> {
    Ok(Json(state.incidents.search(query, &actor).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SimilarParams {
    /// How many to return (default 5).
    #[serde(default)]
    limit: Option<i64>,
}

/// Similar past incidents
///
/// Incidents whose text shares the most telling words with this one, with
/// those words and what fixed each.
#[utoipa::path(
    get, path = "/incidents/{id}/similar", tag = "search", operation_id = "similar_incidents",
    params(("id" = String, Path, description = "The incident's number or human id: `12` or `INC-12`"), SimilarParams),
    responses(
        (status = 200, description = "The most similar incidents first", body = SimilarIncidents),
        (status = 400, response = errors::BadRequest),
        (status = 401, response = errors::Unauthorized),
        (status = 404, response = errors::NotFound),
        (status = 422, response = errors::Invalid),
    ),
    security((), ("bearer" = []), ("session" = []))
)]
pub async fn similar(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    ApiQuery(params): ApiQuery<SimilarParams>,
) -> Result<Json<SimilarIncidents>, WireError> {
    let limit = params.limit.unwrap_or(5);
    Ok(Json(state.incidents.similar(&id, limit, &actor).await?))
}
