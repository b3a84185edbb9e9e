//! Use-cases: validation, the rules of the registry, and transactions.
//!
//! Error policy: [`ServiceError`] is what a use-case can fail with. `Invalid`
//! names every bad field; `Conflict` carries what differs so the UI can show
//! both sides; `Internal` carries a detail that is logged, never sent.
mod incident_patch;
mod incidents;
mod list_query;
mod new_incident;
mod port;
mod problems;
mod references;
mod render;
mod timeline;

use std::sync::Arc;

use app::error::{ApiError, FieldChange, FieldError};
use app::port::Channel;
use chrono::{DateTime, SubsecRound, Utc};

use crate::store::{Store, StoreError};

pub use render::render_markdown_safely;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0} not found")]
    NotFound(String),
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("stale version; now {current_version}")]
    Conflict {
        current_version: i64,
        changes: Vec<FieldChange>,
    },
    #[error("internal error: {0}")]
    Internal(String),
}

impl ServiceError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, message)])
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound("record".into()),
            StoreError::ForeignKey => {
                Self::invalid("reference", "points to a record that does not exist")
            }
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound(what) => ApiError::NotFound { what },
            ServiceError::Invalid(fields) => ApiError::Invalid { fields },
            ServiceError::Conflict {
                current_version,
                changes,
            } => ApiError::Conflict {
                current_version,
                changes,
            },
            ServiceError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                ApiError::Internal
            }
        }
    }
}

/// The registry's use-cases, shared by server functions and the REST API.
#[derive(Clone)]
pub struct IncidentService {
    store: Arc<dyn Store>,
}

impl IncidentService {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }
}

/// Now, to the second: stored timestamps carry no fractions, so their text
/// form sorts in time order.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(0)
}

/// Timestamps typed by a person or sent by a script are "manual"; those from
/// alerting integrations are "webhook".
fn stamp_source(via: Channel) -> app::domain::StampSource {
    match via {
        Channel::Webhook => app::domain::StampSource::Webhook,
        Channel::Browser | Channel::Api => app::domain::StampSource::Manual,
    }
}
