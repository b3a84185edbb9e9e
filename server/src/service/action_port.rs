//! The UI's action-item and insights ports, implemented by the service layer.
use app::error::ApiError;
use app::model::{
    ActionAdmin, ActionBoard, ActionInput, ActionItem, ActionPatch, ActionPolicyInput, ActionQuery,
    Insights, InsightsQuery, RecurringCauses, TeamInput, WeeklyDigest,
};
use app::port::{ActionPort, Actor, InsightPort};

use super::IncidentService;

#[async_trait::async_trait]
impl ActionPort for IncidentService {
    async fn action_board(
        &self,
        actor: &Actor,
        query: ActionQuery,
    ) -> Result<ActionBoard, ApiError> {
        Ok(IncidentService::action_board(self, query, actor).await?)
    }

    async fn incident_actions(&self, actor: &Actor, id: &str) -> Result<Vec<ActionItem>, ApiError> {
        Ok(IncidentService::incident_actions(self, id, actor).await?)
    }

    async fn create_action(
        &self,
        actor: &Actor,
        input: ActionInput,
    ) -> Result<ActionItem, ApiError> {
        Ok(IncidentService::create_action(self, input, actor).await?)
    }

    async fn update_action(
        &self,
        actor: &Actor,
        patch: ActionPatch,
    ) -> Result<ActionItem, ApiError> {
        Ok(IncidentService::update_action(self, patch, actor).await?)
    }

    async fn overdue_badge(&self, actor: &Actor) -> Result<i64, ApiError> {
        Ok(self.my_overdue_count(actor).await?)
    }

    async fn action_admin(&self, actor: &Actor) -> Result<ActionAdmin, ApiError> {
        Ok(IncidentService::action_admin(self, actor).await?)
    }

    async fn change_action_policy(
        &self,
        actor: &Actor,
        input: ActionPolicyInput,
    ) -> Result<ActionAdmin, ApiError> {
        Ok(IncidentService::change_action_policy(self, input, actor).await?)
    }

    async fn set_service_team(
        &self,
        actor: &Actor,
        input: TeamInput,
    ) -> Result<ActionAdmin, ApiError> {
        Ok(IncidentService::set_service_team(self, input, actor).await?)
    }
}

#[async_trait::async_trait]
impl InsightPort for IncidentService {
    async fn insights(&self, actor: &Actor, query: InsightsQuery) -> Result<Insights, ApiError> {
        Ok(IncidentService::insights(self, query, actor).await?)
    }

    async fn recurring_causes(
        &self,
        actor: &Actor,
        query: InsightsQuery,
    ) -> Result<RecurringCauses, ApiError> {
        Ok(IncidentService::recurring_causes(self, query, actor).await?)
    }

    async fn weekly_digest(
        &self,
        actor: &Actor,
        week: Option<String>,
    ) -> Result<WeeklyDigest, ApiError> {
        Ok(IncidentService::weekly_digest(self, week.as_deref(), actor).await?)
    }
}
