//! The UI's integration port (inbound webhooks' admin page), implemented
//! by the service layer.
use app::error::ApiError;
use app::model::{IntegrationAdmin, IntegrationChange, IntegrationInput, IntegrationSaved};
use app::port::{Actor, IntegrationPort};

use super::IncidentService;

#[async_trait::async_trait]
impl IntegrationPort for IncidentService {
    async fn integration_admin(&self, actor: &Actor) -> Result<IntegrationAdmin, ApiError> {
        Ok(IncidentService::integration_admin(self, actor).await?)
    }

    async fn create_integration(
        &self,
        actor: &Actor,
        input: IntegrationInput,
    ) -> Result<IntegrationSaved, ApiError> {
        Ok(IncidentService::create_integration(self, input, actor).await?)
    }

    async fn change_integration(
        &self,
        actor: &Actor,
        input: IntegrationChange,
    ) -> Result<IntegrationSaved, ApiError> {
        Ok(IncidentService::change_integration(self, input, actor).await?)
    }
}
