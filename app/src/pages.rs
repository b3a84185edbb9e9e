//! One page per file.
mod admin;
mod incident_list;
mod incident_page;
mod invite;
mod login;
mod new_incident;
mod not_found;
mod postmortem;
mod postmortem_list;
mod postmortem_print;
mod profile;
mod search;
mod section_history;

pub use admin::{AuditPage, FactorsPage, SettingsPage, TemplatesPage, UsersPage};
pub use incident_list::IncidentListPage;
pub use incident_page::IncidentPage;
pub use invite::InvitePage;
pub use login::LoginPage;
pub use new_incident::NewIncidentPage;
pub use not_found::NotFoundPage;
pub use postmortem::PostmortemPage;
pub use postmortem_list::PostmortemListPage;
pub use postmortem_print::PostmortemPrintPage;
pub use profile::ProfilePage;
pub use search::SearchPage;
pub use section_history::SectionHistoryPage;
