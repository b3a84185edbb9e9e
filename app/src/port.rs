//! The ports: what the UI's server functions need from the server. The
//! `server` crate implements them in its service layer and provides them,
//! with the request's [`Caller`], as context; `app` never sees SQL or the
//! search index. Every method takes the [`Actor`]: the service decides what
//! the caller may do, so a server function called directly is checked too.
use std::sync::Arc;

use crate::error::ApiError;
use crate::model::{
    ActionAdmin, ActionBoard, ActionInput, ActionItem, ActionPatch, ActionPolicyInput, ActionQuery,
    Insights, InsightsQuery, IntegrationAdmin, IntegrationChange, IntegrationInput,
    IntegrationSaved, RecurringCauses, TeamInput, WeeklyDigest,
};
use crate::model::{
    AuditPage, AuditQuery, Caller, ChecklistTick, CommentInput, Factor, FactorInput, FactorRemoval,
    Incident, IncidentDetail, IncidentFactor, IncidentInput, IncidentPage, IncidentPatch,
    IncidentQuery, Invitation, InviteInput, NewApiToken, Postmortem, PostmortemQuery,
    PostmortemSection, PostmortemSummary, PostmortemView, PresenceBeat, Profile, RevisionRestore,
    SearchQuery, SearchResults, SectionHistory, SectionSave, Settings, SimilarIncidents,
    StartPostmortem, StatusMove, TaxonomyChange, TemplateAdmin, TemplateDefaults, TemplateSave,
    ThreadResolve, TimelineEdit, TimelineEntry, TimelineInput, UserChange, UserRef, UserSummary,
};
use crate::model::{DeliveryRetry, WebhookDetail, WebhookEndpoint, WebhookSave, WebhookTest};

/// How a change arrived: the timestamps' source and the audit log's "how".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Browser,
    Api,
    Webhook,
    Cli,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Browser => "browser",
            Self::Api => "api",
            Self::Webhook => "webhook",
            Self::Cli => "cli",
        }
    }
}

/// Who is asking, and through which door.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub caller: Caller,
    pub via: Channel,
}

impl Actor {
    pub fn new(caller: Caller, via: Channel) -> Self {
        Self { caller, via }
    }
}

#[async_trait::async_trait]
pub trait IncidentPort: Send + Sync + 'static {
    async fn list_incidents(
        &self,
        actor: &Actor,
        query: IncidentQuery,
    ) -> Result<IncidentPage, ApiError>;
    async fn incident_detail(&self, actor: &Actor, id: &str) -> Result<IncidentDetail, ApiError>;
    /// People with an account, offered when naming a commander.
    async fn people(&self, actor: &Actor) -> Result<Vec<UserRef>, ApiError>;
    async fn search(&self, actor: &Actor, query: SearchQuery) -> Result<SearchResults, ApiError>;
    /// Past incidents like incident `id`.
    async fn similar(
        &self,
        actor: &Actor,
        id: &str,
        limit: i64,
    ) -> Result<SimilarIncidents, ApiError>;
    /// Past incidents like a draft that has no id yet (the new-incident form).
    async fn similar_to_text(
        &self,
        actor: &Actor,
        text: &str,
        limit: i64,
    ) -> Result<SimilarIncidents, ApiError>;
    async fn create_incident(
        &self,
        actor: &Actor,
        input: IncidentInput,
    ) -> Result<Incident, ApiError>;
    async fn update_incident(
        &self,
        actor: &Actor,
        id: &str,
        patch: IncidentPatch,
    ) -> Result<Incident, ApiError>;
    async fn add_timeline_entry(
        &self,
        actor: &Actor,
        id: &str,
        input: TimelineInput,
    ) -> Result<TimelineEntry, ApiError>;
    async fn edit_timeline_entry(
        &self,
        actor: &Actor,
        id: &str,
        entry_id: i64,
        edit: TimelineEdit,
    ) -> Result<TimelineEntry, ApiError>;
}

