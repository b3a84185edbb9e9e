//! `/api/v1/actions` and `/api/v1/incidents/{id}/actions`: action items,
//! listed (as JSON or CSV), created, and changed with a version (409 when
//! stale; the response carries the new `version`).
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use app::error::ApiError;
use app::model::{ActionInput, ActionItem, ActionPatch, ActionQuery};

use crate::http::extract::{ApiJson, ApiQuery};
use crate::http::identity::{ApiActor, ApiWriter};
use crate::http::{AppState, WireError};
use crate::service::actions_csv;

#[derive(Serialize)]
pub struct Items {
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

/// `GET /api/v1/actions?status=&owner=&overdue=true&format=csv`.
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Response, WireError> {
    let items = state.incidents.list_actions(params.query, &actor).await?;
    match params.format.as_deref() {
        None | Some("json") => Ok(Json(Items { items }).into_response()),
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

pub async fn for_incident(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Items>, WireError> {
    let items = state.incidents.incident_actions(&id, &actor).await?;
    Ok(Json(Items { items }))
}

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

pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<ActionItem>, WireError> {
    Ok(Json(state.incidents.action(action_id(&id)?, &actor).await?))
}

pub async fn update(
    State(state): State<AppState>,
    ApiWriter(actor): ApiWriter,
    Path(id): Path<String>,
    ApiJson(mut patch): ApiJson<ActionPatch>,
) -> Result<Json<ActionItem>, WireError> {
    patch.id = action_id(&id)?;
    Ok(Json(state.incidents.update_action(patch, &actor).await?))
}
