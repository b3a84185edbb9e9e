//! Postmortems: started from a template, written section by section.
//! Each section save names the version it was written against; a stale one
//! is refused with both texts, so nobody's words are overwritten.
use app::domain::{
    Role, Severity, Template, WHAT_HAPPENED, check_blameless, names_to_check, parse_markdown,
    parse_template_name,
};
use app::error::FieldChange;
use app::model::{
    IncidentLink, LiveEvent, Postmortem, PostmortemSection, PostmortemView, PresenceBeat,
    RevisionRestore, SectionHistory, SectionRevision, SectionSave, StartPostmortem, TemplateChoice,
};
use app::port::Actor;

use super::audit_diff::change;
use super::section_diff::line_diff;
use super::timeline_table::timeline_table;
use super::{IncidentService, ServiceError, access, now, render_markdown_safely};
use crate::store::{SectionWrite, StoreError};

fn link(incident: &app::model::Incident) -> IncidentLink {
    IncidentLink {
        id: incident.id,
        human_id: incident.human_id.clone(),
        title: incident.title.clone(),
    }
}

impl IncidentService {
    /// The template called `name`, or the severity's default when blank.
    async fn template_for(&self, name: &str, severity: Severity) -> Result<Template, ServiceError> {
        let name = match name.trim() {
            "" => self.default_template(severity).await?,
            other => {
                parse_template_name(other).map_err(|m| ServiceError::invalid("template", m))?
            }
        };
        self.all_templates()
            .await?
            .into_iter()
            .find(|t| t.name == name)
            .ok_or_else(|| {
                ServiceError::invalid("template", format!("there is no template called {name}"))
            })
    }

    pub async fn postmortem_view(
        &self,
        id: &str,
        actor: &Actor,
    ) -> Result<PostmortemView, ServiceError> {
        access::require_reader(self.store.as_ref(), actor).await?;
        let incident = self.load(self.incident_id(id)?).await?;
        let postmortem = self.store.postmortem_for_incident(incident.id).await?;
        let can_edit = access::require(actor, Role::Responder).is_ok()
            && postmortem.as_ref().is_none_or(|p| p.status.is_editable());
        let can_review = access::require(actor, Role::Responder).is_ok() && postmortem.is_some();
        let everyone: Vec<String> = self.people().await?.into_iter().map(|p| p.name).collect();
        let lint_count = postmortem.as_ref().map_or(0, |p| {
            let names = names_to_check(&everyone);
            p.sections
                .iter()
                .map(|s| check_blameless(&s.body, &names).len())
                .sum()
        });
        // The directory of names is for those who write, not for every reader.
        let names = if can_edit { everyone } else { Vec::new() };
        Ok(PostmortemView {
            incident: link(&incident),
            severity: incident.severity,
            postmortem,
            templates: self
                .all_templates()
                .await?
                .into_iter()
                .map(|t| TemplateChoice {
                    name: t.name,
                    label: t.label,
                })
                .collect(),
            default_template: self.default_template(incident.severity).await?,
            can_edit,
            names,
            viewer_id: actor.caller.user().map(|u| u.id),
            lint_count,
            can_review,
            factors: self.store.incident_factors(incident.id).await?,
            taxonomy: self.active_taxonomy().await?,
        })
    }

    /// Starts the incident's postmortem; when someone already did, that one.
    pub async fn start_postmortem(
        &self,
        input: StartPostmortem,
        actor: &Actor,
    ) -> Result<Postmortem, ServiceError> {
        access::require(actor, Role::Responder)?;
        let incident = self.load(self.incident_id(&input.incident)?).await?;
        let template = self
            .template_for(&input.template, incident.severity)
            .await?;
        let change = change("template", None, Some(template.name.clone()));
        let audit = access::audit(actor, "postmortem.start", vec![change]);
        match self
            .store
            .insert_postmortem(
                incident.id,
                &template.name,
                &template.sections,
                now(),
                &audit,
            )
            .await
        {
            Err(StoreError::Duplicate) => self.postmortem_of(incident.id).await,
            other => Ok(other?),
        }
    }

    /// A saved section as the live event for this instance's readers: how
    /// a save made on another instance arrives (see `live_relay.rs`).
    pub async fn saved_section_event(
        &self,
        incident_id: i64,
        key: &str,
    ) -> Result<Option<LiveEvent>, ServiceError> {
        let postmortem = self.store.postmortem_for_incident(incident_id).await?;
        Ok(postmortem
            .and_then(|p| p.sections.into_iter().find(|s| s.key == key))
            .map(|section| LiveEvent::SectionSaved { section }))
    }

