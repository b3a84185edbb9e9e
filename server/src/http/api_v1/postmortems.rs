//! `/api/v1/incidents/{id}/postmortem`: read, start, and save one section
//! at a time with its version (409 with both texts when stale), and follow
//! other people's saves as server-sent events.
use std::convert::Infallible;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use serde::{Deserialize, Serialize};
use tokio_stream::wrappers::{BroadcastStream, WatchStream};
use tokio_stream::{Stream, StreamExt};

use app::error::ApiError;
use app::model::{
    LiveEvent, Postmortem, PostmortemSection, SectionRevision, SectionSave, StartPostmortem,
};

use crate::http::extract::ApiJson;
use crate::http::identity::{ApiActor, ApiWriter};
use crate::http::{AppState, WireError};

pub async fn get(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Postmortem>, WireError> {
    let view = state.incidents.postmortem_view(&id, &actor).await?;
    let what = format!("the postmortem of {}", view.incident.human_id);
    view.postmortem
        .map(Json)
        .ok_or(WireError(ApiError::NotFound { what }))
}

#[derive(Deserialize, Default)]
pub struct Start {
    #[serde(default)]
    template: String,
}

pub async fn start(
    State(state): State<AppState>,
    ApiWriter(actor): ApiWriter,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Start>,
) -> Result<(StatusCode, Json<Postmortem>), WireError> {
    let input = StartPostmortem {
        incident: id,
        template: body.template,
    };
    let postmortem = state.incidents.start_postmortem(input, &actor).await?;
    Ok((StatusCode::CREATED, Json(postmortem)))
}

#[derive(Deserialize)]
pub struct Save {
    version: i64,
    body: String,
    #[serde(default)]
    append_timeline: bool,
}

pub async fn save_section(
    State(state): State<AppState>,
    ApiWriter(actor): ApiWriter,
    Path((id, key)): Path<(String, String)>,
    ApiJson(body): ApiJson<Save>,
) -> Result<Json<PostmortemSection>, WireError> {
    let save = SectionSave {
        incident: id,
        key,
        version: body.version,
        body: body.body,
        append_timeline: body.append_timeline.then(|| "on".into()),
    };
    Ok(Json(state.incidents.save_section(save, &actor).await?))
}

#[derive(Serialize)]
pub struct Revisions {
    items: Vec<SectionRevision>,
}

pub async fn revisions(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path((id, key)): Path<(String, String)>,
) -> Result<Json<Revisions>, WireError> {
    let history = state.incidents.section_history(&id, &key, &actor).await?;
    Ok(Json(Revisions {
        items: history.revisions,
    }))
}

/// Server-sent events while a postmortem is open: other people's saves and
/// who is writing which section. The first event is the current presence.
pub async fn events(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, WireError> {
    let incident_id = state.incidents.live_incident(&id, &actor).await?;
    let hub = state.incidents.live().clone();
    let now = LiveEvent::Presence {
        editors: hub.editors(incident_id),
    };
    let later = BroadcastStream::new(hub.subscribe()).filter_map(move |heard| match heard {
        Ok((incident, event)) if incident == incident_id => Some(event),
        // Another incident's news, or news dropped while this reader lagged
        // (a stale save is still refused, so nothing is lost).
        _ => None,
    });
    // The stream ends when the server stops, so shutdown never waits on it.
    let closing = WatchStream::new(hub.closing())
        .filter(|closing| *closing)
        .map(|_| None);
    let stream = tokio_stream::once(now)
        .chain(later)
        .map(Some)
        .merge(closing)
        .take_while(Option::is_some)
        .filter_map(|event| event)
        .map(|event| Ok(Event::default().json_data(event).unwrap_or_default()));
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// The postmortem as a Markdown file (`INC-12-postmortem.md`).
pub async fn markdown(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, WireError> {
    let (name, text) = state.incidents.postmortem_markdown(&id, &actor).await?;
    let disposition = format!("attachment; filename=\"{name}\"");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/markdown; charset=utf-8".to_string(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        text,
    ))
}
