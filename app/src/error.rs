//! The wire error: the one error type that crosses the network.
//!
//! Policy: every variant maps to exactly one HTTP status (see [`ApiError::status`]).
//! Server functions and the REST API both serialize this type as JSON, so a
//! script and the browser see the same shape. `Internal` never carries
//! details; the server logs them and sends only this variant.
use serde::{Deserialize, Serialize};

/// One problem with one input field, named as the client named it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A field whose stored value differs from what a stale save sent.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    /// The value saved by someone else since the version the client read.
    pub current: String,
    /// The value the rejected save carried.
    pub yours: String,
}

/// Read through [`ApiErrorWire`] (same JSON), so the browser bundle carries
/// no buffering deserializer for internally tagged enums.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", rename_all = "snake_case", try_from = "ApiErrorWire")]
pub enum ApiError {
    /// The request itself could not be read (malformed JSON, missing parameter).
    #[error("bad request: {message}")]
    BadRequest { message: String },
    /// The request was read, but some fields are not acceptable.
    #[error("{}", describe_fields(fields))]
    Invalid { fields: Vec<FieldError> },
    #[error("{what} not found")]
    NotFound { what: String },
    /// A save named a version that is no longer current.
    #[error(
        "this was changed by someone else (now version {current_version}); nothing was overwritten"
    )]
    Conflict {
        current_version: i64,
        changes: Vec<FieldChange>,
    },
    #[error("the request body is too large")]
    PayloadTooLarge,
    /// Not signed in, or the credentials are wrong (the message says which,
    /// without telling whether an email has an account).
    #[error("{message}")]
    Unauthorized { message: String },
    /// Signed in, but the role does not allow this.
    #[error("{message}")]
    Forbidden { message: String },
    /// Too many attempts; try again after `retry_after_secs`.
    #[error("too many attempts; try again in {retry_after_secs} s")]
    TooManyRequests { retry_after_secs: u64 },
    /// The server's disk is full: the write was refused and rolled back.
    #[error("{message}")]
    StorageFull { message: String },
    #[error("internal error; the details are in the server log")]
    Internal,
}

/// The JSON shape of every [`ApiError`]: the `error` tag and whichever
/// fields its variant has.
#[derive(Deserialize)]
struct ApiErrorWire {
    error: String,
    message: Option<String>,
    fields: Option<Vec<FieldError>>,
    what: Option<String>,
    current_version: Option<i64>,
    changes: Option<Vec<FieldChange>>,
    retry_after_secs: Option<u64>,
}

fn required<T>(value: Option<T>, field: &str) -> Result<T, String> {
    value.ok_or_else(|| format!("missing field `{field}`"))
}

impl TryFrom<ApiErrorWire> for ApiError {
    type Error = String;

    fn try_from(wire: ApiErrorWire) -> Result<Self, String> {
        let message = || required(wire.message.clone(), "message");
        Ok(match wire.error.as_str() {
            "bad_request" => Self::BadRequest {
                message: message()?,
            },
            "invalid" => Self::Invalid {
                fields: required(wire.fields, "fields")?,
            },
            "not_found" => Self::NotFound {
                what: required(wire.what, "what")?,
            },
            "conflict" => Self::Conflict {
                current_version: required(wire.current_version, "current_version")?,
                changes: required(wire.changes, "changes")?,
            },
            "payload_too_large" => Self::PayloadTooLarge,
            "unauthorized" => Self::Unauthorized {
                message: message()?,
            },
            "forbidden" => Self::Forbidden {
                message: message()?,
            },
            "too_many_requests" => Self::TooManyRequests {
                retry_after_secs: required(wire.retry_after_secs, "retry_after_secs")?,
            },
            "storage_full" => Self::StorageFull {
                message: message()?,
            },
            "internal" => Self::Internal,
            other => return Err(format!("unknown error `{other}`")),
        })
    }
}

fn describe_fields(fields: &[FieldError]) -> String {
    let parts: Vec<String> = fields
        .iter()
        .map(|f| format!("{}: {}", f.field, f.message))
        .collect();
    format!("invalid input: {}", parts.join("; "))
}

impl ApiError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            fields: vec![FieldError::new(field, message)],
        }
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::Unauthorized {
            message: message.into(),
        }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::Forbidden {
            message: message.into(),
        }
    }

    pub fn storage_full() -> Self {
        Self::StorageFull {
            message: "the server's disk is full; nothing was saved".into(),
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            Self::BadRequest { .. } => 400,
            Self::Unauthorized { .. } => 401,
            Self::Forbidden { .. } => 403,
            Self::TooManyRequests { .. } => 429,
            Self::NotFound { .. } => 404,
            Self::Conflict { .. } => 409,
            Self::PayloadTooLarge => 413,
            Self::Invalid { .. } => 422,
            Self::StorageFull { .. } => 507,
            Self::Internal => 500,
        }
    }

    /// The message for one field, if this error names it.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            Self::Invalid { fields } => fields
                .iter()
                .find(|f| f.field == field)
                .map(|f| f.message.clone()),
            _ => None,
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for ApiError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Args(m) | E::Deserialization(m) | E::MissingArg(m) => {
                Self::BadRequest { message: m }
            }
            other => Self::BadRequest {
                message: other.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_variant() -> Vec<ApiError> {
        vec![
            ApiError::BadRequest {
                message: "m".into(),
            },
            ApiError::invalid("title", "is empty"),
            ApiError::NotFound {
                what: "INC-9".into(),
            },
            ApiError::Conflict {
                current_version: 4,
                changes: vec![FieldChange {
                    field: "title".into(),
                    current: "a".into(),
                    yours: "b".into(),
                }],
            },
            ApiError::PayloadTooLarge,
            ApiError::unauthorized("sign in"),
            ApiError::forbidden("responders only"),
            ApiError::TooManyRequests {
                retry_after_secs: 30,
            },
            ApiError::storage_full(),
            ApiError::Internal,
        ]
    }

    #[test]
    fn every_variant_reads_back_what_it_wrote() {
        for error in every_variant() {
            let json = serde_json::to_string(&error).unwrap();
            let back: ApiError = serde_json::from_str(&json).unwrap();
            assert_eq!(back, error, "{json}");
        }
    }

    #[test]
    fn the_wire_shape_is_tagged_by_error() {
        let json = serde_json::to_value(ApiError::NotFound { what: "x".into() }).unwrap();
        assert_eq!(json, serde_json::json!({"error": "not_found", "what": "x"}));
    }

    #[test]
    fn a_missing_field_or_unknown_tag_is_refused() {
        let missing = serde_json::from_str::<ApiError>(r#"{"error":"conflict","changes":[]}"#);
        assert!(missing.unwrap_err().to_string().contains("current_version"));
        let unknown = serde_json::from_str::<ApiError>(r#"{"error":"teapot"}"#);
        assert!(unknown.unwrap_err().to_string().contains("teapot"));
        assert!(serde_json::from_str::<ApiError>(r#"{"what":"x"}"#).is_err());
    }
}
