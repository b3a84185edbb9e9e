//! Server functions, one resource per file. Each is thin: it turns a form
//! into an input, calls a port with the request's actor, and (for plain
//! form posts) redirects. Endpoints live under `/api/fn/` with stable names.
//! Signing in and out, and changing a password, are plain form posts to
//! `server/src/http/session_routes.rs`, because they set the session cookie.
mod account;
mod actions;
mod admin;
mod factors;
mod forms;
mod incidents;
mod insights;
mod integrations;
mod postmortems;
mod reviews;
mod search;
mod session;
mod templates;
mod theme;
mod timeline;
mod webhooks;

pub use account::{
    CreateApiToken, MyProfile, RevokeApiToken, create_api_token, my_profile, revoke_api_token,
};
pub use actions::{
    ChangeActionPolicy, CreateAction, GetActionAdmin, GetActionBoard, IncidentActions,
    OverdueBadge, SetServiceTeam, UpdateAction, change_action_policy, create_action,
    get_action_admin, get_action_board, incident_actions, overdue_badge, set_service_team,
    update_action,
};
pub use admin::{
    ChangeSettings, ChangeUser, GetInvitation, GetSettings, InviteUser, ListAudit, ListUsers,
    change_settings, change_user, get_invitation, get_settings, invite_user, list_audit,
    list_users,
};
pub use factors::{
    AddFactor, ChangeTaxonomy, ListTaxonomy, RemoveFactor, add_factor, change_taxonomy,
    list_taxonomy, remove_factor,
};
pub use forms::{EditIncidentForm, NewIncidentForm, StatusForm, TimelineEditForm, TimelineForm};
pub use incidents::{
    ChangeStatus, CreateIncident, GetIncident, ListIncidents, UpdateIncident, change_status,
    create_incident, get_incident, list_incidents, update_incident,
};
pub use insights::{
    GetInsights, GetRecurringCauses, GetWeeklyDigest, get_insights, get_recurring_causes,
    get_weekly_digest,
};
pub use integrations::{
    ChangeIntegration, CreateIntegration, GetIntegrations, change_integration, create_integration,
    get_integrations,
};
pub use postmortems::{
    BeginPostmortem, GetPostmortem, GetSectionHistory, ListPostmortems, PostmortemPresence,
    RestoreRevision, SaveSection, begin_postmortem, get_postmortem, get_section_history,
    list_postmortems, postmortem_presence, restore_revision, save_section,
};
pub use reviews::{
    AddReviewComment, MovePostmortem, ResolveReviewThread, TickChecklist, add_review_comment,
    move_postmortem, resolve_review_thread, tick_checklist,
};
pub use search::{
    GetSimilarIncidents, SearchIncidents, SimilarToDraft, get_similar_incidents, search_incidents,
    similar_to_draft,
};
pub use session::{ListPeople, Whoami, list_people, whoami};
pub use templates::{
    GetTemplates, SaveTemplate, SetTemplateDefaults, get_templates, save_template,
    set_template_defaults,
};
pub use theme::{SetTheme, set_theme};
pub use timeline::{AddTimelineEntry, EditTimelineEntry, add_timeline_entry, edit_timeline_entry};
pub use webhooks::{
    GetWebhook, ListWebhooks, RetryWebhookDelivery, SaveWebhook, TestWebhook, get_webhook,
    list_webhooks, retry_webhook_delivery, save_webhook, test_webhook,
};
