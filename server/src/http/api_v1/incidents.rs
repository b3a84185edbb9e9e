use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;

use app::model::{Incident, IncidentInput, IncidentPatch, IncidentQuery, ListCounts};

use crate::http::extract::{ApiJson, ApiQuery};
use crate::http::identity::{ApiActor, ApiWriter};
use crate::http::{AppState, WireError};

#[derive(Serialize)]
pub struct IncidentList {
    total: i64,
    limit: i64,
    offset: i64,
    items: Vec<Incident>,
    counts: ListCounts,
}

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

pub async fn create(
    State(state): State<AppState>,
    ApiWriter(actor): ApiWriter,
    ApiJson(input): ApiJson<IncidentInput>,
) -> Result<(StatusCode, Json<Incident>), WireError> {
    let incident = state.incidents.create(input, &actor).await?;
    Ok((StatusCode::CREATED, Json(incident)))
}

pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Incident>, WireError> {
    Ok(Json(state.incidents.incident(&id, &actor).await?))
}

pub async fn update(
    State(state): State<AppState>,
    ApiWriter(actor): ApiWriter,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<IncidentPatch>,
) -> Result<Json<Incident>, WireError> {
    Ok(Json(state.incidents.update(&id, patch, &actor).await?))
}
