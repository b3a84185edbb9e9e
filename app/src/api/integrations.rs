use leptos::prelude::*;

use crate::error::ApiError;
use crate::model::{IntegrationAdmin, IntegrationChange, IntegrationInput, IntegrationSaved};

/// The integrations page's data, with a new Alertmanager token to show once
/// after a JavaScript-free form post.
#[server(prefix = "/api/fn", endpoint = "get_integrations")]
pub async fn get_integrations() -> Result<IntegrationAdmin, ApiError> {
    use crate::port::{browser_actor, integration_port};
    let mut admin = integration_port()?
        .integration_admin(&browser_actor())
        .await?;
    admin.revealed_token = crate::reveal::take("webhook");
    Ok(admin)
}

#[server(prefix = "/api/fn", endpoint = "create_integration")]
pub async fn create_integration(
    integration: IntegrationInput,
) -> Result<IntegrationSaved, ApiError> {
    use crate::port::{browser_actor, integration_port};
    let saved = integration_port()?
        .create_integration(&browser_actor(), integration)
        .await?;
    if let Some(token) = &saved.token {
        crate::reveal::for_plain_form_post("webhook", token, "/admin/integrations");
    }
    Ok(saved)
}

#[server(prefix = "/api/fn", endpoint = "change_integration")]
pub async fn change_integration(change: IntegrationChange) -> Result<IntegrationSaved, ApiError> {
    use crate::port::{browser_actor, integration_port};
    let saved = integration_port()?
        .change_integration(&browser_actor(), change)
        .await?;
    if let Some(token) = &saved.token {
        crate::reveal::for_plain_form_post("webhook", token, "/admin/integrations");
    }
    Ok(saved)
}
