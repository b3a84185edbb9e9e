//! The OpenAPI 3 description of `/api/v1`, served at `/api/openapi.json`.
//!
//! Paths come from the handlers' `#[utoipa::path]` annotations, through the
//! same `api_v1::documented_routes()` that routes them, so every route is
//! described. This file adds what is not per handler: the title, the tags,
//! the security schemes and the shared error responses.
pub mod errors;
mod security;

use std::sync::OnceLock;

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use app::error::{ApiError, FieldChange, FieldError};

use security::SecuritySchemes;

/// Where the API is mounted; handlers' paths are relative to it.
pub const API_PREFIX: &str = "/api/v1";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Firebreak",
        description = "The REST API of Firebreak, an incident registry and blameless-postmortem \
            tool. `{id}` is an incident's number or human id (`12` or `INC-12`). Every error \
            answers with one JSON shape, `ApiError`, whose `error` names the kind; `invalid` \
            lists each bad field by name. Every editable record carries a `version`: a save \
            names the version it read, and a stale one is refused with 409 and the fields \
            that differ. Reads need no credentials when an admin has turned anonymous \
            reading on; writes always do."
    ),
    modifiers(&SecuritySchemes),
    components(
        schemas(ApiError, FieldError, FieldChange),
        responses(
            errors::BadRequest,
            errors::Unauthorized,
            errors::Forbidden,
            errors::NotFound,
            errors::Conflict,
            errors::PayloadTooLarge,
            errors::Invalid,
            errors::TooManyRequests,
        )
    ),
    tags(
        (name = "incidents", description = "Declare, list, read and change incidents."),
        (name = "timeline", description = "An incident's timeline entries."),
        (name = "postmortems", description = "One postmortem per incident, saved section by section."),
        (name = "actions", description = "Action items: the follow-up work, tracked to completion."),
        (name = "search", description = "Full-text search and similar past incidents."),
        (name = "insights", description = "Durations, rankings and the weekly digest."),
        (name = "audit", description = "The append-only audit log."),
        (name = "session", description = "Signing in and out, and who you are."),
        (name = "webhooks", description = "Inbound alerts: Alertmanager and PagerDuty open and update incidents."),
    )
)]
struct ApiDoc;

/// The whole document: the shared parts, and every handler under `/api/v1`.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, document) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest(API_PREFIX, super::api_v1::documented_routes())
        .split_for_parts();
    document
}

/// The document as JSON, built once per process.
pub fn document_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        document().to_pretty_json().unwrap_or_else(|e| {
            tracing::error!("the OpenAPI document did not serialize: {e}");
            "{}".to_string()
        })
    })
}

/// `GET /api/openapi.json`: public, since it describes the API, not its data.
pub async fn json() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        document_json(),
    )
}