#[async_trait::async_trait]
pub trait AccountPort: Send + Sync + 'static {
    async fn profile(&self, actor: &Actor) -> Result<Profile, ApiError>;
    async fn create_token(&self, actor: &Actor, name: &str) -> Result<NewApiToken, ApiError>;
    async fn revoke_token(&self, actor: &Actor, token_id: i64) -> Result<(), ApiError>;
    async fn list_users(&self, actor: &Actor) -> Result<Vec<UserSummary>, ApiError>;
    async fn invite_user(&self, actor: &Actor, input: InviteInput) -> Result<Invitation, ApiError>;
    async fn change_user(
        &self,
        actor: &Actor,
        user_id: i64,
        change: UserChange,
    ) -> Result<UserSummary, ApiError>;
    async fn settings(&self, actor: &Actor) -> Result<Settings, ApiError>;
    async fn change_settings(&self, actor: &Actor, next: Settings) -> Result<Settings, ApiError>;
    async fn audit(&self, actor: &Actor, query: AuditQuery) -> Result<AuditPage, ApiError>;
    /// The invited account behind a one-time link, for the page that accepts it.
    async fn invitation(&self, secret: &str) -> Result<UserSummary, ApiError>;
}

#[async_trait::async_trait]
pub trait PostmortemPort: Send + Sync + 'static {
    async fn postmortems(
        &self,
        actor: &Actor,
        query: PostmortemQuery,
    ) -> Result<Vec<PostmortemSummary>, ApiError>;
    /// The postmortem page of incident `id` (with no postmortem yet, the templates to start one).
    async fn postmortem(&self, actor: &Actor, id: &str) -> Result<PostmortemView, ApiError>;
    async fn start_postmortem(
        &self,
        actor: &Actor,
        input: StartPostmortem,
    ) -> Result<Postmortem, ApiError>;
    async fn save_section(
        &self,
        actor: &Actor,
        save: SectionSave,
    ) -> Result<PostmortemSection, ApiError>;
    async fn section_history(
        &self,
        actor: &Actor,
        id: &str,
        key: &str,
    ) -> Result<SectionHistory, ApiError>;
    async fn restore_revision(
        &self,
        actor: &Actor,
        input: RevisionRestore,
    ) -> Result<PostmortemSection, ApiError>;
    /// "I am writing this section": shown to the others who have it open.
    async fn presence(&self, actor: &Actor, beat: PresenceBeat) -> Result<(), ApiError>;
    async fn add_factor(
        &self,
        actor: &Actor,
        input: FactorInput,
    ) -> Result<Vec<IncidentFactor>, ApiError>;
    async fn remove_factor(
        &self,
        actor: &Actor,
        input: FactorRemoval,
    ) -> Result<Vec<IncidentFactor>, ApiError>;
    async fn taxonomy(&self, actor: &Actor) -> Result<Vec<Factor>, ApiError>;
    async fn template_admin(&self, actor: &Actor) -> Result<TemplateAdmin, ApiError>;
    async fn save_template(
        &self,
        actor: &Actor,
        input: TemplateSave,
    ) -> Result<TemplateAdmin, ApiError>;
    async fn set_template_defaults(
        &self,
        actor: &Actor,
        input: TemplateDefaults,
    ) -> Result<TemplateAdmin, ApiError>;
    async fn change_taxonomy(
        &self,
        actor: &Actor,
        input: TaxonomyChange,
    ) -> Result<Factor, ApiError>;
    async fn move_postmortem(
        &self,
        actor: &Actor,
        input: StatusMove,
    ) -> Result<Postmortem, ApiError>;
    async fn tick_checklist(
        &self,
        actor: &Actor,
        input: ChecklistTick,
    ) -> Result<Postmortem, ApiError>;
    async fn comment(&self, actor: &Actor, input: CommentInput) -> Result<Postmortem, ApiError>;
    async fn resolve_thread(
        &self,
        actor: &Actor,
        input: ThreadResolve,
    ) -> Result<Postmortem, ApiError>;
}

#[async_trait::async_trait]
pub trait ActionPort: Send + Sync + 'static {
    async fn action_board(
        &self,
        actor: &Actor,
        query: ActionQuery,
    ) -> Result<ActionBoard, ApiError>;
    async fn incident_actions(&self, actor: &Actor, id: &str) -> Result<Vec<ActionItem>, ApiError>;
    async fn create_action(
        &self,
        actor: &Actor,
        input: ActionInput,
    ) -> Result<ActionItem, ApiError>;
    async fn update_action(
        &self,
        actor: &Actor,
        patch: ActionPatch,
    ) -> Result<ActionItem, ApiError>;
    /// The caller's overdue items, for the header badge.
    async fn overdue_badge(&self, actor: &Actor) -> Result<i64, ApiError>;
    async fn action_admin(&self, actor: &Actor) -> Result<ActionAdmin, ApiError>;
    async fn change_action_policy(
        &self,
        actor: &Actor,
        input: ActionPolicyInput,
    ) -> Result<ActionAdmin, ApiError>;
    async fn set_service_team(
        &self,
        actor: &Actor,
        input: TeamInput,
    ) -> Result<ActionAdmin, ApiError>;
}

