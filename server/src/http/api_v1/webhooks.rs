//! Inbound webhooks: `POST /api/v1/webhooks/alertmanager` (a bearer token)
//! and `POST /api/v1/webhooks/pagerduty` (an HMAC signature over the raw
//! body). They authenticate by their integration's secret, not by a session
//! or an API token, so `identity` leaves them alone; the sender posts no
//! `Origin`, so the same-origin check lets them through.
use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::HeaderMap;

use app::error::ApiError;

use crate::http::extract::parse_json;
use crate::http::identity::bearer;
use crate::http::openapi::errors;
use crate::http::{AppState, WireError};
use crate::service::{AlertmanagerPayload, PagerDutyPayload, WebhookOutcome};

/// The path prefix `identity` skips.
pub const WEBHOOK_PREFIX: &str = "/api/v1/webhooks/";

/// The raw body (the signature covers its exact bytes), within the body limit.
pub struct RawBody(Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = WireError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        Bytes::from_request(request, state)
            .await
            .map(RawBody)
            .map_err(|_| WireError(ApiError::PayloadTooLarge))
    }
}

#[utoipa::path(
    post, path = "/webhooks/alertmanager", tag = "webhooks", operation_id = "alertmanager_webhook",
    request_body(content = serde_json::Value, content_type = "application/json",
        description = "Alertmanager's webhook payload, version 4 (`groupKey`, `status`, `alerts[]` with `fingerprint`, `labels`, `annotations`, `startsAt`)"),
    responses(
        (status = 200, description = "What the delivery did: `created`, `updated`, `duplicate` (a replay, nothing changed) or `ignored`", body = WebhookOutcome),
        (status = 400, response = errors::BadRequest),
        (status = 401, response = errors::Unauthorized),
        (status = 403, response = errors::Forbidden),
        (status = 413, response = errors::PayloadTooLarge),
        (status = 422, response = errors::Invalid),
    ),
    security(("bearer" = []))
)]
/// Authenticated by the integration's own bearer token (Admin → Integrations), not an API token.
pub async fn alertmanager(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<Json<WebhookOutcome>, WireError> {
    let integration = state
        .incidents
        .authenticate_alertmanager(bearer(&headers))
        .await?;
    let payload: AlertmanagerPayload = parse_json(&body)?;
    Ok(Json(
        state
            .incidents
            .receive_alertmanager(&integration, payload)
            .await?,
    ))
}

#[utoipa::path(
    post, path = "/webhooks/pagerduty", tag = "webhooks", operation_id = "pagerduty_webhook",
    params(("X-PagerDuty-Signature" = String, Header,
        description = "`v1=<hex HMAC-SHA256 of the raw body>`, several comma-separated while a secret is rotated")),
    request_body(content = serde_json::Value, content_type = "application/json",
        description = "A PagerDuty Webhooks v3 event: `{event: {id, event_type, occurred_at, data}}`; older than 5 minutes is refused"),
    responses(
        (status = 200, description = "What the delivery did: `created`, `updated`, `duplicate` (a replay, nothing changed) or `ignored`", body = WebhookOutcome),
        (status = 400, response = errors::BadRequest),
        (status = 401, response = errors::Unauthorized),
        (status = 403, response = errors::Forbidden),
        (status = 413, response = errors::PayloadTooLarge),
        (status = 422, response = errors::Invalid),
    ),
    security(())
)]
/// Authenticated by the signature, with the secret an admin pasted from PagerDuty.
pub async fn pagerduty(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<Json<WebhookOutcome>, WireError> {
    let signature = headers
        .get("x-pagerduty-signature")
        .and_then(|v| v.to_str().ok());
    let integration = state
        .incidents
        .authenticate_pagerduty(signature, &body)
        .await?;
    let payload: PagerDutyPayload = parse_json(&body)?;
    Ok(Json(
        state
            .incidents
            .receive_pagerduty(&integration, payload)
            .await?,
    ))
}
