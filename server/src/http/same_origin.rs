//! Cross-site state changes are refused with 403, for cookies and forms
//! alike (Leptos has no CSRF protection of its own). A browser says where a
//! request comes from in `Sec-Fetch-Site` (modern browsers) or `Origin`;
//! scripts and curl send neither, and carry no ambient cookie to abuse.
use axum::body::Body;
use axum::http::header::{HOST, ORIGIN};
use axum::http::{Method, Request, Response};
use axum::response::IntoResponse;
use tower_http::validate_request::ValidateRequest;

use app::error::ApiError;

use super::WireError;

#[derive(Clone, Default)]
pub struct SameOriginWrites {
    /// The public origin (`https://firebreak.example.com`), when configured.
    pub public_origin: Option<String>,
}

fn is_safe(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

impl SameOriginWrites {
    fn allowed<B>(&self, request: &Request<B>) -> bool {
        let header = |name| request.headers().get(name).and_then(|v| v.to_str().ok());
        if let Some(site) = header("sec-fetch-site") {
            return matches!(site, "same-origin" | "none");
        }
        let Some(origin) = header(ORIGIN.as_str()) else {
            return true;
        };
        if self.public_origin.as_deref() == Some(origin.trim_end_matches('/')) {
            return true;
        }
        let authority = origin.split_once("://").map(|(_, rest)| rest);
        authority.is_some() && authority == header(HOST.as_str())
    }
}

impl<B> ValidateRequest<B> for SameOriginWrites {
    type ResponseBody = Body;

    fn validate(&mut self, request: &mut Request<B>) -> Result<(), Response<Self::ResponseBody>> {
        if is_safe(request.method()) || self.allowed(request) {
            return Ok(());
        }
        Err(WireError(ApiError::forbidden(
            "cross-site request refused: send it from Firebreak's own pages",
        ))
        .into_response())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(headers: &[(&str, &str)]) -> Request<()> {
        let mut builder =
            Request::post("/api/fn/create_incident").header("host", "fb.example:3000");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder.body(()).unwrap()
    }

    #[test]
    fn refuses_cross_site_and_allows_same_origin() {
        let mut check = SameOriginWrites::default();
        let mut ok = |h: &[(&str, &str)]| check.validate(&mut post(h)).is_ok();
        assert!(ok(&[]), "scripts send no origin");
        assert!(ok(&[("sec-fetch-site", "same-origin")]));
        assert!(ok(&[("origin", "http://fb.example:3000")]));
        assert!(!ok(&[("sec-fetch-site", "cross-site")]));
        assert!(!ok(&[("sec-fetch-site", "same-site")]));
        assert!(!ok(&[("origin", "https://evil.example")]));
        assert!(!ok(&[("origin", "null")]));
    }

    #[test]
    fn reads_are_never_refused() {
        let mut check = SameOriginWrites::default();
        let mut get = Request::get("/")
            .header("sec-fetch-site", "cross-site")
            .body(())
            .unwrap();
        assert!(check.validate(&mut get).is_ok());
    }
}
