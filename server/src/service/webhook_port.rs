//! The UI's webhook port, implemented by the service layer.
use app::error::ApiError;
use app::model::{DeliveryRetry, WebhookDetail, WebhookEndpoint, WebhookSave, WebhookTest};
use app::port::{Actor, WebhookPort};

use super::IncidentService;

#[async_trait::async_trait]
impl WebhookPort for IncidentService {
    async fn webhooks(&self, actor: &Actor) -> Result<Vec<WebhookEndpoint>, ApiError> {
        Ok(IncidentService::webhooks(self, actor).await?)
    }

    async fn webhook(&self, actor: &Actor, id: i64) -> Result<WebhookDetail, ApiError> {
        Ok(IncidentService::webhook(self, id, actor).await?)
    }

    async fn save_webhook(
        &self,
        actor: &Actor,
        input: WebhookSave,
    ) -> Result<WebhookEndpoint, ApiError> {
        Ok(IncidentService::save_webhook(self, input, actor).await?)
    }

    async fn test_webhook(&self, actor: &Actor, input: WebhookTest) -> Result<(), ApiError> {
        Ok(IncidentService::test_webhook(self, input, actor).await?)
    }

    async fn retry_delivery(&self, actor: &Actor, input: DeliveryRetry) -> Result<(), ApiError> {
        Ok(IncidentService::retry_delivery(self, input, actor).await?)
    }
}
