use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;

use app::error::ApiError;
use app::model::{TimelineEdit, TimelineEntry, TimelineInput};

use crate::http::extract::ApiJson;
use crate::http::identity::{ApiActor, ApiWriter};
use crate::http::{AppState, WireError};

#[derive(Serialize)]
pub struct Entries {
    items: Vec<TimelineEntry>,
}

pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Entries>, WireError> {
    Ok(Json(Entries {
        items: state.incidents.timeline_of(&id, &actor).await?,
    }))
}

pub async fn add(
    State(state): State<AppState>,
    ApiWriter(actor): ApiWriter,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TimelineInput>,
) -> Result<(StatusCode, Json<TimelineEntry>), WireError> {
    let entry = state.incidents.add_entry(&id, input, &actor).await?;
    Ok((StatusCode::CREATED, Json(entry)))
}

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
