use leptos::prelude::*;

use crate::error::ApiError;
use crate::model::{
    ActionAdmin, ActionBoard, ActionInput, ActionItem, ActionPatch, ActionPolicyInput, ActionQuery,
    TeamInput,
};

#[server(prefix = "/api/fn", endpoint = "action_board")]
pub async fn get_action_board(query: ActionQuery) -> Result<ActionBoard, ApiError> {
    use crate::port::{action_port, browser_actor};
    action_port()?.action_board(&browser_actor(), query).await
}

#[server(prefix = "/api/fn", endpoint = "incident_actions")]
pub async fn incident_actions(incident: String) -> Result<Vec<ActionItem>, ApiError> {
    use crate::port::{action_port, browser_actor};
    action_port()?
        .incident_actions(&browser_actor(), &incident)
        .await
}

#[server(prefix = "/api/fn", endpoint = "create_action")]
pub async fn create_action(action: ActionInput) -> Result<ActionItem, ApiError> {
    use crate::port::{action_port, browser_actor};
    action_port()?.create_action(&browser_actor(), action).await
}

#[server(prefix = "/api/fn", endpoint = "update_action")]
pub async fn update_action(patch: ActionPatch) -> Result<ActionItem, ApiError> {
    use crate::port::{action_port, browser_actor};
    action_port()?.update_action(&browser_actor(), patch).await
}

/// The caller's overdue items, for the header badge.
#[server(prefix = "/api/fn", endpoint = "overdue_badge")]
pub async fn overdue_badge() -> Result<i64, ApiError> {
    use crate::port::{action_port, browser_actor};
    action_port()?.overdue_badge(&browser_actor()).await
}

#[server(prefix = "/api/fn", endpoint = "action_admin")]
pub async fn get_action_admin() -> Result<ActionAdmin, ApiError> {
    use crate::port::{action_port, browser_actor};
    action_port()?.action_admin(&browser_actor()).await
}

#[server(prefix = "/api/fn", endpoint = "change_action_policy")]
pub async fn change_action_policy(policy: ActionPolicyInput) -> Result<ActionAdmin, ApiError> {
    use crate::port::{action_port, browser_actor};
    action_port()?
        .change_action_policy(&browser_actor(), policy)
        .await
}

#[server(prefix = "/api/fn", endpoint = "set_service_team")]
pub async fn set_service_team(team: TeamInput) -> Result<ActionAdmin, ApiError> {
    use crate::port::{action_port, browser_actor};
    action_port()?
        .set_service_team(&browser_actor(), team)
        .await
}
