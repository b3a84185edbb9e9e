//! The port: what the UI's server functions need from the server. The
//! `server` crate implements it in its service layer and provides it as
//! context; `app` never sees SQL or the search index.
use std::sync::Arc;

use crate::error::ApiError;
use crate::model::{
    Incident, IncidentDetail, IncidentInput, IncidentPage, IncidentPatch, IncidentQuery,
    TimelineEdit, TimelineEntry, TimelineInput,
};

/// How a change arrived, for timestamps' sources and (later) the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Browser,
    Api,
    Webhook,
}

#[async_trait::async_trait]
pub trait IncidentPort: Send + Sync + 'static {
    async fn list_incidents(&self, query: IncidentQuery) -> Result<IncidentPage, ApiError>;
    async fn incident_detail(&self, id: &str) -> Result<IncidentDetail, ApiError>;
    async fn create_incident(
        &self,
        input: IncidentInput,
        via: Channel,
    ) -> Result<Incident, ApiError>;
    async fn update_incident(
        &self,
        id: &str,
        patch: IncidentPatch,
        via: Channel,
    ) -> Result<Incident, ApiError>;
    async fn add_timeline_entry(
        &self,
        id: &str,
        input: TimelineInput,
        via: Channel,
    ) -> Result<TimelineEntry, ApiError>;
    async fn edit_timeline_entry(
        &self,
        id: &str,
        entry_id: i64,
        edit: TimelineEdit,
        via: Channel,
    ) -> Result<TimelineEntry, ApiError>;
}

/// The port as server functions find it in context.
pub type SharedIncidentPort = Arc<dyn IncidentPort>;

/// Looks the port up in the request's context.
pub fn incident_port() -> Result<SharedIncidentPort, ApiError> {
    leptos::prelude::use_context::<SharedIncidentPort>().ok_or(ApiError::Internal)
}
