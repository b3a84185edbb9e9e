//! The UI's incident port, implemented by the service layer.
use app::error::ApiError;
use app::model::{
    Incident, IncidentDetail, IncidentInput, IncidentPage, IncidentPatch, IncidentQuery,
    SearchQuery, SearchResults, SimilarIncidents, TimelineEdit, TimelineEntry, TimelineInput,
    UserRef,
};
use app::port::{Actor, IncidentPort};

use super::IncidentService;

#[async_trait::async_trait]
impl IncidentPort for IncidentService {
    async fn list_incidents(
        &self,
        actor: &Actor,
        query: IncidentQuery,
    ) -> Result<IncidentPage, ApiError> {
        Ok(self.list(query, actor).await?)
    }

    async fn incident_detail(&self, actor: &Actor, id: &str) -> Result<IncidentDetail, ApiError> {
        Ok(self.detail(id, actor).await?)
    }

    async fn people(&self, actor: &Actor) -> Result<Vec<UserRef>, ApiError> {
        Ok(self.people_for(actor).await?)
    }

    async fn search(&self, actor: &Actor, query: SearchQuery) -> Result<SearchResults, ApiError> {
        Ok(IncidentService::search(self, query, actor).await?)
    }

    async fn similar(
        &self,
        actor: &Actor,
        id: &str,
        limit: i64,
    ) -> Result<SimilarIncidents, ApiError> {
        Ok(IncidentService::similar(self, id, limit, actor).await?)
    }

    async fn similar_to_text(
        &self,
        actor: &Actor,
        text: &str,
        limit: i64,
    ) -> Result<SimilarIncidents, ApiError> {
        Ok(IncidentService::similar_to_text(self, text, limit, actor).await?)
    }

    async fn create_incident(
        &self,
        actor: &Actor,
        input: IncidentInput,
    ) -> Result<Incident, ApiError> {
        Ok(self.create(input, actor).await?)
    }

    async fn update_incident(
        &self,
        actor: &Actor,
        id: &str,
        patch: IncidentPatch,
    ) -> Result<Incident, ApiError> {
        Ok(self.update(id, patch, actor).await?)
    }

    async fn add_timeline_entry(
        &self,
        actor: &Actor,
        id: &str,
        input: TimelineInput,
    ) -> Result<TimelineEntry, ApiError> {
        Ok(self.add_entry(id, input, actor).await?)
    }

    async fn edit_timeline_entry(
        &self,
        actor: &Actor,
        id: &str,
        entry_id: i64,
        edit: TimelineEdit,
    ) -> Result<TimelineEntry, ApiError> {
        Ok(self.edit_entry(id, entry_id, edit, actor).await?)
    }
}
