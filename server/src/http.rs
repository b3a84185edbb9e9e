//! HTTP: the router that puts pages, server functions (under `/api/fn/`),
//! the REST API, the session routes and static files together, with the
//! request-wide layers.
mod api_docs;
mod api_v1;
mod content_security;
mod extract;
mod identity;
mod layers;
mod openapi;
mod ops_routes;
mod page_access;
mod same_origin;
mod server_fn_status;
mod session_cookie;
mod session_routes;
mod wire_error;

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::extract::FromRef;
use axum::http::request::Parts;
use axum::routing::{get, post};
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};

use app::model::Caller;
use app::port::{
    SecureCookies, SharedAccountPort, SharedActionPort, SharedIncidentPort, SharedInsightPort,
    SharedIntegrationPort, SharedPostmortemPort, SharedWebhookPort,
};

use crate::metrics::Metrics;
use crate::service::{AccountService, IncidentService};

pub use ops_routes::{OpsState, metrics_listener_routes};
pub use session_cookie::CookiePolicy;
pub use wire_error::WireError;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub incidents: IncidentService,
    pub accounts: AccountService,
    pub cookies: CookiePolicy,
    /// The configured public origin, for the same-origin check.
    pub public_origin: Option<String>,
    pub metrics: Arc<Metrics>,
    /// The token `/metrics` on the main address asks for; `None`: not served there.
    pub metrics_token: Option<Arc<str>>,
}

impl AppState {
    pub fn ops(&self) -> OpsState {
        OpsState {
            incidents: self.incidents.clone(),
            metrics: self.metrics.clone(),
            metrics_token: self.metrics_token.clone(),
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
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

/// What every page render and server function finds in its context: the
/// ports, the caller (resolved by `identity`), and the cookie policy.
fn request_context(state: &AppState) -> impl Fn() + Clone + Send + 'static {
    let incidents: SharedIncidentPort = Arc::new(state.incidents.clone());
    let accounts: SharedAccountPort = Arc::new(state.accounts.clone());
    let postmortems: SharedPostmortemPort = Arc::new(state.incidents.clone());
    let actions: SharedActionPort = Arc::new(state.incidents.clone());
    let insights: SharedInsightPort = Arc::new(state.incidents.clone());
    let integrations: SharedIntegrationPort = Arc::new(state.incidents.clone());
    let webhooks: SharedWebhookPort = Arc::new(state.incidents.clone());
    let secure = SecureCookies(state.cookies.secure);
    move || {
        provide_context(incidents.clone());
        provide_context(accounts.clone());
        provide_context(postmortems.clone());
        provide_context(actions.clone());
        provide_context(insights.clone());
        provide_context(integrations.clone());
        provide_context(webhooks.clone());
        provide_context(secure);
        let caller = use_context::<Parts>()
            .and_then(|parts| parts.extensions.get::<Caller>().cloned())
            .unwrap_or_default();
        provide_context(caller);
        content_security::set_page_policy();
    }
}

fn session_routes() -> Router<AppState> {
    Router::new()
        .route("/login", post(session_routes::login_form))
        .route("/logout", post(session_routes::logout_form))
        .route("/profile/password", post(session_routes::password_form))
        .route("/invite/{secret}", post(session_routes::accept_invite_form))
}

pub fn router(state: AppState) -> Router {
    let routes = page_routes();
    let context = request_context(&state);
    let options = state.leptos_options.clone();
    // leptos_axum also mounts every server function at its own path, with
    // the same context as the pages.
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            app::app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, app::app::shell));
    let app = Router::new()
        .merge(ops_routes::routes(state.ops()))
        .merge(session_routes())
        .nest("/api/v1", api_v1::routes())
        .route("/api/openapi.json", get(openapi::json))
        .route("/api/docs", get(api_docs::page))
        .merge(pages)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            page_access::require_sign_in_for_pages,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            identity::resolve_caller,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.metrics.clone(),
            crate::metrics::track_requests,
        ))
        .with_state(state.clone());
    layers::apply(app, state.public_origin)
}
