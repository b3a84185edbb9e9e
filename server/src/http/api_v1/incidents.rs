use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use app::model::{Incident, IncidentInput, IncidentPatch, IncidentQuery, ListCounts};

use crate::http::extract::{ApiJson, ApiQuery};
use crate::http::identity::{ApiActor, ApiWriter};
use crate::http::openapi::errors;
use crate::http::{AppState, WireError};

/// One page of incidents, and how many match the other filters by status and severity.
#[derive(Serialize, ToSchema)]
pub struct IncidentList {
    total: i64,
    limit: i64,
    offset: i64,
    items: Vec<Incident>,
    counts: ListCounts,
}

/// List incidents
///
/// Filtered, sorted and paged; `status=open` means any active status.
#[utoipa::path(
    get, path = "/incidents", tag = "incidents", operation_id = "list_incidents",
    params(IncidentQuery),
    responses(
        (status = 200, description = "A page of incidents", body = IncidentList),
        (status = 401, response = errors::Unauthorized),
        (status = 422, response = errors::Invalid),
    ),
    security((), ("bearer" = []), ("session" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(query): ApiQuery<IncidentQuery>,
) -> Result<Json<IncidentList>, WireError> {
    let page = state.incidents.list(query, &actor).await?;
    Ok(Json(IncidentList {
        total: page.total,
        limit: page.limit,
        offset: page.offset,
        items: page.items,
        counts: page.counts,
    }))
}

/// Declare an incident
///
/// Only `title` and `severity` are required; a past incident can be
/// recorded with any status and its timestamps.
#[utoipa::path(
    post, path = "/incidents", tag = "incidents", operation_id = "create_incident",
    request_body = IncidentInput,
    responses(
        (status = 201, description = "The incident as stored", body = Incident),
        (status = 400, response = errors::BadRequest),
        (status = 401, response = errors::Unauthorized),
        (status = 403, response = errors::Forbidden),
        (status = 404, response = errors::NotFound),
        (status = 413, response = errors::PayloadTooLarge),
        (status = 422, response = errors::Invalid),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn create(
    State(state): State<AppState>,
    ApiWriter(actor): ApiWriter,
    ApiJson(input): ApiJson<IncidentInput>,
) -> Result<(StatusCode, Json<Incident>), WireError> {
    let incident = state.incidents.create(input, &actor).await?;
    Ok((StatusCode::CREATED, Json(incident)))
}

/// Read an incident
#[utoipa::path(
    get, path = "/incidents/{id}", tag = "incidents", operation_id = "get_incident",
    params(("id" = String, Path, description = "The incident's number or human id: `12` or `INC-12`")),
    responses(
        (status = 200, description = "The incident", body = Incident),
        (status = 401, response = errors::Unauthorized),
        (status = 404, response = errors::NotFound),
    ),
    security((), ("bearer" = []), ("session" = []))
)]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Incident>, WireError> {
    Ok(Json(state.incidents.incident(&id, &actor).await?))
}

/// Change an incident
///
/// Absent fields stay as they are; for nullable fields, `null` clears.
/// `version` is the version the client read: a stale one is refused with
/// 409. A status change sets its milestone unless given, and adds a
/// timeline entry (with `note`).
#[utoipa::path(
    patch, path = "/incidents/{id}", tag = "incidents", operation_id = "update_incident",
    params(("id" = String, Path, description = "The incident's number or human id: `12` or `INC-12`")),
    request_body = IncidentPatch,
    responses(
        (status = 200, description = "The incident as stored, with its new version", body = Incident),
        (status = 400, response = errors::BadRequest),
        (status = 401, response = errors::Unauthorized),
        (status = 403, response = errors::Forbidden),
        (status = 404, response = errors::NotFound),
        (status = 409, response = errors::Conflict),
        (status = 413, response = errors::PayloadTooLarge),
        (status = 422, response = errors::Invalid),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn update(
    State(state): State<AppState>,
    ApiWriter(actor): ApiWriter,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<IncidentPatch>,
) -> Result<Json<Incident>, WireError> {
    Ok(Json(state.incidents.update(&id, patch, &actor).await?))
}
