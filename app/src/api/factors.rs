use leptos::prelude::*;

use crate::error::ApiError;
use crate::model::{Factor, FactorInput, FactorRemoval, IncidentFactor, TaxonomyChange};

#[server(prefix = "/api/fn", endpoint = "add_factor")]
pub async fn add_factor(factor: FactorInput) -> Result<Vec<IncidentFactor>, ApiError> {
    use crate::port::{browser_actor, postmortem_port};
    postmortem_port()?
        .add_factor(&browser_actor(), factor)
        .await
}

#[server(prefix = "/api/fn", endpoint = "remove_factor")]
pub async fn remove_factor(removal: FactorRemoval) -> Result<Vec<IncidentFactor>, ApiError> {
    use crate::port::{browser_actor, postmortem_port};
    postmortem_port()?
        .remove_factor(&browser_actor(), removal)
        .await
}

#[server(prefix = "/api/fn", endpoint = "list_taxonomy")]
pub async fn list_taxonomy() -> Result<Vec<Factor>, ApiError> {
    use crate::port::{browser_actor, postmortem_port};
    postmortem_port()?.taxonomy(&browser_actor()).await
}

#[server(prefix = "/api/fn", endpoint = "change_taxonomy")]
pub async fn change_taxonomy(change: TaxonomyChange) -> Result<Factor, ApiError> {
    use crate::port::{browser_actor, postmortem_port};
    postmortem_port()?
        .change_taxonomy(&browser_actor(), change)
        .await
}
