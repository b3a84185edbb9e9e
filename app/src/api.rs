//! Server functions, one resource per file. Each is thin: it turns a form
//! into an input, calls the port, and (for plain form posts) redirects.
//! Endpoints live under `/api/fn/` with stable names.
mod forms;
mod incidents;
mod theme;
mod timeline;

pub use forms::{EditIncidentForm, NewIncidentForm, StatusForm, TimelineEditForm, TimelineForm};
pub use incidents::{
    ChangeStatus, CreateIncident, GetIncident, ListIncidents, UpdateIncident, change_status,
    create_incident, get_incident, list_incidents, update_incident,
};
pub use theme::{SetTheme, set_theme};
pub use timeline::{AddTimelineEntry, EditTimelineEntry, add_timeline_entry, edit_timeline_entry};
