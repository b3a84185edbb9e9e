//! Small reusable views.
mod action_error;
mod badges;
mod edit_incident_form;
mod facts;
mod header;
mod history;
mod markdown_field;
mod people_list;
mod shortcuts;
mod status_form;
mod textarea_text;
mod timeline;

pub use action_error::{ActionError, ErrorPanel};
pub use badges::{SeverityBadge, StatusBadge};
pub use edit_incident_form::EditIncidentDetails;
pub use facts::FactsStrip;
pub use header::{CurrentUserResource, SiteHeader};
pub use history::{AuditEntry, IncidentHistory};
pub use markdown_field::MarkdownField;
pub use people_list::PeopleList;
pub use shortcuts::{KeyboardShortcuts, ShortcutHelp};
pub use status_form::StatusChangeForm;
pub use textarea_text::textarea_text;
pub use timeline::Timeline;
