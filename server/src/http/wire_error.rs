//! The wire error as an HTTP response: its status and its JSON.
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use app::error::ApiError;

use crate::service::ServiceError;

pub struct WireError(pub ApiError);

impl IntoResponse for WireError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry_after = match &self.0 {
            ApiError::TooManyRequests { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        };
        let mut response = (status, Json(self.0)).into_response();
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        response
    }
}

impl From<ApiError> for WireError {
    fn from(e: ApiError) -> Self {
        Self(e)
    }
}

impl From<ServiceError> for WireError {
    fn from(e: ServiceError) -> Self {
        Self(e.into())
    }
}
