use leptos::prelude::*;

use crate::error::ApiError;
use crate::model::{
    Postmortem, PostmortemQuery, PostmortemSection, PostmortemSummary, PostmortemView,
    PresenceBeat, RevisionRestore, SectionHistory, SectionSave, StartPostmortem,
};

#[server(prefix = "/api/fn", endpoint = "get_postmortem")]
pub async fn get_postmortem(id: String) -> Result<PostmortemView, ApiError> {
    use crate::port::{browser_actor, postmortem_port};
    postmortem_port()?.postmortem(&browser_actor(), &id).await
}

#[server(prefix = "/api/fn", endpoint = "begin_postmortem")]
pub async fn begin_postmortem(start: StartPostmortem) -> Result<Postmortem, ApiError> {
    use crate::port::{browser_actor, postmortem_port};
    postmortem_port()?
        .start_postmortem(&browser_actor(), start)
        .await
}

#[server(prefix = "/api/fn", endpoint = "save_section")]
pub async fn save_section(save: SectionSave) -> Result<PostmortemSection, ApiError> {
    use crate::port::{browser_actor, postmortem_port};
    postmortem_port()?
        .save_section(&browser_actor(), save)
        .await
}

#[server(prefix = "/api/fn", endpoint = "get_section_history")]
pub async fn get_section_history(id: String, key: String) -> Result<SectionHistory, ApiError> {
    use crate::port::{browser_actor, postmortem_port};
    postmortem_port()?
        .section_history(&browser_actor(), &id, &key)
        .await
}

#[server(prefix = "/api/fn", endpoint = "restore_revision")]
pub async fn restore_revision(restore: RevisionRestore) -> Result<PostmortemSection, ApiError> {
    use crate::port::{browser_actor, postmortem_port};
    let back_to = format!(
        "/incidents/{}/postmortem#section-{}",
        restore.incident, restore.key
    );
    let section = postmortem_port()?
        .restore_revision(&browser_actor(), restore)
        .await?;
    leptos_axum::redirect(&back_to);
    Ok(section)
}

#[server(prefix = "/api/fn", endpoint = "postmortem_presence")]
pub async fn postmortem_presence(beat: PresenceBeat) -> Result<(), ApiError> {
    use crate::port::{browser_actor, postmortem_port};
    postmortem_port()?.presence(&browser_actor(), beat).await
}

#[server(prefix = "/api/fn", endpoint = "list_postmortems")]
pub async fn list_postmortems(query: PostmortemQuery) -> Result<Vec<PostmortemSummary>, ApiError> {
    use crate::port::{browser_actor, postmortem_port};
    postmortem_port()?
        .postmortems(&browser_actor(), query)
        .await
}
