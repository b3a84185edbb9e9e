//! Wire types: what server functions and the REST API send and receive.
//! Views carry validated data; inputs carry raw text for the service to parse.
mod incident;
mod input;
mod query;
mod timeline;

pub use incident::{Incident, IncidentDetail, IncidentLink};
pub use input::{IncidentInput, IncidentPatch, TimelineEdit, TimelineInput};
pub use query::{
    DEFAULT_PAGE_SIZE, DEFAULT_SORT, IncidentPage, IncidentQuery, ListCounts, MAX_PAGE_SIZE,
};
pub use timeline::TimelineEntry;
