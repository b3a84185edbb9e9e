use leptos::prelude::*;

use crate::error::ApiError;
use crate::model::{SearchQuery, SearchResults, SimilarIncidents};

#[server(prefix = "/api/fn", endpoint = "search_incidents")]
pub async fn search_incidents(query: SearchQuery) -> Result<SearchResults, ApiError> {
    use crate::port::{browser_actor, incident_port};
    incident_port()?.search(&browser_actor(), query).await
}

#[server(prefix = "/api/fn", endpoint = "similar_incidents")]
pub async fn get_similar_incidents(id: String, limit: i64) -> Result<SimilarIncidents, ApiError> {
    use crate::port::{browser_actor, incident_port};
    incident_port()?.similar(&browser_actor(), &id, limit).await
}

/// Past incidents like a draft's title and summary, while it is being declared.
#[server(prefix = "/api/fn", endpoint = "similar_to_draft")]
pub async fn similar_to_draft(text: String) -> Result<SimilarIncidents, ApiError> {
    use crate::port::{browser_actor, incident_port};
    incident_port()?
        .similar_to_text(&browser_actor(), &text, 5)
        .await
}
