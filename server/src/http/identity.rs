//! Who is asking: resolved once per request, before any handler runs, from
//! `Authorization: Bearer <token>` or the session cookie. The [`Caller`] goes
//! into the request's extensions; REST handlers extract it and server
//! functions find it in their context. Authorization itself is the service
//! layer's job.
use axum::extract::{FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::model::Caller;
use app::port::{Actor, Channel};

use super::{AppState, WireError};

/// The token of an `Authorization: Bearer <token>` header, if there is one.
/// Every route that takes a bearer secret (API tokens, the metrics token,
/// an integration's token) reads it here.
pub(super) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

pub async fn resolve_caller(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    // Hashed-name static assets are the same for everyone; health and
    // metrics answer for the instance, not for a person.
    let path = request.uri().path();
    if path.starts_with("/pkg/") || super::ops_routes::OPS_PATHS.contains(&path) {
        return next.run(request).await;
    }
    // Inbound webhooks authenticate by their integration's own secret.
    if request
        .uri()
        .path()
        .starts_with(super::api_v1::WEBHOOK_PREFIX)
    {
        return next.run(request).await;
    }
    let caller = if let Some(token) = bearer(request.headers()).map(str::to_owned) {
        match state.accounts.token_user(&token).await {
            Ok(user) => Caller::User(user),
            Err(e) => return WireError::from(e).into_response(),
        }
    } else if let Some(secret) = state.cookies.read(request.headers()) {
        match state.accounts.session_user(&secret).await {
            Ok(Some(user)) => Caller::User(user),
            Ok(None) => Caller::Anonymous,
            Err(e) => return WireError::from(e).into_response(),
        }
    } else {
        Caller::Anonymous
    };
    request.extensions_mut().insert(caller);
    next.run(request).await
}

/// The REST API's actor: the resolved caller, through the API's door.
pub struct ApiActor(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for ApiActor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let caller = parts
            .extensions
            .get::<Caller>()
            .cloned()
            .unwrap_or_default();
        Ok(Self(Actor::new(caller, Channel::Api)))
    }
}

/// An actor for a write: anonymous requests are refused with 401 before
/// the body is read. (The role is checked by the service.)
pub struct ApiWriter(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for ApiWriter {
    type Rejection = WireError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ApiActor(actor) = ApiActor::from_request_parts(parts, state)
            .await
            .unwrap_or_else(|never| match never {});
        match actor.caller {
            Caller::Anonymous => Err(WireError(app::error::ApiError::unauthorized(
                "sign in required: send a session cookie or Authorization: Bearer <token>",
            ))),
            _ => Ok(Self(actor)),
        }
    }
}

/// The client's address, when the server knows it (for rate limits).
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let info = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
        Ok(Self(info.map(|c| c.0.ip())))
    }
}
