//! Request counts and latency by route. The route is axum's matched path
//! template (`/api/v1/incidents/{id}`), never the raw path, so the number
//! of series stays bounded whatever clients ask for.
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;

use super::Metrics;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub method: String,
    pub route: String,
}

/// The label for a request's route: its template, the static assets as
/// one route, and everything else (unknown paths) as `unmatched`.
fn route_of(request: &Request) -> String {
    if let Some(path) = request.extensions().get::<MatchedPath>() {
        return path.as_str().to_string();
    }
    if request.uri().path().starts_with("/pkg/") {
        "/pkg/*".into()
    } else {
        "unmatched".into()
    }
}

fn method_of(request: &Request) -> String {
    let method = request.method().as_str();
    // Only the methods the app routes; anything else is one label.
    match method {
        "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS" => method.into(),
        _ => "OTHER".into(),
    }
}

pub async fn track_requests(
    State(metrics): State<Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let route = route_of(&request);
    let method = method_of(&request);
    let started = Instant::now();
    let response = next.run(request).await;
    let took = started.elapsed().as_secs_f64();
    metrics
        .http_seconds
        .get_or_create(&RouteLabels {
            method: method.clone(),
            route: route.clone(),
        })
        .observe(took);
    metrics
        .http_requests
        .get_or_create(&RequestLabels {
            method,
            route,
            status: response.status().as_u16(),
        })
        .inc();
    response
}
