//! Use-cases: validation, the rules of the registry, and transactions.
//!
//! Error policy: [`ServiceError`] is what a use-case can fail with. `Invalid`
//! names every bad field; `Conflict` carries what differs so the UI can show
//! both sides; `Internal` carries a detail that is logged, never sent.
mod access;
mod account_port;
mod action_board;
mod action_fields;
mod action_policy;
mod action_port;
mod actions;
mod audit_diff;
mod audit_log;
mod csv_export;
mod digest;
mod factors;
mod health;
mod import;
mod imported_timeline;
mod inbound;
mod incident_patch;
mod incidents;
mod insights;
mod insights_cache;
mod integration_port;
mod integrations;
mod list_query;
mod login_limits;
mod new_incident;
mod passwords;
mod people;
mod port;
mod postmortem_export;
mod postmortem_list;
mod postmortem_port;
mod postmortem_review;
mod postmortems;
mod problems;
mod recurring;
mod references;
mod render;
mod search;
mod secrets;
mod section_diff;
mod sessions;
mod settings;
mod templates;
mod timeline;
mod timeline_table;
mod tokens;
mod users;
mod webhook_port;
mod webhooks;

use std::sync::Arc;

use app::error::{ApiError, FieldChange, FieldError};
use app::port::Channel;
use chrono::{DateTime, Duration, SubsecRound, Utc};

use crate::store::{Store, StoreError};

pub use csv_export::{CHARTS, actions_csv, insights_csv};
pub use health::{Check, OperationsSnapshot, READY_LAG, Readiness};
pub use import::ImportOutcome;
pub use imported_timeline::ImportedEntry;
pub use inbound::{AlertmanagerPayload, PagerDutyPayload, WebhookOutcome};
pub use login_limits::LoginLimits;
pub use render::render_markdown_safely;
pub use secrets::TOKEN_PREFIX;

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
    /// The request cannot be read (a query too long, say).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Not signed in, or the credentials are not valid.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// Signed in, but the role does not allow it.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// Too many sign-in attempts; the seconds to wait.
    #[error("too many attempts; wait {0} s")]
    TooManyRequests(u64),
    /// The disk is full; nothing was saved.
    #[error("the disk is full")]
    StorageFull,
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
            StoreError::Duplicate => Self::invalid("record", "already exists"),
            StoreError::StorageFull => Self::StorageFull,
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
            ServiceError::BadRequest(message) => ApiError::BadRequest { message },
            ServiceError::Unauthorized(message) => ApiError::Unauthorized { message },
            ServiceError::Forbidden(message) => ApiError::Forbidden { message },
            ServiceError::TooManyRequests(retry_after_secs) => {
                ApiError::TooManyRequests { retry_after_secs }
            }
            ServiceError::StorageFull => {
                tracing::error!("a write failed: the disk is full");
                ApiError::storage_full()
            }
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
    index: Arc<crate::search::SearchIndex>,
    live: Arc<crate::live::LiveHub>,
    recent_insights: Arc<insights_cache::RecentAnswers<app::model::Insights>>,
    /// Insights reads running at once (of the store's four readers), so a
    /// recount never keeps the other readers from serving pages.
    insight_reads: Arc<tokio::sync::Semaphore>,
    /// How long searches take; `/metrics` reads it.
    search_timings: crate::metrics::SearchTimings,
    /// Inbound webhook deliveries are handled one at a time (per process),
    /// so two alerts of one group arriving together open one incident.
    inbound_turn: Arc<tokio::sync::Mutex<()>>,
}

impl IncidentService {
    pub fn new(store: Arc<dyn Store>, index: Arc<crate::search::SearchIndex>) -> Self {
        Self {
            store,
            index,
            live: Arc::default(),
            recent_insights: Arc::default(),
            insight_reads: Arc::new(tokio::sync::Semaphore::new(insights::READS_AT_ONCE)),
            search_timings: Default::default(),
            inbound_turn: Arc::default(),
        }
    }

    pub fn search_timings(&self) -> &crate::metrics::SearchTimings {
        &self.search_timings
    }

    /// Saves and presence, for the postmortem pages' live updates.
    pub fn live(&self) -> &Arc<crate::live::LiveHub> {
        &self.live
    }

    pub fn index(&self) -> &Arc<crate::search::SearchIndex> {
        &self.index
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }
}

/// How long a session lives: it ends after `idle` without a request, and
/// after `absolute` whatever happens.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: Duration::hours(12),
            absolute: Duration::days(7),
        }
    }
}

/// Accounts, sessions, tokens, settings and the audit log.
#[derive(Clone)]
pub struct AccountService {
    store: Arc<dyn Store>,
    limits: Arc<LoginLimits>,
    policy: SessionPolicy,
}

impl AccountService {
    pub fn new(store: Arc<dyn Store>, policy: SessionPolicy) -> Self {
        Self {
            store,
            limits: Arc::new(LoginLimits::default()),
            policy,
        }
    }

    /// Whether anyone may read without signing in.
    pub async fn anonymous_read(&self) -> Result<bool, ServiceError> {
        Ok(self.store.settings().await?.anonymous_read)
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
        Channel::Browser | Channel::Api | Channel::Cli => app::domain::StampSource::Manual,
    }
}
