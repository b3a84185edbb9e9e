//! Timeline use-cases: add and edit entries.
use app::domain::{EntryKind, Role, parse_markdown, parse_timestamp};
use app::model::{TimelineEdit, TimelineEntry, TimelineInput};
use app::port::Actor;

use super::problems::Problems;
use super::{IncidentService, ServiceError, now, render_markdown_safely};
use crate::store::{EntryWrite, StoreError};

fn parse_kind(p: &mut Problems, text: Option<&str>) -> Option<EntryKind> {
    let kind = p.check("kind", EntryKind::parse(text.unwrap_or_default()))?;
    if kind == EntryKind::StatusChange {
        p.add("kind", "status_change entries are written by Firebreak when the status changes: change the status instead");
        return None;
    }
    Some(kind)
}

fn parse_body(p: &mut Problems, text: &str) -> Option<String> {
    let body = p.check("body", parse_markdown(text))?;
    if body.trim().is_empty() {
        p.add("body", "must not be empty");
        return None;
    }
    Some(body)
}

impl IncidentService {
    pub async fn add_entry(
        &self,
        id: &str,
        input: TimelineInput,
        actor: &Actor,
    ) -> Result<TimelineEntry, ServiceError> {
        super::access::require(actor, Role::Responder)?;
        let incident_id = self.existing(id).await?;
        let now = now();
        let mut p = Problems::default();
        let kind = parse_kind(&mut p, input.kind.as_deref());
        let body = parse_body(&mut p, &input.body);
        let occurred_at = p
            .check(
                "occurred_at",
                parse_timestamp(input.occurred_at.as_deref(), now),
            )
            .flatten()
            .unwrap_or(now);
        let (author, author_id) = super::access::author(actor);
        p.finish()?;
        let (Some(kind), Some(body_md)) = (kind, body) else {
            return Err(ServiceError::Internal(
                "validated entry fields missing".into(),
            ));
        };
        let body_html = render_markdown_safely("body", body_md.clone()).await?;
        let entry = EntryWrite {
            occurred_at,
            kind,
            body_md,
            body_html,
            author,
            author_id,
        };
        let audit = super::access::audit(actor, "timeline.add", entry_changes(None, &entry));
        Ok(self
            .store
            .insert_timeline_entry(incident_id, &entry, now, &audit)
            .await?)
    }

    pub async fn edit_entry(
        &self,
        id: &str,
        entry_id: i64,
        edit: TimelineEdit,
        actor: &Actor,
    ) -> Result<TimelineEntry, ServiceError> {
        super::access::require(actor, Role::Responder)?;
        let incident_id = self.incident_id(id)?;
        let not_found =
            || ServiceError::NotFound(format!("timeline entry {entry_id} of INC-{incident_id}"));
        let current = self
            .store
            .timeline_entry(entry_id)
            .await?
            .filter(|e| e.incident_id == incident_id)
            .ok_or_else(not_found)?;
        if edit.version != current.version {
            return Err(entry_conflict(&current, &edit));
        }
        let now = now();
        let mut p = Problems::default();
        let kind = match edit.kind.as_deref() {
            Some(k) if EntryKind::parse(k) == Ok(current.kind) => Some(current.kind),
            Some(k) => parse_kind(&mut p, Some(k)),
            None => Some(current.kind),
        };
        let body = match &edit.body {
            Some(b) => parse_body(&mut p, b),
            None => Some(current.body.clone()),
        };
        let occurred_at = match &edit.occurred_at {
            Some(t) => p
                .check("occurred_at", parse_timestamp(Some(t), now))
                .flatten()
                .or(Some(current.occurred_at)),
            None => Some(current.occurred_at),
        };
        p.finish()?;
        let (Some(kind), Some(body_md), Some(occurred_at)) = (kind, body, occurred_at) else {
            return Err(ServiceError::Internal(
                "validated entry fields missing".into(),
            ));
        };
        let body_html = if body_md == current.body {
            current.body_html.clone()
        } else {
            render_markdown_safely("body", body_md.clone()).await?
        };
        let entry = EntryWrite {
            occurred_at,
            kind,
            body_md,
            body_html,
            author: current.author.clone(),
            author_id: None,
        };
        let mut changes = vec![super::audit_diff::change(
            "entry",
            None,
            Some(entry_id.to_string()),
        )];
        changes.extend(entry_changes(Some(&current), &entry));
        let audit = super::access::audit(actor, "timeline.edit", changes);
        match self
            .store
            .update_timeline_entry(entry_id, edit.version, &entry, now, &audit)
            .await
        {
            Err(StoreError::VersionConflict) => {
                let fresh = self
                    .store
                    .timeline_entry(entry_id)
                    .await?
                    .ok_or_else(not_found)?;
                Err(entry_conflict(&fresh, &edit))
            }
            other => Ok(other?),
        }
    }
}

fn entry_conflict(current: &TimelineEntry, edit: &TimelineEdit) -> ServiceError {
    let mut changes = Vec::new();
    if let Some(body) = edit.body.as_ref().filter(|b| b.trim_end() != current.body) {
        changes.push(app::error::FieldChange {
            field: "body".into(),
            current: current.body.clone(),
            yours: body.clone(),
        });
    }
    if let Some(kind) = edit
        .kind
        .as_ref()
        .filter(|k| k.as_str() != current.kind.as_str())
    {
        changes.push(app::error::FieldChange {
            field: "kind".into(),
            current: current.kind.as_str().into(),
            yours: kind.clone(),
        });
    }
    ServiceError::Conflict {
        current_version: current.version,
        changes,
    }
}

/// The entry's fields that changed, for the audit log.
fn entry_changes(
    before: Option<&TimelineEntry>,
    after: &EntryWrite,
) -> Vec<app::model::AuditChange> {
    use super::audit_diff::diff_fields;
    let fields = |kind: &str, body: &str, at: String| {
        vec![
            ("kind", Some(kind.to_string())),
            ("body", Some(body.to_string())),
            ("occurred_at", Some(at)),
        ]
    };
    let old = before.map(|e| fields(e.kind.as_str(), &e.body, e.occurred_at.to_rfc3339()));
    let new = fields(
        after.kind.as_str(),
        &after.body_md,
        after.occurred_at.to_rfc3339(),
    );
    diff_fields(old, new)
}
