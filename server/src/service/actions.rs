//! Action items: created on an incident or in its postmortem, changed with
//! a version (a stale save is a conflict), every status change kept. A
//! published postmortem becomes complete when its last item closes.
use app::domain::{ActionKind, ActionStatus, PostmortemStatus, Priority, Role, parse_title};
use app::error::FieldChange;
use app::model::{ActionInput, ActionItem, ActionPatch};
use app::port::Actor;
use chrono::{Duration, NaiveDate};

use super::action_fields::{
    or_default, parse_description, parse_due_on, parse_owner, parse_status_and_reason,
    parse_tracker_url,
};
use super::audit_diff::change;
use super::problems::Problems;
use super::{IncidentService, ServiceError, access, now};
use crate::store::{ActionWrite, ChangedBy, StoreError};

pub(super) fn today() -> NaiveDate {
    now().date_naive()
}

fn changed_by(actor: &Actor) -> ChangedBy {
    let (name, id) = access::author(actor);
    ChangedBy { name, id }
}

/// What a stale patch would have changed, beside what is there now.
fn conflict(current: &ActionItem, patch: &ActionPatch) -> ServiceError {
    let owner = current.owner.as_ref().map(|o| o.email.clone());
    let pairs = [
        ("title", Some(current.title.clone()), &patch.title),
        (
            "description",
            Some(current.description.clone()),
            &patch.description,
        ),
        ("owner", owner, &patch.owner),
        (
            "due_on",
            current.due_on.map(|d| d.to_string()),
            &patch.due_on,
        ),
        (
            "status",
            Some(current.status.as_str().into()),
            &patch.status,
        ),
        ("reason", current.reason.clone(), &patch.reason),
        (
            "tracker_url",
            current.tracker_url.clone(),
            &patch.tracker_url,
        ),
    ];
    let changes = pairs
        .into_iter()
        .filter_map(|(field, now_is, yours)| {
            let yours = yours.as_ref()?;
            let now_is = now_is.unwrap_or_default();
            (now_is.trim() != yours.trim()).then(|| FieldChange {
                field: field.into(),
                current: now_is,
                yours: yours.clone(),
            })
        })
        .collect();
    ServiceError::Conflict {
        current_version: current.version,
        changes,
    }
}