    pub(super) async fn postmortem_of(&self, incident_id: i64) -> Result<Postmortem, ServiceError> {
        self.store
            .postmortem_for_incident(incident_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("the postmortem of INC-{incident_id}")))
    }

    pub(super) fn section<'p>(
        postmortem: &'p Postmortem,
        key: &str,
    ) -> Result<&'p PostmortemSection, ServiceError> {
        postmortem
            .sections
            .iter()
            .find(|s| s.key == key)
            .ok_or_else(|| {
                ServiceError::NotFound(format!(
                    "section {}",
                    key.chars().take(40).collect::<String>()
                ))
            })
    }

    /// Saves one section's text, if nobody saved it since `version`.
    pub async fn save_section(
        &self,
        save: SectionSave,
        actor: &Actor,
    ) -> Result<PostmortemSection, ServiceError> {
        access::require(actor, Role::Responder)?;
        let incident_id = self.incident_id(&save.incident)?;
        let postmortem = self.postmortem_of(incident_id).await?;
        if !postmortem.status.is_editable() {
            return Err(ServiceError::Forbidden(
                "a published postmortem is read-only until it is reopened".into(),
            ));
        }
        let current = Self::section(&postmortem, &save.key)?;
        let mut body = parse_markdown(&save.body)
            .map_err(|m| ServiceError::invalid(&format!("sections.{}.body", save.key), m))?;
        if save.append_timeline.is_some() && save.key == WHAT_HAPPENED {
            let table = timeline_table(&self.store.timeline(incident_id).await?);
            body = format!("{}\n\n{table}", body.trim_end())
                .trim_start()
                .to_string();
            body = parse_markdown(&body)
                .map_err(|m| ServiceError::invalid(&format!("sections.{}.body", save.key), m))?;
        }
        let conflict = |theirs: &PostmortemSection| ServiceError::Conflict {
            current_version: theirs.version,
            changes: vec![FieldChange {
                field: theirs.heading.clone(),
                current: theirs.body.clone(),
                yours: body.clone(),
            }],
        };
        if current.version != save.version {
            return Err(conflict(current));
        }
        let (author, author_id) = access::author(actor);
        let write = SectionWrite {
            body_html: render_markdown_safely("body", body.clone()).await?,
            body_md: body.clone(),
            author,
            author_id,
        };
        let change = change(
            &format!("section:{}", save.key),
            Some(current.body.clone()),
            Some(body.clone()),
        );
        let audit = access::audit(actor, "postmortem.section", vec![change]);
        match self
            .store
            .save_section(
                postmortem.id,
                &save.key,
                save.version,
                &write,
                now(),
                &audit,
            )
            .await
        {
            Err(StoreError::VersionConflict) => {
                let fresh = self.postmortem_of(incident_id).await?;
                Err(conflict(Self::section(&fresh, &save.key)?))
            }
            Ok(section) => {
                let event = LiveEvent::SectionSaved {
                    section: section.clone(),
                };
                self.live.publish(incident_id, event);
                Ok(section)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// "I am writing this section" (or, with an empty section, "I stopped").
    pub async fn presence(&self, beat: PresenceBeat, actor: &Actor) -> Result<(), ServiceError> {
        let user = access::user(actor, Role::Responder)?;
        let incident_id = self.incident_id(&beat.incident)?;
        let section: String = beat.section.chars().take(64).collect();
        self.live
            .heartbeat(incident_id, user.id, &user.name, &section);
        Ok(())
    }

    /// The incident whose postmortem events `actor` may follow.
    pub async fn live_incident(&self, id: &str, actor: &Actor) -> Result<i64, ServiceError> {
        access::require_reader(self.store.as_ref(), actor).await?;
        self.existing(id).await
    }

    pub async fn section_history(
        &self,
        id: &str,
        key: &str,
        actor: &Actor,
    ) -> Result<SectionHistory, ServiceError> {
        access::require(actor, Role::Viewer)?;
        let incident = self.load(self.incident_id(id)?).await?;
        let postmortem = self.postmortem_of(incident.id).await?;
        let section = Self::section(&postmortem, key)?.clone();
        let stored = self.store.section_revisions(section.id).await?;
        let revisions = stored
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let before = stored.get(i + 1).map(|b| b.body_md.as_str()).unwrap_or("");
                SectionRevision {
                    version: r.version,
                    body: r.body_md.clone(),
                    author: r.author.clone(),
                    created_at: r.created_at,
                    diff: line_diff(before, &r.body_md),
                }
            })
            .collect();
        Ok(SectionHistory {
            incident: link(&incident),
            can_edit: access::require(actor, Role::Responder).is_ok()
                && postmortem.status.is_editable(),
            section,
            revisions,
        })
    }

    /// Brings back an earlier revision's text as a new save (so it is
    /// versioned, audited and refused when stale like any other).
    pub async fn restore_revision(
        &self,
        input: RevisionRestore,
        actor: &Actor,
    ) -> Result<PostmortemSection, ServiceError> {
        access::require(actor, Role::Responder)?;
        let history = self
            .section_history(&input.incident, &input.key, actor)
            .await?;
        let revision = history
            .revisions
            .iter()
            .find(|r| r.version == input.revision)
            .ok_or_else(|| ServiceError::NotFound(format!("revision {}", input.revision)))?;
        let save = SectionSave {
            incident: input.incident,
            key: input.key,
            version: input.version,
            body: revision.body.clone(),
            append_timeline: None,
        };
        self.save_section(save, actor).await
    }
}
