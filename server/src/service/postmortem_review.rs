//! Reviewing a postmortem: comment threads on sections, the reviewer
//! checklist, and the moves draft → in review → published (and reopening).
//! Publishing needs every checklist item ticked and no open thread.
use app::domain::{PostmortemStatus, Role, check_status_move, checklist_label, parse_markdown};
use app::error::FieldChange;
use app::model::{ChecklistTick, CommentInput, Postmortem, StatusMove, ThreadResolve};
use app::port::Actor;

use super::audit_diff::change;
use super::problems::Problems;
use super::{IncidentService, ServiceError, access, now, render_markdown_safely};
use crate::store::{CommentWrite, StoreError};

impl IncidentService {
    /// The postmortem of `incident`, for a reviewer's change: it must exist
    /// and not be published (published is read-only until reopened).
    async fn reviewable(&self, incident: &str, actor: &Actor) -> Result<Postmortem, ServiceError> {
        access::require(actor, Role::Responder)?;
        let postmortem = self.postmortem_of(self.incident_id(incident)?).await?;
        if postmortem.status.is_published() {
            return Err(ServiceError::Forbidden(
                "a published postmortem is read-only until it is reopened".into(),
            ));
        }
        Ok(postmortem)
    }

    pub async fn move_postmortem(
        &self,
        input: StatusMove,
        actor: &Actor,
    ) -> Result<Postmortem, ServiceError> {
        access::require(actor, Role::Responder)?;
        let incident_id = self.incident_id(&input.incident)?;
        let current = self.postmortem_of(incident_id).await?;
        let to = PostmortemStatus::parse(&input.status)
            .map_err(|m| ServiceError::invalid("status", m))?;
        check_status_move(current.status, to).map_err(|m| ServiceError::invalid("status", m))?;
        let stale = ServiceError::Conflict {
            current_version: current.version,
            changes: vec![FieldChange {
                field: "status".into(),
                current: current.status.label().into(),
                yours: to.label().into(),
            }],
        };
        if input.version != current.version {
            return Err(stale);
        }
        if to == PostmortemStatus::Published {
            let mut p = Problems::default();
            let done = current.checklist.iter().filter(|i| i.checked).count();
            if !current.checklist_done() {
                p.add(
                    "checklist",
                    format!(
                        "tick every review item first ({done} of {} done)",
                        current.checklist.len()
                    ),
                );
            }
            if current.open_threads() > 0 {
                p.add(
                    "threads",
                    format!(
                        "resolve the open comment threads first ({} open)",
                        current.open_threads()
                    ),
                );
            }
            p.finish()?;
        }
        if to == PostmortemStatus::Complete {
            self.check_can_complete(incident_id).await?;
        }
        let action = match current.status {
            PostmortemStatus::Published | PostmortemStatus::Complete if !to.is_published() => {
                "postmortem.reopen"
            }
            _ => "postmortem.status",
        };
        let diff = change(
            "status",
            Some(current.status.as_str().into()),
            Some(to.as_str().into()),
        );
        let audit = access::audit(actor, action, vec![diff]);
        match self
            .store
            .set_postmortem_status(current.id, input.version, to, now(), &audit)
            .await
        {
            Err(StoreError::VersionConflict) => Err(stale),
            other => other.map_err(ServiceError::from),
        }?;
        self.postmortem_of(incident_id).await
    }

    pub async fn tick_checklist(
        &self,
        input: ChecklistTick,
        actor: &Actor,
    ) -> Result<Postmortem, ServiceError> {
        let postmortem = self.reviewable(&input.incident, actor).await?;
        if checklist_label(&input.item).is_none() {
            return Err(ServiceError::invalid(
                "item",
                "is not an item of the review checklist",
            ));
        }
        let (by, _) = access::author(actor);
        let ticked = input.checked.is_some();
        let by = ticked.then(|| by.unwrap_or_else(|| "system".into()));
        let diff = change(
            &format!("checklist:{}", input.item),
            None,
            Some(ticked.to_string()),
        );
        let audit = access::audit(actor, "postmortem.checklist", vec![diff]);
        self.store
            .set_checklist_item(postmortem.id, &input.item, by.as_deref(), now(), &audit)
            .await?;
        self.postmortem_of(postmortem.incident.id).await
    }

    /// A comment opening a thread on a section, or a reply in a thread.
    pub async fn comment(
        &self,
        input: CommentInput,
        actor: &Actor,
    ) -> Result<Postmortem, ServiceError> {
        let postmortem = self.reviewable(&input.incident, actor).await?;
        let body = parse_markdown(&input.body).map_err(|m| ServiceError::invalid("body", m))?;
        if body.trim().is_empty() {
            return Err(ServiceError::invalid(
                "body",
                "is required: write the comment",
            ));
        }
        let (author, author_id) = access::author(actor);
        let comment = CommentWrite {
            body_html: render_markdown_safely("body", body.clone()).await?,
            body_md: body.clone(),
            author,
            author_id,
        };
        let audit = access::audit(
            actor,
            "postmortem.comment",
            vec![change("comment", None, Some(body))],
        );
        match input.thread {
            Some(thread) => self
                .store
                .add_comment(postmortem.id, thread, &comment, now(), &audit)
                .await
                .map_err(|e| match e {
                    StoreError::NotFound => {
                        ServiceError::NotFound(format!("comment thread {thread}"))
                    }
                    other => other.into(),
                })?,
            None => {
                Self::section(&postmortem, &input.section)?;
                self.store
                    .add_thread(postmortem.id, &input.section, &comment, now(), &audit)
                    .await?;
            }
        }
        self.postmortem_of(postmortem.incident.id).await
    }

    pub async fn resolve_thread(
        &self,
        input: ThreadResolve,
        actor: &Actor,
    ) -> Result<Postmortem, ServiceError> {
        let postmortem = self.reviewable(&input.incident, actor).await?;
        let (by, _) = access::author(actor);
        let resolving = input.reopen.is_none();
        let by = resolving.then(|| by.unwrap_or_else(|| "system".into()));
        let diff = change(
            &format!("thread:{}", input.thread),
            None,
            Some(if resolving { "resolved" } else { "open" }.into()),
        );
        let audit = access::audit(actor, "postmortem.thread", vec![diff]);
        let stored = self
            .store
            .resolve_thread(
                postmortem.id,
                input.thread,
                input.version,
                by.as_deref(),
                now(),
                &audit,
            )
            .await;
        match stored {
            Err(StoreError::VersionConflict) => {
                let current = postmortem
                    .threads
                    .iter()
                    .find(|t| t.id == input.thread)
                    .map(|t| t.version)
                    .unwrap_or_default();
                Err(ServiceError::Conflict {
                    current_version: current,
                    changes: Vec::new(),
                })
            }
            Err(StoreError::NotFound) => Err(ServiceError::NotFound(format!(
                "comment thread {}",
                input.thread
            ))),
            other => other.map_err(ServiceError::from),
        }?;
        self.postmortem_of(postmortem.incident.id).await
    }
}
