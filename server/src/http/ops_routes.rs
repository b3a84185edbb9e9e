//! For operators and their tools, not people: `/livez` (the process is
//! up), `/readyz` (the database answers and the search index is close
//! behind) and `/metrics` (Prometheus). None of them needs a session; the
//! identity middleware lets them through untouched. `/metrics` is served
//! on the main address only behind `--metrics-token`, and on
//! `--metrics-addr` to anyone who can reach that address.
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use subtle::ConstantTimeEq;

use crate::metrics::Metrics;
use crate::service::IncidentService;

/// The paths below, which skip sign-in and identity.
pub const OPS_PATHS: [&str; 3] = ["/livez", "/readyz", "/metrics"];

const PROMETHEUS_TEXT: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// What the operations routes need.
#[derive(Clone)]
pub struct OpsState {
    pub incidents: IncidentService,
    pub metrics: Arc<Metrics>,
    /// `None`: `/metrics` is not served on the main address.
    pub metrics_token: Option<Arc<str>>,
}

async fn livez() -> &'static str {
    "ok\n"
}

async fn readyz(State(ops): State<OpsState>) -> Response {
    let readiness = ops.incidents.readiness().await;
    let status = if readiness.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(readiness)).into_response()
}

async fn exposition(ops: &OpsState) -> Response {
    match ops.incidents.operations_snapshot().await {
        Ok(snapshot) => {
            let body = ops.metrics.render(&snapshot);
            let mut response = body.into_response();
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static(PROMETHEUS_TEXT));
            response
        }
        Err(e) => {
            tracing::warn!(error = %e, "metrics: reading the figures failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "metrics unavailable: the database did not answer\n",
            )
                .into_response()
        }
    }
}

fn token_matches(headers: &HeaderMap, expected: &str) -> bool {
    let Some(given) = super::identity::bearer(headers) else {
        return false;
    };
    given.as_bytes().ct_eq(expected.as_bytes()).into()
}

/// `/metrics` on the main address: only with the configured token.
async fn guarded_metrics(State(ops): State<OpsState>, headers: HeaderMap) -> Response {
    match ops.metrics_token.as_deref() {
        None => (
            StatusCode::NOT_FOUND,
            "metrics are not served here: start firebreak with --metrics-addr or --metrics-token\n",
        )
            .into_response(),
        Some(token) if token_matches(&headers, token) => exposition(&ops).await,
        Some(_) => (
            StatusCode::UNAUTHORIZED,
            [("www-authenticate", "Bearer")],
            "metrics need Authorization: Bearer <the metrics token>\n",
        )
            .into_response(),
    }
}

async fn open_metrics(State(ops): State<OpsState>) -> Response {
    exposition(&ops).await
}

/// The routes on the main address.
pub fn routes<S: Clone + Send + Sync + 'static>(ops: OpsState) -> Router<S> {
    Router::new()
        .route("/livez", get(livez))
        .route("/readyz", get(readyz))
        .route("/metrics", get(guarded_metrics))
        .with_state(ops)
}

/// The whole router of the separate `--metrics-addr` listener.
pub fn metrics_listener_routes(ops: OpsState) -> Router {
    Router::new()
        .route("/livez", get(livez))
        .route("/readyz", get(readyz))
        .route("/metrics", get(open_metrics))
        .with_state(ops)
}
