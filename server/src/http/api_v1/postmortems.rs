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
use utoipa::ToSchema;

use app::error::ApiError;
use app::model::{
    LiveEvent, Postmortem, PostmortemSection, SectionRevision, SectionSave, StartPostmortem,
};

use crate::http::extract::ApiJson;
use crate::http::identity::{ApiActor, ApiWriter};
use crate::http::openapi::errors;
use crate::http::{AppState, WireError};

/// Read an incident's postmortem
#[utoipa::path(
    get, path = "/incidents/{id}/postmortem", tag = "postmortems", operation_id = "get_postmortem",
    params(("id" = String, Path, description = "The incident's number or human id: `12` or `INC-12`")),
    responses(
        (status = 200, description = "The postmortem with its sections, checklist and review threads", body = Postmortem),
        (status = 401, response = errors::Unauthorized),
        (status = 404, response = errors::NotFound),
    ),
    security((), ("bearer" = []), ("session" = []))
)]
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

/// Which template to start from.
#[derive(Deserialize, Default, ToSchema)]
pub struct PostmortemStart {
    /// A template's name; empty or absent: the default for the incident's severity.
    #[serde(default)]
    template: String,
}

/// Start an incident's postmortem
///
/// Starting one that exists returns it as it is.
#[utoipa::path(
    post, path = "/incidents/{id}/postmortem", tag = "postmortems", operation_id = "start_postmortem",
    params(("id" = String, Path, description = "The incident's number or human id: `12` or `INC-12`")),
    request_body = PostmortemStart,
    responses(
        (status = 201, description = "The new postmortem, its sections from the template", body = Postmortem),
        (status = 400, response = errors::BadRequest),
        (status = 401, response = errors::Unauthorized),
        (status = 403, response = errors::Forbidden),
        (status = 404, response = errors::NotFound),
        (status = 413, response = errors::PayloadTooLarge),
        (status = 422, response = errors::Invalid),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn start(
    State(state): State<AppState>,
    ApiWriter(actor): ApiWriter,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PostmortemStart>,
) -> Result<(StatusCode, Json<Postmortem>), WireError> {
    let input = StartPostmortem {
        incident: id,
        template: body.template,
    };
    let postmortem = state.incidents.start_postmortem(input, &actor).await?;
    Ok((StatusCode::CREATED, Json(postmortem)))
}

/// A section's new text, written against the section version it read.
#[derive(Deserialize, ToSchema)]
pub struct SectionText {
    version: i64,
    /// Markdown.
    body: String,
    /// Append the incident timeline as a markdown table.
    #[serde(default)]
    append_timeline: bool,
}

/// Save one section
///
/// A stale `version` is refused with 409 carrying both texts (`current`
/// and `yours` of the field `body`); saves to other sections never conflict.
/// A published postmortem is read-only until it is reopened.
#[utoipa::path(
    put, path = "/incidents/{id}/postmortem/sections/{key}", tag = "postmortems",
    operation_id = "save_postmortem_section",
    params(("id" = String, Path, description = "The incident's number or human id: `12` or `INC-12`"), ("key" = String, Path, description = "The section's key: `what_happened`")),
    request_body = SectionText,
    responses(
        (status = 200, description = "The section as stored, with its new version", body = PostmortemSection),
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
pub async fn save_section(
    State(state): State<AppState>,
    ApiWriter(actor): ApiWriter,
    Path((id, key)): Path<(String, String)>,
    ApiJson(body): ApiJson<SectionText>,
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

/// A section's saved states, newest first.
#[derive(Serialize, ToSchema)]
pub struct SectionRevisions {
    items: Vec<SectionRevision>,
}

/// A section's revisions
///
/// Every saved state of the section, newest first, each with the line
/// diff from the one before.
#[utoipa::path(
    get, path = "/incidents/{id}/postmortem/sections/{key}/revisions", tag = "postmortems",
    operation_id = "list_section_revisions",
    params(("id" = String, Path, description = "The incident's number or human id: `12` or `INC-12`"), ("key" = String, Path, description = "The section's key: `what_happened`")),
    responses(
        (status = 200, description = "The revisions, newest first", body = SectionRevisions),
        (status = 401, response = errors::Unauthorized),
        (status = 404, response = errors::NotFound),
    ),
    security((), ("bearer" = []), ("session" = []))
)]
pub async fn revisions(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path((id, key)): Path<(String, String)>,
) -> Result<Json<SectionRevisions>, WireError> {
    let history = state.incidents.section_history(&id, &key, &actor).await?;
    Ok(Json(SectionRevisions {
        items: history.revisions,
    }))
}

/// Follow a postmortem live
///
/// Server-sent events while a postmortem is open: other people's saves and
/// who is writing which section. Each event's `data` is one `LiveEvent` as
/// JSON; the first is the current presence.
#[utoipa::path(
    get, path = "/incidents/{id}/postmortem/events", tag = "postmortems",
    operation_id = "postmortem_events",
    params(("id" = String, Path, description = "The incident's number or human id: `12` or `INC-12`")),
    responses(
        (status = 200, description = "A stream of events, each `data:` a `LiveEvent`",
            content_type = "text/event-stream", body = LiveEvent),
        (status = 401, response = errors::Unauthorized),
        (status = 404, response = errors::NotFound),
    ),
    security((), ("bearer" = []), ("session" = []))
)]
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

/// Download a postmortem as Markdown
///
/// An attachment named like `INC-12-postmortem.md`.
#[utoipa::path(
    get, path = "/incidents/{id}/postmortem/markdown", tag = "postmortems",
    operation_id = "postmortem_markdown",
    params(("id" = String, Path, description = "The incident's number or human id: `12` or `INC-12`")),
    responses(
        (status = 200, description = "The postmortem as a Markdown document",
            content_type = "text/markdown", body = String),
        (status = 401, response = errors::Unauthorized),
        (status = 404, response = errors::NotFound),
    ),
    security((), ("bearer" = []), ("session" = []))
)]
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
