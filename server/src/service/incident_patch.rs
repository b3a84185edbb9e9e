//! Applying a change to an incident: field edits, the status rules, and the
//! timeline entry a status change writes.
use app::domain::{
    EntryKind, Milestone, Severity, StampMeta, StampSource, Status, check_milestone_order,
    human_id, parse_labels, parse_markdown, parse_optional_line, parse_timestamp, parse_title,
};
use app::error::FieldChange;
use app::model::{Incident, IncidentPatch};
use app::port::Actor;
use chrono::{DateTime, Utc};

use super::problems::Problems;
use super::{IncidentService, ServiceError, render_markdown_safely, stamp_source};
use crate::store::{EntryWrite, IncidentWrite};

/// The incident's current state as a write, the starting point of a change.
pub(super) fn write_from(current: &Incident) -> IncidentWrite {
    IncidentWrite {
        title: current.title.clone(),
        summary_md: current.summary.clone(),
        summary_html: current.summary_html.clone(),
        severity: current.severity,
        status: current.status,
        services: current.services.clone(),
        tags: current.tags.clone(),
        commander: current.commander.clone(),
        commander_id: current.commander_user.as_ref().map(|u| u.id),
        comms_lead: current.comms_lead.clone(),
        comms_lead_id: current.comms_lead_user.as_ref().map(|u| u.id),
        customer_impact: current.customer_impact.clone(),
        repeat_of: current.repeat_of.as_ref().map(|l| l.id),
        duplicate_of: current.duplicate_of.as_ref().map(|l| l.id),
        decline_reason: current.decline_reason.clone(),
        external_id: current.external_id.clone(),
        milestones: current.milestones.clone(),
    }
}

fn patch_stamps(patch: &IncidentPatch) -> [(Milestone, &Option<Option<String>>); 6] {
    [
        (Milestone::Started, &patch.started_at),
        (Milestone::Detected, &patch.detected_at),
        (Milestone::Declared, &patch.declared_at),
        (Milestone::Acknowledged, &patch.acknowledged_at),
        (Milestone::Mitigated, &patch.mitigated_at),
        (Milestone::Resolved, &patch.resolved_at),
    ]
}

