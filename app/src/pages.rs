//! One page per file.
mod action_board;
mod admin;
mod digest;
mod incident_list;
mod incident_page;
mod insights;
mod invite;
mod login;
mod new_incident;
mod not_found;
mod postmortem;
mod postmortem_list;
mod postmortem_print;
mod profile;
mod recurring;
mod search;
mod section_history;

pub use action_board::ActionBoardPage;
pub use admin::{
    ActionPolicyPage, AuditPage, FactorsPage, IntegrationsPage, SettingsPage, TemplatesPage,
    UsersPage, WebhookPage, WebhooksPage,
};
pub use digest::DigestPage;
pub use incident_list::IncidentListPage;
pub use incident_page::IncidentPage;
pub use insights::InsightsPage;
pub use invite::InvitePage;
pub use login::LoginPage;
pub use new_incident::NewIncidentPage;
pub use not_found::NotFoundPage;
pub use postmortem::PostmortemPage;
pub use postmortem_list::PostmortemListPage;
pub use postmortem_print::PostmortemPrintPage;
pub use profile::ProfilePage;
pub use recurring::RecurringCausesPage;
pub use search::SearchPage;
pub use section_history::SectionHistoryPage;
