//! Extractors whose failures are wire errors that name the field.
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use app::error::ApiError;

use super::WireError;

/// A JSON body. Requires `Content-Type: application/json` (which also keeps
/// cross-site HTML forms out), and reports the path of a bad field.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = WireError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(';')
                    .next()
                    .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
            });
        if !is_json {
            return Err(ApiError::BadRequest {
                message: "send the body as JSON with Content-Type: application/json".into(),
            }
            .into());
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|_| WireError(ApiError::PayloadTooLarge))?;
        parse_json(&bytes).map(ApiJson).map_err(WireError)
    }
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = inner.to_string();
        match inner.classify() {
            serde_json::error::Category::Data => field_error(&path, &message),
            _ => ApiError::BadRequest {
                message: format!("malformed JSON: {message}"),
            },
        }
    })
}

/// Names the field from the error path, or from serde's "missing field `x`"
/// and "unknown field `x`" messages, which carry no path.
fn field_error(path: &str, message: &str) -> ApiError {
    let quoted = message.split('`').nth(1).unwrap_or_default().to_string();
    let short = message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .to_string();
    if message.starts_with("missing field") {
        return ApiError::invalid(quoted, "is required");
    }
    if message.starts_with("unknown field") {
        return ApiError::invalid(quoted, format!("is not a known field ({short})"));
    }
    let field = if path == "." || path.is_empty() {
        "body".to_string()
    } else {
        path.to_string()
    };
    ApiError::invalid(field, short)
}

/// Query parameters, with the same error shape as bodies.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = WireError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(ApiQuery)
            .map_err(|e| {
                let path = e.path().to_string();
                WireError(field_error(&path, &e.into_inner().to_string()))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::IncidentInput;

    fn field_of(body: &str) -> (String, String) {
        match parse_json::<IncidentInput>(body.as_bytes()) {
            Err(ApiError::Invalid { fields }) => {
                (fields[0].field.clone(), fields[0].message.clone())
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn data_errors_name_the_field() {
        assert_eq!(field_of(r#"{"severity":"SEV1"}"#).0, "title");
        assert_eq!(
            field_of(r#"{"title":"t","severity":"SEV1","colour":1}"#).0,
            "colour"
        );
        let (field, message) = field_of(r#"{"title":5,"severity":"SEV1"}"#);
        assert_eq!(field, "title");
        assert!(message.contains("invalid type"), "{message}");
    }

    #[test]
    fn syntax_errors_are_bad_requests() {
        for body in ["{", "not json", r#"{"title":"\ud800","severity":"SEV1"}"#] {
            assert!(
                matches!(
                    parse_json::<IncidentInput>(body.as_bytes()),
                    Err(ApiError::BadRequest { .. })
                ),
                "{body}"
            );
        }
    }
}
