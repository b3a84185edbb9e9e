//! Pages are for signed-in users unless anonymous reading is on: anyone
//! else asking for a page is sent to the sign-in page, with the way back.
//! (This is for people; the service layer still checks every call.)
use axum::extract::{Request, State};
use axum::http::Method;
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::model::Caller;

use super::AppState;

/// Paths anyone may fetch: the sign-in and invitation pages, assets, the API
/// (which answers 401 itself) and server functions (checked by the service).
const OPEN_PREFIXES: [&str; 9] = [
    "/livez",
    "/readyz",
    "/metrics",
    "/login",
    "/invite/",
    "/pkg/",
    "/api/",
    "/favicon",
    "/robots.txt",
];

pub async fn require_sign_in_for_pages(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let is_page_read = request.method() == Method::GET || request.method() == Method::HEAD;
    let open = OPEN_PREFIXES.iter().any(|p| path.starts_with(p));
    let anonymous = matches!(
        request.extensions().get::<Caller>(),
        None | Some(Caller::Anonymous)
    );
    if !is_page_read || open || !anonymous {
        return next.run(request).await;
    }
    match state.accounts.anonymous_read().await {
        Ok(true) => next.run(request).await,
        Ok(false) => {
            let back = request.uri().path_and_query().map_or("/", |p| p.as_str());
            let encoded: String = form_urlencoded::byte_serialize(back.as_bytes()).collect();
            let mut response = StatusCode::SEE_OTHER.into_response();
            if let Ok(location) = HeaderValue::from_str(&format!("/login?next={encoded}")) {
                response.headers_mut().insert(LOCATION, location);
            }
            response
        }
        Err(e) => super::WireError::from(e).into_response(),
    }
}
