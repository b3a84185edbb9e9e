//! Routes that set or clear the session cookie: the sign-in, sign-out,
//! password and invitation forms (plain posts, so they work without
//! JavaScript, answered with 303 redirects), and the JSON sign-in for
//! scripts. Everything else about accounts goes through server functions.
use axum::extract::{Path, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::Deserialize;

use app::model::{Credentials, CurrentUser, PasswordChange};
use app::port::{Actor, Channel};

use super::extract::ApiJson;
use super::identity::{ApiActor, ClientAddr};
use super::openapi::errors;
use super::{AppState, WireError};
use crate::service::ServiceError;

/// Only same-site paths: never `//evil.example` or an absolute URL.
fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n,
        _ => "/",
    }
}

fn see_other(location: &str, cookie: Option<HeaderValue>) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    if let Some(cookie) = cookie {
        response.headers_mut().insert(SET_COOKIE, cookie);
    }
    response
}

fn query_value(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// A short code the sign-in and profile pages turn into a message.
fn error_code(e: &ServiceError) -> &'static str {
    match e {
        ServiceError::TooManyRequests(_) => "rate",
        ServiceError::Invalid(fields) if fields.iter().any(|f| f.field == "current_password") => {
            "current_password"
        }
        ServiceError::Invalid(_) => "new_password",
        ServiceError::NotFound(_) => "invitation",
        ServiceError::Unauthorized(_) => "credentials",
        _ => "internal",
    }
}

/// Ends the session the request came with, if any (rotation at sign-in).
async fn end_current_session(state: &AppState, headers: &HeaderMap) {
    if let Some(old) = state.cookies.read(headers)
        && let Err(e) = state.accounts.logout(&old).await
    {
        tracing::warn!(error = %e, "ending the previous session");
    }
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

pub async fn login_form(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = safe_next(form.next.as_deref()).to_string();
    let credentials = Credentials {
        email: form.email,
        password: form.password,
    };
    match state.accounts.login(credentials, address).await {
        Ok((_, secret)) => {
            end_current_session(&state, &headers).await;
            see_other(&next, Some(state.cookies.set(&secret)))
        }
        Err(e) => {
            let code = error_code(&e);
            see_other(
                &format!("/login?error={code}&next={}", query_value(&next)),
                None,
            )
        }
    }
}

pub async fn logout_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    end_current_session(&state, &headers).await;
    see_other("/login?signed_out=1", Some(state.cookies.clear()))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

pub async fn password_form(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Form(form): Form<PasswordForm>,
) -> Response {
    if form.new_password != form.confirm_password {
        return see_other("/profile?error=mismatch", None);
    }
    let actor = Actor::new(actor.caller, Channel::Browser);
    let change = PasswordChange {
        current_password: form.current_password,
        new_password: form.new_password,
    };
    match state.accounts.change_password(&actor, change).await {
        Ok(secret) => see_other("/profile?saved=password", Some(state.cookies.set(&secret))),
        Err(ServiceError::Unauthorized(_)) => see_other("/login?next=/profile", None),
        Err(e) => see_other(&format!("/profile?error={}", error_code(&e)), None),
    }
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm_password: String,
}

pub async fn accept_invite_form(
    State(state): State<AppState>,
    Path(secret): Path<String>,
    Form(form): Form<InviteForm>,
) -> Response {
    let back = |code: &str| {
        see_other(
            &format!("/invite/{}?error={code}", query_value(&secret)),
            None,
        )
    };
    if form.password != form.confirm_password {
        return back("mismatch");
    }
    match state
        .accounts
        .accept_invitation(&secret, form.password)
        .await
    {
        Ok(session) => see_other("/", Some(state.cookies.set(&session))),
        Err(e) => back(error_code(&e)),
    }
}

/// Sign in
///
/// Answers with the user and sets the session cookie. Attempts are limited
/// per account and per address.
#[utoipa::path(
    post, path = "/login", tag = "session", operation_id = "login",
    request_body = Credentials,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = CurrentUser,
            headers(("Set-Cookie" = String, description = "The session cookie"))),
        (status = 400, response = errors::BadRequest),
        (status = 401, response = errors::Unauthorized),
        (status = 403, response = errors::Forbidden),
        (status = 413, response = errors::PayloadTooLarge),
        (status = 422, response = errors::Invalid),
        (status = 429, response = errors::TooManyRequests),
    ),
    security(())
)]
pub async fn api_login(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    headers: HeaderMap,
    ApiJson(credentials): ApiJson<Credentials>,
) -> Result<Response, WireError> {
    let (user, secret) = state.accounts.login(credentials, address).await?;
    end_current_session(&state, &headers).await;
    let mut response = Json(user).into_response();
    response
        .headers_mut()
        .insert(SET_COOKIE, state.cookies.set(&secret));
    Ok(response)
}

/// Sign out
///
/// Ends the current session, if any, and clears the cookie.
#[utoipa::path(
    post, path = "/logout", tag = "session", operation_id = "logout",
    responses(
        (status = 204, description = "Signed out; the cookie is cleared",
            headers(("Set-Cookie" = String, description = "The cleared session cookie"))),
        (status = 403, response = errors::Forbidden),
    ),
    security((), ("session" = []))
)]
pub async fn api_logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    end_current_session(&state, &headers).await;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(SET_COOKIE, state.cookies.clear());
    response
}

/// Who am I
///
/// The user the session or token belongs to.
#[utoipa::path(
    get, path = "/me", tag = "session", operation_id = "me",
    responses(
        (status = 200, description = "The signed-in user", body = CurrentUser),
        (status = 401, response = errors::Unauthorized),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn api_me(ApiActor(actor): ApiActor) -> Result<Json<CurrentUser>, WireError> {
    actor
        .caller
        .user()
        .cloned()
        .map(Json)
        .ok_or_else(|| WireError(app::error::ApiError::unauthorized("sign in required")))
}
