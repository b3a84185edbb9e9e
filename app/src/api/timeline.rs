use leptos::prelude::*;

use super::forms::{TimelineEditForm, TimelineForm};
use crate::error::ApiError;
use crate::model::TimelineEntry;

#[server(prefix = "/api/fn", endpoint = "add_timeline_entry")]
pub async fn add_timeline_entry(form: TimelineForm) -> Result<TimelineEntry, ApiError> {
    use crate::port::{browser_actor, incident_port};
    let id = form.id.clone();
    incident_port()?
        .add_timeline_entry(&browser_actor(), &id, form.into())
        .await
}

#[server(prefix = "/api/fn", endpoint = "edit_timeline_entry")]
pub async fn edit_timeline_entry(form: TimelineEditForm) -> Result<TimelineEntry, ApiError> {
    use crate::port::{browser_actor, incident_port};
    let (id, entry_id) = (form.id.clone(), form.entry_id);
    incident_port()?
        .edit_timeline_entry(&browser_actor(), &id, entry_id, form.into())
        .await
}
