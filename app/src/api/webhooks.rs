use leptos::prelude::*;

use crate::error::ApiError;
use crate::model::{DeliveryRetry, WebhookDetail, WebhookEndpoint, WebhookSave, WebhookTest};

#[server(prefix = "/api/fn", endpoint = "list_webhooks")]
pub async fn list_webhooks() -> Result<Vec<WebhookEndpoint>, ApiError> {
    use crate::port::{browser_actor, webhook_port};
    webhook_port()?.webhooks(&browser_actor()).await
}

#[server(prefix = "/api/fn", endpoint = "get_webhook")]
pub async fn get_webhook(id: i64) -> Result<WebhookDetail, ApiError> {
    use crate::port::{browser_actor, webhook_port};
    webhook_port()?.webhook(&browser_actor(), id).await
}

/// A new endpoint opens its own page, which shows the signing secret.
#[server(prefix = "/api/fn", endpoint = "save_webhook")]
pub async fn save_webhook(webhook: WebhookSave) -> Result<WebhookEndpoint, ApiError> {
    use crate::port::{browser_actor, webhook_port};
    let is_new = webhook.id.is_none();
    let saved = webhook_port()?
        .save_webhook(&browser_actor(), webhook)
        .await?;
    if is_new {
        leptos_axum::redirect(&format!("/admin/webhooks/{}", saved.id));
    }
    Ok(saved)
}

#[server(prefix = "/api/fn", endpoint = "test_webhook")]
pub async fn test_webhook(test: WebhookTest) -> Result<(), ApiError> {
    use crate::port::{browser_actor, webhook_port};
    webhook_port()?.test_webhook(&browser_actor(), test).await
}

#[server(prefix = "/api/fn", endpoint = "retry_webhook_delivery")]
pub async fn retry_webhook_delivery(retry: DeliveryRetry) -> Result<(), ApiError> {
    use crate::port::{browser_actor, webhook_port};
    webhook_port()?
        .retry_delivery(&browser_actor(), retry)
        .await
}