impl IncidentService {
    pub(super) async fn action_of(&self, id: i64) -> Result<ActionItem, ServiceError> {
        self.store
            .action(id, today())
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("action item {id}")))
    }

    pub async fn action(&self, id: i64, actor: &Actor) -> Result<ActionItem, ServiceError> {
        access::require_reader(self.store.as_ref(), actor).await?;
        self.action_of(id).await
    }

    pub async fn create_action(
        &self,
        input: ActionInput,
        actor: &Actor,
    ) -> Result<ActionItem, ServiceError> {
        access::require(actor, Role::Responder)?;
        let incident = self.load(self.incident_id(&input.incident)?).await?;
        let policy = self.store.action_policy().await?;
        let people = self.people().await?;
        let section_key = self
            .action_section(incident.id, input.section_key.as_deref())
            .await?;
        let mut p = Problems::default();
        let title = p.check("title", parse_title(&input.title));
        let description = p.check("description", parse_description(&input.description));
        let owner_id = p.check("owner", parse_owner(&input.owner, &people));
        let default_due = today() + Duration::days(policy.due_days.for_severity(incident.severity));
        let due_on = p
            .check("due_on", parse_due_on(&input.due_on))
            .map(|d| d.unwrap_or(default_due));
        let priority = or_default(
            &mut p,
            "priority",
            &input.priority,
            Priority::Medium,
            Priority::parse,
        );
        let kind = or_default(
            &mut p,
            "kind",
            &input.kind,
            ActionKind::Prevent,
            ActionKind::parse,
        );
        let tracker_url = p.check("tracker_url", parse_tracker_url(&input.tracker_url));
        p.finish()?;
        let (Some(title), Some(description), Some(owner_id), Some(due_on)) =
            (title, description, owner_id, due_on)
        else {
            return Err(ServiceError::Internal(
                "validated action item missing".into(),
            ));
        };
        let write = ActionWrite {
            title,
            description,
            owner_id,
            due_on: Some(due_on),
            priority: priority.unwrap_or(Priority::Medium),
            kind: kind.unwrap_or(ActionKind::Prevent),
            status: ActionStatus::Open,
            reason: None,
            tracker_url: tracker_url.flatten(),
        };
        let audit = access::audit(
            actor,
            "action.create",
            vec![change("action", None, Some(write.title.clone()))],
        );
        let id = self
            .store
            .insert_action(
                incident.id,
                section_key.as_deref(),
                &write,
                &changed_by(actor),
                now(),
                &audit,
            )
            .await?;
        self.after_action_change(incident.id, actor).await?;
        self.action_of(id).await
    }

    /// The postmortem section an item is written in: it must exist.
    async fn action_section(
        &self,
        incident_id: i64,
        key: Option<&str>,
    ) -> Result<Option<String>, ServiceError> {
        let Some(key) = key.map(str::trim).filter(|k| !k.is_empty()) else {
            return Ok(None);
        };
        let postmortem = self.store.postmortem_for_incident(incident_id).await?;
        match postmortem {
            Some(pm) if pm.sections.iter().any(|s| s.key == key) => Ok(Some(key.to_string())),
            _ => Err(ServiceError::invalid(
                "section_key",
                "is not a section of this incident's postmortem",
            )),
        }
    }

    /// Applies `patch` if its version is still current.
    pub async fn update_action(
        &self,
        patch: ActionPatch,
        actor: &Actor,
    ) -> Result<ActionItem, ServiceError> {
        access::require(actor, Role::Responder)?;
        let current = self.action_of(patch.id).await?;
        if patch.version != current.version {
            return Err(conflict(&current, &patch));
        }
        let next = self.patched(&current, &patch).await?;
        let before = ActionWrite {
            title: current.title.clone(),
            description: current.description.clone(),
            owner_id: current.owner.as_ref().map(|o| o.id),
            due_on: current.due_on,
            priority: current.priority,
            kind: current.kind,
            status: current.status,
            reason: current.reason.clone(),
            tracker_url: current.tracker_url.clone(),
        };
        let diffs = action_diffs(&before, &next);
        if diffs.is_empty() {
            return Ok(current);
        }
        let what = if next.status != before.status {
            "action.status"
        } else {
            "action.update"
        };
        let audit = access::audit(actor, what, diffs);
        match self
            .store
            .update_action(
                current.id,
                patch.version,
                &next,
                &changed_by(actor),
                now(),
                &audit,
            )
            .await
        {
            Err(StoreError::VersionConflict) => {
                return Err(conflict(&self.action_of(current.id).await?, &patch));
            }
            other => other?,
        }
        self.after_action_change(current.incident.id, actor).await?;
        self.action_of(current.id).await
    }

    /// `current` with the fields `patch` carries, each checked.
    async fn patched(
        &self,
        current: &ActionItem,
        patch: &ActionPatch,
    ) -> Result<ActionWrite, ServiceError> {
        let people = self.people().await?;
        let mut p = Problems::default();
        let title = match &patch.title {
            Some(t) => p.check("title", parse_title(t)),
            None => Some(current.title.clone()),
        };
        let description = match &patch.description {
            Some(t) => p.check("description", parse_description(t)),
            None => Some(current.description.clone()),
        };
        let owner_id = match &patch.owner {
            Some(t) => p.check("owner", parse_owner(t, &people)),
            None => Some(current.owner.as_ref().map(|o| o.id)),
        };
        let due_on = match &patch.due_on {
            Some(t) => p.check("due_on", parse_due_on(t)),
            None => Some(current.due_on),
        };
        let priority = match &patch.priority {
            Some(t) => p.check("priority", Priority::parse(t)),
            None => Some(current.priority),
        };
        let kind = match &patch.kind {
            Some(t) => p.check("kind", ActionKind::parse(t)),
            None => Some(current.kind),
        };
        let status = match &patch.status {
            Some(t) => p.check("status", ActionStatus::parse(t)),
            None => Some(current.status),
        };
        let tracker_url = match &patch.tracker_url {
            Some(t) => p.check("tracker_url", parse_tracker_url(t)),
            None => Some(current.tracker_url.clone()),
        };
        let reason_text = patch.reason.as_deref().or(current.reason.as_deref());
        let reason = status.and_then(|s| parse_status_and_reason(&mut p, s, reason_text));
        p.finish()?;
        match (
            title,
            description,
            owner_id,
            due_on,
            priority,
            kind,
            status,
            tracker_url,
            reason,
        ) {
            (
                Some(title),
                Some(description),
                Some(owner_id),
                Some(due_on),
                Some(priority),
                Some(kind),
                Some(status),
                Some(tracker_url),
                Some(reason),
            ) => Ok(ActionWrite {
                title,
                description,
                owner_id,
                due_on,
                priority,
                kind,
                status,
                reason,
                tracker_url,
            }),
            _ => Err(ServiceError::Internal(
                "validated action patch missing".into(),
            )),
        }
    }

    /// A published postmortem whose items are all closed becomes complete;
    /// a complete one with an open item again goes back to published.
    async fn after_action_change(
        &self,
        incident_id: i64,
        actor: &Actor,
    ) -> Result<(), ServiceError> {
        let Some(pm) = self.store.postmortem_for_incident(incident_id).await? else {
            return Ok(());
        };
        let open = self.store.open_action_count(incident_id).await?;
        let to = match (pm.status, open) {
            (PostmortemStatus::Published, 0) => PostmortemStatus::Complete,
            (PostmortemStatus::Complete, n) if n > 0 => PostmortemStatus::Published,
            _ => return Ok(()),
        };
        let diff = change(
            "status",
            Some(pm.status.as_str().into()),
            Some(to.as_str().into()),
        );
        let audit = access::audit(actor, "postmortem.status", vec![diff]);
        match self
            .store
            .set_postmortem_status(pm.id, pm.version, to, now(), &audit)
            .await
        {
            // Someone moved it at the same moment; their move stands.
            Err(StoreError::VersionConflict) => Ok(()),
            other => Ok(other?),
        }
    }

    /// Refuses to mark a postmortem complete while its items are open,
    /// unless admins turned the rule off.
    pub(super) async fn check_can_complete(&self, incident_id: i64) -> Result<(), ServiceError> {
        if !self.store.action_policy().await?.complete_requires_actions {
            return Ok(());
        }
        match self.store.open_action_count(incident_id).await? {
            0 => Ok(()),
            n => Err(ServiceError::invalid(
                "status",
                format!(
                    "{n} action item{} still open: mark each done or won't do before the postmortem is complete",
                    if n == 1 { " is" } else { "s are" }
                ),
            )),
        }
    }

    /// How many of the caller's items are overdue (0 when signed out).
    pub async fn my_overdue_count(&self, actor: &Actor) -> Result<i64, ServiceError> {
        match actor.caller.user() {
            Some(user) => Ok(self.store.overdue_count(user.id, today()).await?),
            None => Ok(0),
        }
    }
}

fn action_diffs(before: &ActionWrite, next: &ActionWrite) -> Vec<app::model::AuditChange> {
    let pairs = [
        (
            "title",
            Some(before.title.clone()),
            Some(next.title.clone()),
        ),
        (
            "description",
            Some(before.description.clone()),
            Some(next.description.clone()),
        ),
        (
            "owner",
            before.owner_id.map(|i| i.to_string()),
            next.owner_id.map(|i| i.to_string()),
        ),
        (
            "due_on",
            before.due_on.map(|d| d.to_string()),
            next.due_on.map(|d| d.to_string()),
        ),
        (
            "priority",
            Some(before.priority.as_str().into()),
            Some(next.priority.as_str().into()),
        ),
        (
            "kind",
            Some(before.kind.as_str().into()),
            Some(next.kind.as_str().into()),
        ),
        (
            "status",
            Some(before.status.as_str().into()),
            Some(next.status.as_str().into()),
        ),
        ("reason", before.reason.clone(), next.reason.clone()),
        (
            "tracker_url",
            before.tracker_url.clone(),
            next.tracker_url.clone(),
        ),
    ];
    pairs
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(field, a, b)| change(field, a, b))
        .collect()
}
