//! HTTP: the router that puts pages, server functions (under `/api/fn/`),
//! the REST API and static files together, with the request-wide layers.
mod api_v1;
mod extract;
mod layers;
mod server_fn_status;
mod wire_error;

use std::sync::OnceLock;

use axum::Router;
use axum::extract::FromRef;
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};

use app::port::SharedIncidentPort;

use crate::service::IncidentService;

pub use wire_error::WireError;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub service: IncidentService,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    fn port(&self) -> SharedIncidentPort {
        std::sync::Arc::new(self.service.clone())
    }
}

/// The page routes, generated once per process: they are static, and
/// generating them renders the app in a special mode that must not overlap
/// another request's render (several apps share a process in the tests).
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES
        .get_or_init(|| generate_route_list(app::app::App))
        .clone()
}

pub fn router(state: AppState) -> Router {
    let routes = page_routes();
    let port = state.port();
    let options = state.leptos_options.clone();
    // leptos_axum also mounts every server function at its own path, with
    // the same context as the pages.
    let pages = Router::new()
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(port.clone()),
            move || app::app::shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(
            app::app::shell,
        ));
    let app = Router::new()
        .nest("/api/v1", api_v1::routes())
        .merge(pages)
        .with_state(state);
    layers::apply(app)
}
