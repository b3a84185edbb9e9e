//! Incident use-cases: declare, change, read and list.
use app::domain::{Role, parse_incident_ref};
use app::model::{
    Incident, IncidentDetail, IncidentInput, IncidentPage, IncidentPatch, IncidentQuery, UserRef,
};
use app::port::Actor;

use super::audit_diff::incident_changes;
use super::incident_patch::{conflict, write_from};
use super::{IncidentService, ServiceError, access, now};
use crate::store::StoreError;

impl IncidentService {
    /// Resolves "12" or "INC-12" to an id; anything else is simply not found.
    pub(super) fn incident_id(&self, text: &str) -> Result<i64, ServiceError> {
        parse_incident_ref(text).ok_or_else(|| {
            ServiceError::NotFound(format!(
                "incident {}",
                text.chars().take(40).collect::<String>()
            ))
        })
    }

    /// The incident's number, once it is known to exist: a 404 otherwise.
    /// For callers that need no more than that, so the row (with its
    /// summary, as markdown and as HTML) is not read.
    pub(super) async fn existing(&self, text: &str) -> Result<i64, ServiceError> {
        let id = self.incident_id(text)?;
        match self.store.incident_exists(id).await? {
            true => Ok(id),
            false => Err(ServiceError::NotFound(format!("incident INC-{id}"))),
        }
    }

    pub(super) async fn load(&self, id: i64) -> Result<Incident, ServiceError> {
        self.store
            .incident(id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("incident INC-{id}")))
    }

    pub async fn create(
        &self,
        input: IncidentInput,
        actor: &Actor,
    ) -> Result<Incident, ServiceError> {
        access::require(actor, Role::Responder)?;
        let now = now();
        let (incident, first_entry) = self.parse_new_incident(input, actor, now).await?;
        let audit = access::audit(actor, "create", incident_changes(None, &incident));
        Ok(self
            .store
            .insert_incident(&incident, now, &[first_entry], &audit)
            .await?)
    }

    /// Applies a change if `patch.version` is still current; otherwise a
    /// conflict that lists what differs. Of two saves of the same version,
    /// exactly one wins: the store checks the version in the same statement.
    pub async fn update(
        &self,
        id: &str,
        patch: IncidentPatch,
        actor: &Actor,
    ) -> Result<Incident, ServiceError> {
        access::require(actor, Role::Responder)?;
        let id = self.incident_id(id)?;
        let current = self.load(id).await?;
        if patch.version != current.version {
            return Err(conflict(&current, &patch));
        }
        let now = now();
        let (next, entries) = self.apply_patch(&current, &patch, actor, now).await?;
        let before = write_from(&current);
        if entries.is_empty() && same_state(&next, &before) {
            return Ok(current);
        }
        let action = if next.status != before.status {
            "status"
        } else {
            "update"
        };
        let audit = access::audit(actor, action, incident_changes(Some(&before), &next));
        match self
            .store
            .update_incident(id, patch.version, &next, now, &entries, &audit)
            .await
        {
            Err(StoreError::VersionConflict) => Err(conflict(&self.load(id).await?, &patch)),
            other => Ok(other?),
        }
    }

    /// One incident, without its page's extras (for the REST API).
    pub async fn incident(&self, id: &str, actor: &Actor) -> Result<Incident, ServiceError> {
        access::require_reader(self.store.as_ref(), actor).await?;
        self.load(self.incident_id(id)?).await
    }

    /// An incident's timeline, oldest entry first.
    pub async fn timeline_of(
        &self,
        id: &str,
        actor: &Actor,
    ) -> Result<Vec<app::model::TimelineEntry>, ServiceError> {
        let incident = self.incident(id, actor).await?;
        Ok(self.store.timeline(incident.id).await?)
    }

    pub async fn detail(&self, id: &str, actor: &Actor) -> Result<IncidentDetail, ServiceError> {
        access::require_reader(self.store.as_ref(), actor).await?;
        let incident = self.load(self.incident_id(id)?).await?;
        let timeline = self.store.timeline(incident.id).await?;
        // The directory of people and who-did-what are for signed-in readers,
        // not for anonymous ones (when anonymous reading is on).
        let can_edit = access::require(actor, Role::Responder).is_ok();
        let signed_in = access::require(actor, Role::Viewer).is_ok();
        let history = match signed_in {
            true => self.incident_history(incident.id).await?,
            false => Vec::new(),
        };
        let people = match can_edit {
            true => self.people().await?,
            false => Vec::new(),
        };
        Ok(IncidentDetail {
            incident,
            timeline,
            history,
            people,
            can_edit,
        })
    }

    /// People with an account, for the new-incident form's suggestions.
    pub async fn people_for(&self, actor: &Actor) -> Result<Vec<UserRef>, ServiceError> {
        access::require(actor, Role::Responder)?;
        self.people().await
    }

    pub async fn list(
        &self,
        query: IncidentQuery,
        actor: &Actor,
    ) -> Result<IncidentPage, ServiceError> {
        access::require_reader(self.store.as_ref(), actor).await?;
        let filter = super::list_query::parse(&query)?;
        let (total, items) = self.store.list_incidents(&filter).await?;
        let counts = self.store.incident_counts(&filter).await?;
        Ok(IncidentPage {
            total,
            limit: filter.limit,
            offset: filter.offset,
            items,
            counts,
        })
    }
}

fn same_state(a: &crate::store::IncidentWrite, b: &crate::store::IncidentWrite) -> bool {
    a.title == b.title
        && a.summary_md == b.summary_md
        && a.severity == b.severity
        && a.status == b.status
        && a.services == b.services
        && a.tags == b.tags
        && a.commander == b.commander
        && a.commander_id == b.commander_id
        && a.comms_lead == b.comms_lead
        && a.comms_lead_id == b.comms_lead_id
        && a.customer_impact == b.customer_impact
        && a.repeat_of == b.repeat_of
        && a.duplicate_of == b.duplicate_of
        && a.decline_reason == b.decline_reason
        && a.milestones == b.milestones
}