impl IncidentService {
    /// Applies `patch` to `current`. Returns the new state and the timeline
    /// entries to write with it (none when nothing but fields changed).
    pub(super) async fn apply_patch(
        &self,
        current: &Incident,
        patch: &IncidentPatch,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(IncidentWrite, Vec<EntryWrite>), ServiceError> {
        let mut p = Problems::default();
        let mut next = write_from(current);
        let (author, author_id) = super::access::author(actor);
        if let Some(t) = &patch.title {
            next.title = p.check("title", parse_title(t)).unwrap_or(next.title);
        }
        if let Some(s) = &patch.severity {
            next.severity = p
                .check("severity", Severity::parse(s))
                .unwrap_or(next.severity);
        }
        if let Some(s) = &patch.summary {
            next.summary_md = p
                .check("summary", parse_markdown(s))
                .unwrap_or(next.summary_md);
        }
        if let Some(list) = &patch.services {
            next.services = p
                .check("services", parse_labels(list))
                .unwrap_or(next.services);
        }
        if let Some(list) = &patch.tags {
            next.tags = p.check("tags", parse_labels(list)).unwrap_or(next.tags);
        }
        for (field, given, slot) in [
            ("commander", &patch.commander, &mut next.commander),
            ("comms_lead", &patch.comms_lead, &mut next.comms_lead),
            (
                "customer_impact",
                &patch.customer_impact,
                &mut next.customer_impact,
            ),
            (
                "decline_reason",
                &patch.decline_reason,
                &mut next.decline_reason,
            ),
        ] {
            if let Some(value) = given {
                *slot = p
                    .check(field, parse_optional_line(value.as_deref()))
                    .unwrap_or(slot.clone());
            }
        }
        if let Some(r) = &patch.repeat_of {
            next.repeat_of = self
                .resolve_reference(&mut p, "repeat_of", r.as_deref(), Some(current.id))
                .await;
        }
        if let Some(r) = &patch.duplicate_of {
            next.duplicate_of = self
                .resolve_reference(&mut p, "duplicate_of", r.as_deref(), Some(current.id))
                .await;
        }
        let given = StampMeta {
            source: stamp_source(actor.via),
            set_by: author.clone(),
        };
        for (m, raw) in patch_stamps(patch) {
            let Some(raw) = raw else { continue };
            if let Some(at) = p.check(m.field(), parse_timestamp(raw.as_deref(), now))
                && at != next.milestones.get(m)
            {
                next.milestones.set(m, at, given.clone());
            }
        }
        let status = match &patch.status {
            Some(s) => p.check("status", Status::parse(s)),
            None => Some(current.status),
        };
        let mut entries = Vec::new();
        if let Some(status) = status.filter(|s| *s != current.status) {
            let explicit: Vec<Milestone> = patch_stamps(patch)
                .into_iter()
                .filter(|(_, raw)| raw.is_some())
                .map(|(m, _)| m)
                .collect();
            let automatic = StampMeta {
                source: StampSource::Automatic,
                set_by: author.clone(),
            };
            apply_status(&mut next, status, &explicit, automatic, now);
            if let Err((field, message)) =
                status.requirement(next.duplicate_of, next.decline_reason.as_deref())
            {
                p.add(field, message);
            }
            entries.push(status_entry(
                current.status,
                &next,
                patch.note.as_deref(),
                (author.clone(), author_id),
                now,
            ));
        } else if let Some(note) = patch.note.as_deref().filter(|n| !n.trim().is_empty()) {
            let body = p.check("note", parse_markdown(note)).unwrap_or_default();
            entries.push(EntryWrite {
                occurred_at: now,
                kind: EntryKind::Note,
                body_md: body,
                body_html: String::new(),
                author: author.clone(),
                author_id,
            });
        }
        if let Err(order) = check_milestone_order(&next.milestones) {
            p.extend(order);
        }
        p.finish()?;
        if patch.commander.is_some() {
            (next.commander, next.commander_id) = self.resolve_person(next.commander).await?;
        }
        if patch.comms_lead.is_some() {
            (next.comms_lead, next.comms_lead_id) = self.resolve_person(next.comms_lead).await?;
        }
        if next.summary_md != current.summary {
            next.summary_html = render_markdown_safely("summary", next.summary_md.clone()).await?;
        }
        for entry in &mut entries {
            entry.body_html = render_markdown_safely("note", entry.body_md.clone()).await?;
        }
        Ok((next, entries))
    }
}

/// The status rules. Moving into identified, monitoring or resolved sets
/// acknowledged, mitigated or resolved (unless given, or already set);
/// resolving also marks mitigation if it was never recorded; reopening a
/// resolved incident clears `resolved_at`; links and reasons that belong to
/// another status are dropped.
fn apply_status(
    next: &mut IncidentWrite,
    status: Status,
    explicit: &[Milestone],
    automatic: StampMeta,
    now: DateTime<Utc>,
) {
    let previous = next.status;
    next.status = status;
    if previous == Status::Resolved
        && status.is_active()
        && !explicit.contains(&Milestone::Resolved)
    {
        next.milestones
            .set(Milestone::Resolved, None, automatic.clone());
    }
    if let Some(m) = status.milestone()
        && !explicit.contains(&m)
        && next.milestones.get(m).is_none()
    {
        next.milestones.set(m, Some(now), automatic.clone());
    }
    if status == Status::Resolved
        && next.milestones.mitigated_at.is_none()
        && !explicit.contains(&Milestone::Mitigated)
    {
        let at = next.milestones.resolved_at.unwrap_or(now);
        next.milestones
            .set(Milestone::Mitigated, Some(at), automatic);
    }
    if status != Status::Duplicate {
        next.duplicate_of = None;
    }
    if status != Status::Declined {
        next.decline_reason = None;
    }
}

fn status_entry(
    from: Status,
    next: &IncidentWrite,
    note: Option<&str>,
    (author, author_id): (Option<String>, Option<i64>),
    now: DateTime<Utc>,
) -> EntryWrite {
    let mut body = format!(
        "Status changed from **{}** to **{}**.",
        from.label(),
        next.status.label()
    );
    if let Some(dup) = next
        .duplicate_of
        .filter(|_| next.status == Status::Duplicate)
    {
        body.push_str(&format!(
            " Duplicate of [{0}](/incidents/{0}).",
            human_id(dup)
        ));
    }
    if let Some(reason) = next
        .decline_reason
        .as_deref()
        .filter(|_| next.status == Status::Declined)
    {
        body.push_str(&format!(" Reason: {reason}"));
    }
    if let Some(note) = note.map(str::trim).filter(|n| !n.is_empty()) {
        body.push_str("\n\n");
        body.push_str(note);
    }
    EntryWrite {
        occurred_at: now,
        kind: EntryKind::StatusChange,
        body_md: body,
        body_html: String::new(),
        author,
        author_id,
    }
}

/// The fields where a rejected save differs from what is stored now.
pub(super) fn conflict(current: &Incident, patch: &IncidentPatch) -> ServiceError {
    let mut changes = Vec::new();
    let mut compare = |field: &str, now: String, yours: Option<String>| {
        if let Some(yours) = yours
            && yours != now
        {
            changes.push(FieldChange {
                field: field.into(),
                current: now,
                yours,
            });
        }
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let link = |l: &Option<app::model::IncidentLink>| {
        l.as_ref().map(|l| l.human_id.clone()).unwrap_or_default()
    };
    compare("title", current.title.clone(), patch.title.clone());
    compare(
        "severity",
        current.severity.as_str().into(),
        patch.severity.as_ref().map(|s| {
            Severity::parse(s)
                .map(|s| s.as_str().to_string())
                .unwrap_or(s.clone())
        }),
    );
    compare(
        "status",
        current.status.as_str().into(),
        patch.status.clone(),
    );
    compare(
        "summary",
        current.summary.clone(),
        patch.summary.as_ref().map(|s| s.trim_end().to_string()),
    );
    compare(
        "services",
        current.services.join(", "),
        patch
            .services
            .as_ref()
            .map(|l| parse_labels(l).unwrap_or(l.clone()).join(", ")),
    );
    compare(
        "tags",
        current.tags.join(", "),
        patch
            .tags
            .as_ref()
            .map(|l| parse_labels(l).unwrap_or(l.clone()).join(", ")),
    );
    compare(
        "commander",
        opt(&current.commander),
        patch.commander.clone().map(|v| v.unwrap_or_default()),
    );
    compare(
        "comms_lead",
        opt(&current.comms_lead),
        patch.comms_lead.clone().map(|v| v.unwrap_or_default()),
    );
    compare(
        "customer_impact",
        opt(&current.customer_impact),
        patch.customer_impact.clone().map(|v| v.unwrap_or_default()),
    );
    compare(
        "repeat_of",
        link(&current.repeat_of),
        patch.repeat_of.clone().map(|v| v.unwrap_or_default()),
    );
    for (m, raw) in patch_stamps(patch) {
        let stored = current
            .milestones
            .get(m)
            .map(|t| t.to_rfc3339())
            .unwrap_or_default();
        let yours = raw.as_ref().map(|v| {
            let text = v.clone().unwrap_or_default();
            parse_timestamp(Some(&text), chrono::Utc::now())
                .ok()
                .flatten()
                .map(|t| t.to_rfc3339())
                .unwrap_or(text)
        });
        compare(m.field(), stored, yours);
    }
    ServiceError::Conflict {
        current_version: current.version,
        changes,
    }
}
