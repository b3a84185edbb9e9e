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
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::session_routes as session;
use super::{AppState, WireError};
use app::error::ApiError;

pub use webhooks::WEBHOOK_PREFIX;

async fn unknown_route() -> WireError {
    WireError(ApiError::NotFound {
        what: "API route".into(),
    })
}

/// Every route with its OpenAPI description. `routes!` routes each handler
/// at the path and methods of its `#[utoipa::path]`, so the router and the
/// document (`http/openapi.rs`) cannot disagree. Add a handler here, one
/// `routes!` per path; never with a bare `.route(…)`, which would leave it
/// undocumented (the `openapi` integration test refuses that).
pub fn documented_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(incidents::list, incidents::create))
        .routes(routes!(incidents::show, incidents::update))
        .routes(routes!(timeline::list, timeline::add))
        .routes(routes!(timeline::edit))
        .routes(routes!(session::api_login))
        .routes(routes!(session::api_logout))
        .routes(routes!(session::api_me))
        .routes(routes!(audit::list))
        .routes(routes!(search::search))
        .routes(routes!(search::similar))
        .routes(routes!(postmortems::get, postmortems::start))
        .routes(routes!(postmortems::save_section))
        .routes(routes!(postmortems::revisions))
        .routes(routes!(postmortems::events))
        .routes(routes!(postmortems::markdown))
        .routes(routes!(actions::for_incident, actions::create))
        .routes(routes!(actions::list))
        .routes(routes!(actions::show, actions::update))
        .routes(routes!(insights::insights))
        .routes(routes!(insights::csv))
        .routes(routes!(insights::digest))
        .routes(routes!(webhooks::alertmanager))
        .routes(routes!(webhooks::pagerduty))
}

pub fn routes() -> Router<AppState> {
    let (router, _) = documented_routes().split_for_parts();
    router.fallback(unknown_route)
}
