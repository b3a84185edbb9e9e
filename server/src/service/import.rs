//! Importing past incidents from outside (a dataset of postmortems):
//! creates each once, and on a later import updates it in place.
use app::domain::{Role, WHAT_HAPPENED};
use app::model::{IncidentInput, SectionSave, StartPostmortem};
use app::port::Actor;

use super::audit_diff::incident_changes;
use super::imported_timeline::{ImportedEntry, not_yet_present, parse_entries};
use super::incident_patch::write_from;
use super::{IncidentService, ServiceError, access, now};
use crate::store::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    Created(i64),
    Updated(i64),
    Unchanged(i64),
}

/// `config-change` and "Config change" are one name; `time` names "time/leap second".
fn same_factor(category: &str, factor: &str) -> bool {
    let norm = |s: &str| s.trim().to_lowercase().replace(['-', '_'], " ");
    let (category, factor) = (norm(category), norm(factor));
    category == factor || factor.split('/').next() == Some(category.as_str())
}

impl IncidentService {
    /// Writes an imported postmortem's body into the "What happened"
    /// section, starting the postmortem if needed. Only a section nobody has
    /// written yet is filled: an import never overwrites people's words.
    pub async fn import_narrative(
        &self,
        incident_id: i64,
        body: &str,
        actor: &Actor,
    ) -> Result<(), ServiceError> {
        if body.trim().is_empty() {
            return Ok(());
        }
        let start = StartPostmortem {
            incident: incident_id.to_string(),
            template: String::new(),
        };
        let postmortem = self.start_postmortem(start, actor).await?;
        let Some(section) = postmortem.sections.iter().find(|s| s.key == WHAT_HAPPENED) else {
            return Ok(());
        };
        if section.version > 1 {
            return Ok(());
        }
        let save = SectionSave {
            incident: incident_id.to_string(),
            key: WHAT_HAPPENED.into(),
            version: section.version,
            body: body.to_string(),
            append_timeline: None,
        };
        self.save_section(save, actor).await.map(|_| ())
    }

    /// Adds the contributing factors that `categories` name (the rest stay
    /// tags); factors already on the incident are left alone.
    pub async fn import_factors(
        &self,
        incident_id: i64,
        categories: &[String],
        actor: &Actor,
    ) -> Result<usize, ServiceError> {
        access::require(actor, Role::Responder)?;
        let taxonomy = self.active_taxonomy().await?;
        let present = self.store.incident_factors(incident_id).await?;
        let mut added = 0;
        for factor in taxonomy
            .iter()
            .filter(|f| categories.iter().any(|c| same_factor(c, &f.name)))
        {
            if present.iter().any(|p| p.factor == factor.name) {
                continue;
            }
            let diff = super::audit_diff::change("factor", None, Some(factor.name.clone()));
            let audit = access::audit(actor, "factor.import", vec![diff]);
            let why = "From the imported postmortem's categories.";
            self.store
                .add_incident_factor(incident_id, factor.id, why, None, now(), &audit)
                .await?;
            added += 1;
        }
        Ok(added)
    }

    /// Creates the incident known outside as `external_id`, or brings the
    /// existing one up to date, adding the timeline entries it lacks. The
    /// input is validated like any other.
    pub async fn import(
        &self,
        external_id: &str,
        mut input: IncidentInput,
        timeline: &[ImportedEntry],
        actor: &Actor,
    ) -> Result<ImportOutcome, ServiceError> {
        access::require(actor, Role::Responder)?;
        let now = now();
        let existing = self.store.incident_by_external_id(external_id).await?;
        if let Some(current) = &existing
            && input.declared_at.is_none()
        {
            // Keep the declaration time the first import chose.
            input.declared_at = current.milestones.declared_at.map(|t| t.to_rfc3339());
        }
        let (mut next, first_entry) = self.parse_new_incident(input, actor, now).await?;
        next.external_id = Some(external_id.to_string());
        let entries = parse_entries(timeline, now).await?;
        let Some(current) = existing else {
            // An exported timeline already holds its own declaration.
            let entries = if entries.is_empty() {
                vec![first_entry]
            } else {
                entries
            };
            let audit = access::audit(actor, "import", incident_changes(None, &next));
            let created = self
                .store
                .insert_incident(&next, now, &entries, &audit)
                .await?;
            return Ok(ImportOutcome::Created(created.id));
        };
        let before = write_from(&current);
        let changes = incident_changes(Some(&before), &next);
        let existing_entries = self.store.timeline(current.id).await?;
        let new_entries = not_yet_present(entries, &existing_entries);
        if changes.is_empty() && new_entries.is_empty() {
            return Ok(ImportOutcome::Unchanged(current.id));
        }
        let audit = access::audit(actor, "import", changes);
        match self
            .store
            .update_incident(
                current.id,
                current.version,
                &next,
                now,
                &new_entries,
                &audit,
            )
            .await
        {
            Err(StoreError::VersionConflict) => Err(ServiceError::Conflict {
                current_version: current.version + 1,
                changes: Vec::new(),
            }),
            other => Ok(ImportOutcome::Updated(other?.id)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::same_factor;

    #[test]
    fn dataset_categories_name_taxonomy_factors() {
        assert!(same_factor("config-change", "config change"));
        assert!(same_factor("time", "time/leap second"));
        assert!(same_factor("Security", "security"));
        assert!(!same_factor("cloud", "capacity"));
        assert!(!same_factor("time", "deploy"));
    }
}
