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

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", rename_all = "snake_case")]
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
