//! HTTP: the router that puts pages, server functions (under `/api/fn/`),
//! the REST API and static files together, with the request-wide layers.
mod api_v1;
mod extract;
mod layers;
mod server_fn_status;
mod wire_error;

use axum::Router;
use axum::extract::FromRef;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};

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

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(app::app::App);
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
