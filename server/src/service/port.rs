//! The UI's port, implemented by the service layer.
use app::error::ApiError;
use app::model::{
    Incident, IncidentDetail, IncidentInput, IncidentPage, IncidentPatch, IncidentQuery,
    TimelineEdit, TimelineEntry, TimelineInput,
};
use app::port::{Channel, IncidentPort};

use super::IncidentService;

#[async_trait::async_trait]
impl IncidentPort for IncidentService {
    async fn list_incidents(&self, query: IncidentQuery) -> Result<IncidentPage, ApiError> {
        Ok(self.list(query).await?)
    }

    async fn incident_detail(&self, id: &str) -> Result<IncidentDetail, ApiError> {
        Ok(self.detail(id).await?)
    }

    async fn create_incident(
        &self,
        input: IncidentInput,
        via: Channel,
    ) -> Result<Incident, ApiError> {
        Ok(self.create(input, via).await?)
    }

    async fn update_incident(
        &self,
        id: &str,
        patch: IncidentPatch,
        via: Channel,
    ) -> Result<Incident, ApiError> {
        Ok(self.update(id, patch, via).await?)
    }

    async fn add_timeline_entry(
        &self,
        id: &str,
        input: TimelineInput,
        via: Channel,
    ) -> Result<TimelineEntry, ApiError> {
        Ok(self.add_entry(id, input, via).await?)
    }

    async fn edit_timeline_entry(
        &self,
        id: &str,
        entry_id: i64,
        edit: TimelineEdit,
        via: Channel,
    ) -> Result<TimelineEntry, ApiError> {
        Ok(self.edit_entry(id, entry_id, edit, via).await?)
    }
}
