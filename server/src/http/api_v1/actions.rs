//! `/api/v1/actions` and `/api/v1/incidents/{id}/actions`: action items,
//! listed (as JSON or CSV), created, and changed with a version (409 when
//! stale; the response carries the new `version`).
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use app::error::ApiError;
use app::model::{ActionInput, ActionItem, ActionPatch, ActionQuery};

use crate::http::extract::{ApiJson, ApiQuery};
use crate::http::identity::{ApiActor, ApiWriter};
use crate::http::openapi::errors;
use crate::http::{AppState, WireError};
use crate::service::actions_csv;

/// Action items.
#[derive(Serialize, ToSchema)]
pub struct ActionItems {
    items: Vec<ActionItem>,
}

/// The board's filters, plus `format=json|csv`.
// No deny_unknown_fields: serde does not support it with flatten.
#[derive(Deserialize, Default)]
pub struct ListParams {
    #[serde(flatten)]
    query: ActionQuery,
    #[serde(default)]
    format: Option<String>,
}

fn action_id(text: &str) -> Result<i64, WireError> {
    text.parse().map_err(|_| {
        WireError(ApiError::NotFound {
            what: format!("action item {}", text.chars().take(20).collect::<String>()),
        })
    })
}

/// List action items
///
/// The board's filters across incidents, as JSON or (`format=csv`) as a
/// CSV attachment.
#[utoipa::path(
    get, path = "/actions", tag = "actions", operation_id = "list_actions",
    params(
        ActionQuery,
        ("format" = Option<String>, Query, description = "`json` (the default) or `csv`"),
    ),
    responses(
        (status = 200, description = "The matching items",
            content((ActionItems = "application/json"), (String = "text/csv"))),
        (status = 401, response = errors::Unauthorized),
        (status = 422, response = errors::Invalid),
    ),
    security((), ("bearer" = []), ("session" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Response, WireError> {
    let items = state.incidents.list_actions(params.query, &actor).await?;
    match params.format.as_deref() {
        None | Some("json") => Ok(Json(ActionItems { items }).into_response()),
        Some("csv") => Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"action-items.csv\"",
                ),
            ],
            actions_csv(&items),
        )
            .into_response()),
        Some(_) => Err(WireError(ApiError::invalid("format", "use json or csv"))),
    }
}

/// List an incident's action items
#[utoipa::path(
    get, path = "/incidents/{id}/actions", tag = "actions", operation_id = "list_incident_actions",
    params(("id" = String, Path, description = "The incident's number or human id: `12` or `INC-12`")),
    responses(
        (status = 200, description = "The incident's items", body = ActionItems),
        (status = 401, response = errors::Unauthorized),
        (status = 404, response = errors::NotFound),
    ),
    security((), ("bearer" = []), ("session" = []))
)]
pub async fn for_incident(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<ActionItems>, WireError> {
    let items = state.incidents.incident_actions(&id, &actor).await?;
    Ok(Json(ActionItems { items }))
}

/// Add an action item to an incident
///
/// Empty `due_on` takes the default for the incident's severity; `owner`
/// is a user's id or email, or empty. `section_key` puts it in a
/// postmortem section.
#[utoipa::path(
    post, path = "/incidents/{id}/actions", tag = "actions", operation_id = "create_action",
    params(("id" = String, Path, description = "The incident's number or human id: `12` or `INC-12`")),
    request_body = ActionInput,
    responses(
        (status = 201, description = "The item as stored", body = ActionItem),
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
    Path(id): Path<String>,
    ApiJson(mut input): ApiJson<ActionInput>,
) -> Result<(StatusCode, Json<ActionItem>), WireError> {
    input.incident = id;
    let item = state.incidents.create_action(input, &actor).await?;
    Ok((StatusCode::CREATED, Json(item)))
}

/// Read an action item
#[utoipa::path(
    get, path = "/actions/{id}", tag = "actions", operation_id = "get_action",
    params(("id" = i64, Path, description = "The action item's id")),
    responses(
        (status = 200, description = "The item with its status history", body = ActionItem),
        (status = 401, response = errors::Unauthorized),
        (status = 404, response = errors::NotFound),
    ),
    security((), ("bearer" = []), ("session" = []))
)]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<ActionItem>, WireError> {
    Ok(Json(state.incidents.action(action_id(&id)?, &actor).await?))
}

/// Change an action item
///
/// Absent fields stay as they are; an empty `owner`, `due_on` or
/// `tracker_url` clears it. `wont_do` needs a `reason`. A stale `version`
/// is refused with 409.
#[utoipa::path(
    patch, path = "/actions/{id}", tag = "actions", operation_id = "update_action",
    params(("id" = i64, Path, description = "The action item's id")),
    request_body = ActionPatch,
    responses(
        (status = 200, description = "The item as stored, with its new version", body = ActionItem),
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
    ApiJson(mut patch): ApiJson<ActionPatch>,
) -> Result<Json<ActionItem>, WireError> {
    patch.id = action_id(&id)?;
    Ok(Json(state.incidents.update_action(patch, &actor).await?))
}
