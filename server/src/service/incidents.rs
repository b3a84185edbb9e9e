//! Incident use-cases: declare, change, read and list.
use app::domain::parse_incident_ref;
use app::model::{
    Incident, IncidentDetail, IncidentInput, IncidentPage, IncidentPatch, IncidentQuery,
};
use app::port::Channel;

use super::incident_patch::{conflict, write_from};
use super::{IncidentService, ServiceError, now};
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

    async fn load(&self, id: i64) -> Result<Incident, ServiceError> {
        self.store
            .incident(id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("incident INC-{id}")))
    }

    pub async fn create(
        &self,
        input: IncidentInput,
        via: Channel,
    ) -> Result<Incident, ServiceError> {
        let now = now();
        let (incident, first_entry) = self.parse_new_incident(input, via, now).await?;
        Ok(self
            .store
            .insert_incident(&incident, now, &[first_entry])
            .await?)
    }

    /// Applies a change if `patch.version` is still current; otherwise a
    /// conflict that lists what differs. Of two saves of the same version,
    /// exactly one wins: the store checks the version in the same statement.
    pub async fn update(
        &self,
        id: &str,
        patch: IncidentPatch,
        via: Channel,
    ) -> Result<Incident, ServiceError> {
        let id = self.incident_id(id)?;
        let current = self.load(id).await?;
        if patch.version != current.version {
            return Err(conflict(&current, &patch));
        }
        let now = now();
        let (next, entries) = self.apply_patch(&current, &patch, via, now).await?;
        if entries.is_empty() && same_state(&next, &write_from(&current)) {
            return Ok(current);
        }
        match self
            .store
            .update_incident(id, patch.version, &next, now, &entries)
            .await
        {
            Err(StoreError::VersionConflict) => Err(conflict(&self.load(id).await?, &patch)),
            other => Ok(other?),
        }
    }

    pub async fn detail(&self, id: &str) -> Result<IncidentDetail, ServiceError> {
        let incident = self.load(self.incident_id(id)?).await?;
        let timeline = self.store.timeline(incident.id).await?;
        Ok(IncidentDetail { incident, timeline })
    }

    pub async fn list(&self, query: IncidentQuery) -> Result<IncidentPage, ServiceError> {
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
        && a.comms_lead == b.comms_lead
        && a.customer_impact == b.customer_impact
        && a.repeat_of == b.repeat_of
        && a.duplicate_of == b.duplicate_of
        && a.decline_reason == b.decline_reason
        && a.milestones == b.milestones
}
