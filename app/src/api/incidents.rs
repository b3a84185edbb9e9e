use leptos::prelude::*;

use super::forms::{EditIncidentForm, NewIncidentForm, StatusForm};
use crate::error::ApiError;
use crate::model::{Incident, IncidentDetail, IncidentPage, IncidentQuery};

#[server(prefix = "/api/fn", endpoint = "list_incidents")]
pub async fn list_incidents(query: IncidentQuery) -> Result<IncidentPage, ApiError> {
    use crate::port::{browser_actor, incident_port};
    incident_port()?
        .list_incidents(&browser_actor(), query)
        .await
}

#[server(prefix = "/api/fn", endpoint = "get_incident")]
pub async fn get_incident(id: String) -> Result<IncidentDetail, ApiError> {
    use crate::port::{browser_actor, incident_port};
    incident_port()?
        .incident_detail(&browser_actor(), &id)
        .await
}

#[server(prefix = "/api/fn", endpoint = "create_incident")]
pub async fn create_incident(form: NewIncidentForm) -> Result<Incident, ApiError> {
    use crate::port::{browser_actor, incident_port};
    let incident = incident_port()?
        .create_incident(&browser_actor(), form.into())
        .await?;
    leptos_axum::redirect(&format!("/incidents/{}", incident.human_id));
    Ok(incident)
}

#[server(prefix = "/api/fn", endpoint = "update_incident")]
pub async fn update_incident(form: EditIncidentForm) -> Result<Incident, ApiError> {
    use crate::port::{browser_actor, incident_port};
    let id = form.id.clone();
    incident_port()?
        .update_incident(&browser_actor(), &id, form.into())
        .await
}

#[server(prefix = "/api/fn", endpoint = "change_status")]
pub async fn change_status(form: StatusForm) -> Result<Incident, ApiError> {
    use crate::port::{browser_actor, incident_port};
    let id = form.id.clone();
    incident_port()?
        .update_incident(&browser_actor(), &id, form.into())
        .await
}
