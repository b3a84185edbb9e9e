//! Parsing a new incident: every field checked, every problem reported.
use app::domain::{
    EntryKind, Milestone, Milestones, Severity, StampMeta, StampSource, Status,
    check_milestone_order, parse_labels, parse_markdown, parse_optional_line, parse_timestamp,
    parse_title,
};
use app::model::IncidentInput;
use app::port::Actor;
use chrono::{DateTime, Utc};

use super::problems::Problems;
use super::{IncidentService, ServiceError, render_markdown_safely, stamp_source};
use crate::store::{EntryWrite, IncidentWrite};

impl IncidentService {
    /// Validates `input` into the incident to store and its first timeline entry.
    pub(super) async fn parse_new_incident(
        &self,
        input: IncidentInput,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(IncidentWrite, EntryWrite), ServiceError> {
        let mut p = Problems::default();
        let title = p.check("title", parse_title(&input.title));
        let severity = p.check("severity", Severity::parse(&input.severity));
        let status = match input.status.as_deref() {
            Some(s) if !s.trim().is_empty() => p.check("status", Status::parse(s)),
            _ => Some(Status::Investigating),
        };
        let summary = p
            .check("summary", parse_markdown(&input.summary))
            .unwrap_or_default();
        let services = p
            .check("services", parse_labels(&input.services))
            .unwrap_or_default();
        let tags = p
            .check("tags", parse_labels(&input.tags))
            .unwrap_or_default();
        let commander = p
            .check("commander", parse_optional_line(input.commander.as_deref()))
            .flatten();
        let comms_lead = p
            .check(
                "comms_lead",
                parse_optional_line(input.comms_lead.as_deref()),
            )
            .flatten();
        let customer_impact = p
            .check(
                "customer_impact",
                parse_optional_line(input.customer_impact.as_deref()),
            )
            .flatten();
        let decline_reason = p
            .check(
                "decline_reason",
                parse_optional_line(input.decline_reason.as_deref()),
            )
            .flatten();
        let (author, author_id) = super::access::author(actor);
        let repeat_of = self
            .resolve_reference(&mut p, "repeat_of", input.repeat_of.as_deref(), None)
            .await;
        let duplicate_of = self
            .resolve_reference(&mut p, "duplicate_of", input.duplicate_of.as_deref(), None)
            .await;

        let given = StampMeta {
            source: stamp_source(actor.via),
            set_by: author.clone(),
        };
        let mut milestones = Milestones::default();
        let raw_stamps = [
            (Milestone::Started, &input.started_at),
            (Milestone::Detected, &input.detected_at),
            (Milestone::Declared, &input.declared_at),
            (Milestone::Acknowledged, &input.acknowledged_at),
            (Milestone::Mitigated, &input.mitigated_at),
            (Milestone::Resolved, &input.resolved_at),
        ];
        for (m, raw) in raw_stamps {
            if let Some(at) = p
                .check(m.field(), parse_timestamp(raw.as_deref(), now))
                .flatten()
            {
                milestones.set(m, Some(at), given.clone());
            }
        }
        if milestones.declared_at.is_none() {
            milestones.set(
                Milestone::Declared,
                Some(now),
                StampMeta {
                    source: StampSource::Automatic,
                    set_by: author.clone(),
                },
            );
        }
        if let Err(order) = check_milestone_order(&milestones) {
            p.extend(order);
        }
        if let Some(status) = status
            && let Err((field, message)) =
                status.requirement(duplicate_of, decline_reason.as_deref())
        {
            p.add(field, message);
        }
        p.finish()?;
        let (Some(title), Some(severity), Some(status)) = (title, severity, status) else {
            return Err(ServiceError::Internal("validated fields missing".into()));
        };
        let summary_html = render_markdown_safely("summary", summary.clone()).await?;
        let declared_entry = EntryWrite {
            occurred_at: milestones.declared_at.unwrap_or(now),
            kind: EntryKind::StatusChange,
            body_md: format!(
                "Declared as **{}**, status **{}**.",
                severity.as_str(),
                status.label()
            ),
            body_html: String::new(),
            author: author.clone(),
            author_id,
        };
        let declared_entry = EntryWrite {
            body_html: render_markdown_safely("summary", declared_entry.body_md.clone()).await?,
            ..declared_entry
        };
        let (commander, commander_id) = self.resolve_person(commander).await?;
        let (comms_lead, comms_lead_id) = self.resolve_person(comms_lead).await?;
        let incident = IncidentWrite {
            title,
            summary_md: summary,
            summary_html,
            severity,
            status,
            services,
            tags,
            commander,
            commander_id,
            comms_lead,
            comms_lead_id,
            customer_impact,
            repeat_of,
            duplicate_of: duplicate_of.filter(|_| status == Status::Duplicate),
            decline_reason: decline_reason.filter(|_| status == Status::Declined),
            external_id: None,
            milestones,
        };
        Ok((incident, declared_entry))
    }
}
