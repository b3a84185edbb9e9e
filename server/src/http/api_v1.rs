//! REST API v1 (JSON). `{id}` is the number or the human id (`12` or `INC-12`).
mod actions;
mod audit;
mod incidents;
mod insights;
mod postmortems;
mod search;
mod timeline;
mod webhooks;

use axum::Router;
use axum::routing::{get, patch, post, put};

use super::{AppState, WireError};
use app::error::ApiError;

pub use webhooks::WEBHOOK_PREFIX;

async fn unknown_route() -> WireError {
    WireError(ApiError::NotFound {
        what: "API route".into(),
    })
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/incidents", get(incidents::list).post(incidents::create))
        .route(
            "/incidents/{id}",
            get(incidents::show).patch(incidents::update),
        )
        .route(
            "/incidents/{id}/timeline",
            get(timeline::list).post(timeline::add),
        )
        .route("/incidents/{id}/timeline/{entry_id}", patch(timeline::edit))
        .route("/login", post(super::session_routes::api_login))
        .route("/logout", post(super::session_routes::api_logout))
        .route("/me", get(super::session_routes::api_me))
        .route("/audit", get(audit::list))
        .route("/search", get(search::search))
        .route("/incidents/{id}/similar", get(search::similar))
        .route(
            "/incidents/{id}/postmortem",
            get(postmortems::get).post(postmortems::start),
        )
        .route(
            "/incidents/{id}/postmortem/sections/{key}",
            put(postmortems::save_section),
        )
        .route(
            "/incidents/{id}/postmortem/sections/{key}/revisions",
            get(postmortems::revisions),
        )
        .route(
            "/incidents/{id}/postmortem/events",
            get(postmortems::events),
        )
        .route(
            "/incidents/{id}/postmortem/markdown",
            get(postmortems::markdown),
        )
        .route(
            "/incidents/{id}/actions",
            get(actions::for_incident).post(actions::create),
        )
        .route("/actions", get(actions::list))
        .route("/actions/{id}", get(actions::show).patch(actions::update))
        .route("/insights", get(insights::insights))
        .route("/insights/csv", get(insights::csv))
        .route("/digest", get(insights::digest))
        .route("/webhooks/alertmanager", post(webhooks::alertmanager))
        .route("/webhooks/pagerduty", post(webhooks::pagerduty))
        .fallback(unknown_route)
}
