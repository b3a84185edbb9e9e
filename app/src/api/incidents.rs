use leptos::prelude::*;

use super::forms::{EditIncidentForm, NewIncidentForm, StatusForm};
use crate::error::ApiError;
use crate::model::{Incident, IncidentDetail, IncidentPage, IncidentQuery};

#[server(prefix = "/api/fn", endpoint = "list_incidents")]
pub async fn list_incidents(query: IncidentQuery) -> Result<IncidentPage, ApiError> {
    crate::port::incident_port()?.list_incidents(query).await
}

#[server(prefix = "/api/fn", endpoint = "get_incident")]
pub async fn get_incident(id: String) -> Result<IncidentDetail, ApiError> {
    crate::port::incident_port()?.incident_detail(&id).await
}

#[server(prefix = "/api/fn", endpoint = "create_incident")]
pub async fn create_incident(form: NewIncidentForm) -> Result<Incident, ApiError> {
    use crate::port::Channel;
    let incident = crate::port::incident_port()?
        .create_incident(form.into(), Channel::Browser)
        .await?;
    leptos_axum::redirect(&format!("/incidents/{}", incident.human_id));
    Ok(incident)
}

#[server(prefix = "/api/fn", endpoint = "update_incident")]
pub async fn update_incident(form: EditIncidentForm) -> Result<Incident, ApiError> {
    use crate::port::Channel;
    let id = form.id.clone();
    crate::port::incident_port()?
        .update_incident(&id, form.into(), Channel::Browser)
        .await
}

#[server(prefix = "/api/fn", endpoint = "change_status")]
pub async fn change_status(form: StatusForm) -> Result<Incident, ApiError> {
    use crate::port::Channel;
    let id = form.id.clone();
    crate::port::incident_port()?
        .update_incident(&id, form.into(), Channel::Browser)
        .await
}