#[async_trait::async_trait]
pub trait InsightPort: Send + Sync + 'static {
    async fn insights(&self, actor: &Actor, query: InsightsQuery) -> Result<Insights, ApiError>;
    async fn recurring_causes(
        &self,
        actor: &Actor,
        query: InsightsQuery,
    ) -> Result<RecurringCauses, ApiError>;
    /// The week containing `week` (YYYY-MM-DD), or this week.
    async fn weekly_digest(
        &self,
        actor: &Actor,
        week: Option<String>,
    ) -> Result<WeeklyDigest, ApiError>;
}

/// Inbound webhook integrations (Alertmanager, PagerDuty), for admins.
#[async_trait::async_trait]
pub trait IntegrationPort: Send + Sync + 'static {
    async fn integration_admin(&self, actor: &Actor) -> Result<IntegrationAdmin, ApiError>;
    async fn create_integration(
        &self,
        actor: &Actor,
        input: IntegrationInput,
    ) -> Result<IntegrationSaved, ApiError>;
    async fn change_integration(
        &self,
        actor: &Actor,
        input: IntegrationChange,
    ) -> Result<IntegrationSaved, ApiError>;
}

/// Outbound webhooks, for admins.
#[async_trait::async_trait]
pub trait WebhookPort: Send + Sync + 'static {
    async fn webhooks(&self, actor: &Actor) -> Result<Vec<WebhookEndpoint>, ApiError>;
    async fn webhook(&self, actor: &Actor, id: i64) -> Result<WebhookDetail, ApiError>;
    async fn save_webhook(
        &self,
        actor: &Actor,
        input: WebhookSave,
    ) -> Result<WebhookEndpoint, ApiError>;
    async fn test_webhook(&self, actor: &Actor, input: WebhookTest) -> Result<(), ApiError>;
    async fn retry_delivery(&self, actor: &Actor, input: DeliveryRetry) -> Result<(), ApiError>;
}

/// The ports as server functions find them in context.
pub type SharedIncidentPort = Arc<dyn IncidentPort>;
pub type SharedAccountPort = Arc<dyn AccountPort>;
pub type SharedPostmortemPort = Arc<dyn PostmortemPort>;
pub type SharedActionPort = Arc<dyn ActionPort>;
pub type SharedInsightPort = Arc<dyn InsightPort>;
pub type SharedIntegrationPort = Arc<dyn IntegrationPort>;
pub type SharedWebhookPort = Arc<dyn WebhookPort>;

/// Whether cookies set by this server carry `Secure` (https or loopback).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecureCookies(pub bool);

pub fn incident_port() -> Result<SharedIncidentPort, ApiError> {
    leptos::prelude::use_context::<SharedIncidentPort>().ok_or(ApiError::Internal)
}

pub fn account_port() -> Result<SharedAccountPort, ApiError> {
    leptos::prelude::use_context::<SharedAccountPort>().ok_or(ApiError::Internal)
}

pub fn postmortem_port() -> Result<SharedPostmortemPort, ApiError> {
    leptos::prelude::use_context::<SharedPostmortemPort>().ok_or(ApiError::Internal)
}

pub fn action_port() -> Result<SharedActionPort, ApiError> {
    leptos::prelude::use_context::<SharedActionPort>().ok_or(ApiError::Internal)
}

pub fn insight_port() -> Result<SharedInsightPort, ApiError> {
    leptos::prelude::use_context::<SharedInsightPort>().ok_or(ApiError::Internal)
}

pub fn integration_port() -> Result<SharedIntegrationPort, ApiError> {
    leptos::prelude::use_context::<SharedIntegrationPort>().ok_or(ApiError::Internal)
}

pub fn webhook_port() -> Result<SharedWebhookPort, ApiError> {
    leptos::prelude::use_context::<SharedWebhookPort>().ok_or(ApiError::Internal)
}

/// The caller of this request, through the browser's door.
pub fn browser_actor() -> Actor {
    let caller = leptos::prelude::use_context::<Caller>().unwrap_or_default();
    Actor::new(caller, Channel::Browser)
}
