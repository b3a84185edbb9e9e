//! One page per file.
mod incident_list;
mod incident_page;
mod new_incident;
mod not_found;

pub use incident_list::IncidentListPage;
pub use incident_page::IncidentPage;
pub use new_incident::NewIncidentPage;
pub use not_found::NotFoundPage;
