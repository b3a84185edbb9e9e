use leptos::prelude::*;

use crate::error::ApiError;
use crate::model::{ChecklistTick, CommentInput, Postmortem, StatusMove, ThreadResolve};

#[server(prefix = "/api/fn", endpoint = "move_postmortem")]
pub async fn move_postmortem(change: StatusMove) -> Result<Postmortem, ApiError> {
    use crate::port::{browser_actor, postmortem_port};
    postmortem_port()?
        .move_postmortem(&browser_actor(), change)
        .await
}

#[server(prefix = "/api/fn", endpoint = "tick_checklist")]
pub async fn tick_checklist(tick: ChecklistTick) -> Result<Postmortem, ApiError> {
    use crate::port::{browser_actor, postmortem_port};
    postmortem_port()?
        .tick_checklist(&browser_actor(), tick)
        .await
}

#[server(prefix = "/api/fn", endpoint = "add_review_comment")]
pub async fn add_review_comment(comment: CommentInput) -> Result<Postmortem, ApiError> {
    use crate::port::{browser_actor, postmortem_port};
    postmortem_port()?.comment(&browser_actor(), comment).await
}

#[server(prefix = "/api/fn", endpoint = "resolve_review_thread")]
pub async fn resolve_review_thread(resolve: ThreadResolve) -> Result<Postmortem, ApiError> {
    use crate::port::{browser_actor, postmortem_port};
    postmortem_port()?
        .resolve_thread(&browser_actor(), resolve)
        .await
}
