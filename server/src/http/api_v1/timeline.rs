use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use app::error::ApiError;
use app::model::{TimelineEdit, TimelineEntry, TimelineInput};

use crate::http::extract::ApiJson;
use crate::http::identity::{ApiActor, ApiWriter};
use crate::http::openapi::errors;
use crate::http::{AppState, WireError};

/// An incident's timeline, oldest entry first.
#[derive(Serialize, ToSchema)]
pub struct TimelineEntries {
    items: Vec<TimelineEntry>,
}

/// List an incident's timeline
#[utoipa::path(
    get, path = "/incidents/{id}/timeline", tag = "timeline", operation_id = "list_timeline",
    params(("id" = String, Path, description = "The incident's number or human id: `12` or `INC-12`")),
    responses(
        (status = 200, description = "The entries, oldest first", body = TimelineEntries),
        (status = 401, response = errors::Unauthorized),
        (status = 404, response = errors::NotFound),
    ),
    security((), ("bearer" = []), ("session" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<TimelineEntries>, WireError> {
    Ok(Json(TimelineEntries {
        items: state.incidents.timeline_of(&id, &actor).await?,
    }))
}

/// Add a timeline entry
///
/// `kind` is `note` (the default), `action_taken` or `alert`;
/// `occurred_at` defaults to now.
#[utoipa::path(
    post, path = "/incidents/{id}/timeline", tag = "timeline", operation_id = "add_timeline_entry",
    params(("id" = String, Path, description = "The incident's number or human id: `12` or `INC-12`")),
    request_body = TimelineInput,
    responses(
        (status = 201, description = "The entry as stored", body = TimelineEntry),
        (status = 400, response = errors::BadRequest),
        (status = 401, response = errors::Unauthorized),
        (status = 403, response = errors::Forbidden),
        (status = 404, response = errors::NotFound),
        (status = 413, response = errors::PayloadTooLarge),
        (status = 422, response = errors::Invalid),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn add(
    State(state): State<AppState>,
    ApiWriter(actor): ApiWriter,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TimelineInput>,
) -> Result<(StatusCode, Json<TimelineEntry>), WireError> {
    let entry = state.incidents.add_entry(&id, input, &actor).await?;
    Ok((StatusCode::CREATED, Json(entry)))
}

/// Edit a timeline entry
///
/// Absent fields stay as they are; `version` is the version the client read.
#[utoipa::path(
    patch, path = "/incidents/{id}/timeline/{entry_id}", tag = "timeline",
    operation_id = "edit_timeline_entry",
    params(
        ("id" = String, Path, description = "The incident's number or human id: `12` or `INC-12`"),
        ("entry_id" = i64, Path, description = "The entry's id"),
    ),
    request_body = TimelineEdit,
    responses(
        (status = 200, description = "The entry as stored, with its new version", body = TimelineEntry),
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
pub async fn edit(
    State(state): State<AppState>,
    ApiWriter(actor): ApiWriter,
    Path((id, entry_id)): Path<(String, String)>,
    ApiJson(edit): ApiJson<TimelineEdit>,
) -> Result<Json<TimelineEntry>, WireError> {
    let entry_id: i64 = entry_id.parse().map_err(|_| {
        WireError(ApiError::NotFound {
            what: format!(
                "timeline entry {}",
                entry_id.chars().take(20).collect::<String>()
            ),
        })
    })?;
    Ok(Json(
        state
            .incidents
            .edit_entry(&id, entry_id, edit, &actor)
            .await?,
    ))
}
