//! Wire types: what server functions and the REST API send and receive.
//! Views carry validated data; inputs carry raw text for the service to parse.
mod account;
mod action_item;
mod audit;
mod factor;
mod incident;
mod input;
mod insights;
mod integration;
mod live;
mod postmortem;
mod query;
mod search;
mod timeline;
mod webhook;

pub use account::{
    ApiTokenInfo, Caller, Credentials, CurrentUser, Invitation, InviteInput, NewApiToken,
    PasswordChange, Profile, Settings, UserChange, UserRef, UserSummary,
};
pub use action_item::{
    ActionAdmin, ActionBoard, ActionEvent, ActionInput, ActionItem, ActionPatch, ActionPolicy,
    ActionPolicyInput, ActionQuery, ActionStats, OverdueItem, ServiceTeam, TeamInput,
};
pub use audit::{AuditChange, AuditPage, AuditQuery, AuditRow};
pub use factor::{Factor, FactorInput, FactorRemoval, IncidentFactor, TaxonomyChange};
pub use incident::{Incident, IncidentDetail, IncidentLink};
pub use input::{IncidentInput, IncidentPatch, TimelineEdit, TimelineInput};
pub use insights::{
    ActionMonth, IncidentBrief, Insights, InsightsQuery, MetricSummary, MonthCounts, MonthMedian,
    RankedCause, RecurringCauses, RepeatGroup, SimilarCluster, WeeklyDigest,
};
pub use integration::{
    IntegrationAdmin, IntegrationChange, IntegrationInput, IntegrationKind, IntegrationSaved,
    IntegrationView,
};
pub use live::{Editor, LiveEvent, PresenceBeat};
pub use postmortem::{
    ChecklistItem, ChecklistTick, CommentInput, DiffKind, DiffLine, Postmortem, PostmortemQuery,
    PostmortemSection, PostmortemSummary, PostmortemView, ReviewComment, ReviewThread,
    RevisionRestore, SectionHistory, SectionRevision, SectionSave, StartPostmortem, StatusMove,
    TemplateAdmin, TemplateChoice, TemplateDefaults, TemplateSave, TemplateView, ThreadResolve,
};
pub use query::{
    DEFAULT_PAGE_SIZE, DEFAULT_SORT, IncidentPage, IncidentQuery, ListCounts, MAX_PAGE_SIZE,
    encode as encode_query_value,
};
pub use search::{
    FacetCount, SearchFacets, SearchHit, SearchQuery, SearchResults, SimilarHit, SimilarIncidents,
};
pub use timeline::TimelineEntry;
pub use webhook::{
    DeliveryRetry, WebhookDelivery, WebhookDetail, WebhookEndpoint, WebhookSave, WebhookTest,
};
